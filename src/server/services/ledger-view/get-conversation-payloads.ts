import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";

export const getConversationPayloadsInput = z.object({
  conversationId: z.string().min(1).max(256),
  /** The request ids of the page on screen (from usage getConversation). */
  ids: z.array(z.uuid()).min(1).max(1_000),
});

export const conversationPayloadsOutput = z.array(
  z.object({ id: z.string(), requestBody: z.unknown().nullable(), responseBody: z.unknown().nullable() }),
);
export type ConversationPayloads = z.infer<typeof conversationPayloadsOutput>;

/**
 * The logged bodies of a conversation's requests in one query over the conversation index (the
 * drill-down shows the messages of every turn). Rows without logged bodies are left out.
 */
export async function getConversationPayloads(db: Queryable, input: z.input<typeof getConversationPayloadsInput>): Promise<ConversationPayloads> {
  const { conversationId, ids } = getConversationPayloadsInput.parse(input);
  const res = await db.query<{ id: string; request_body: unknown; response_body: unknown }>(
    `SELECT id, request_body, response_body FROM request_log
      WHERE conversation_id = $1 AND id = ANY($2::uuid[]) AND (request_body IS NOT NULL OR response_body IS NOT NULL)`,
    [conversationId, ids],
  );
  return res.rows.map((r) => ({ id: r.id, requestBody: r.request_body ?? null, responseBody: r.response_body ?? null }));
}
