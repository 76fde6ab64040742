import type { Metadata } from "next";
import { Suspense } from "react";
import { ConversationDetailView } from "@/features/conversations/conversation-detail-view";

export const metadata: Metadata = { title: "Conversation" };

export default async function ConversationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <Suspense>
      <ConversationDetailView conversationId={safeDecode(id)} />
    </Suspense>
  );
}

/** Conversation ids cannot contain "%", so decoding an already decoded id changes nothing. */
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
