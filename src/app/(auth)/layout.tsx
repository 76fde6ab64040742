import type { ReactNode } from "react";
import { AuthFrame } from "@/features/auth/auth-frame";

export const dynamic = "force-dynamic";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return <AuthFrame>{children}</AuthFrame>;
}
