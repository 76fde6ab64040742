import type { Metadata } from "next";
import { Suspense } from "react";
import { BreakdownView } from "@/features/breakdown/breakdown-view";

export const metadata: Metadata = { title: "Models" };

export default function ModelsPage() {
  return (
    <Suspense>
      <BreakdownView kind="model" />
    </Suspense>
  );
}
