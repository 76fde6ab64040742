import type { Metadata } from "next";
import { Suspense } from "react";
import { ConversationsView } from "@/features/conversations/conversations-view";

export const metadata: Metadata = { title: "Conversations" };

export default function ConversationsPage() {
  return (
    <Suspense>
      <ConversationsView />
    </Suspense>
  );
}
