import type { Metadata } from "next";
import { Suspense } from "react";
import { BreakdownView } from "@/features/breakdown/breakdown-view";

export const metadata: Metadata = { title: "Providers" };

export default function ProvidersPage() {
  return (
    <Suspense>
      <BreakdownView kind="provider" />
    </Suspense>
  );
}
