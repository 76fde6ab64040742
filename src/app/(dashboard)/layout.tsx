import type { ReactNode } from "react";
import { requireViewer } from "@/server/auth/pages";
import { AppShell } from "@/features/shell/app-shell";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const viewer = await requireViewer();
  return <AppShell viewer={viewer}>{children}</AppShell>;
}
