import type { Metadata } from "next";
import { Suspense } from "react";
import { TagsView } from "@/features/tags/tags-view";

export const metadata: Metadata = { title: "Tags" };

export default function TagsPage() {
  return (
    <Suspense>
      <TagsView />
    </Suspense>
  );
}
