import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { CONVERSATION_COLUMNS, conversationSchema, toConversation, type ConversationDbRow } from "./conversation-row";
import { cursorSchema, decodeCursor, encodeCursor, limitSchema } from "./cursor";
import { REQUEST_ROW_COLUMNS, requestRowSchema, toRequestRow, type RequestDbRow } from "./request-row";
import { SqlParams } from "./usage-filter";

export const getConversationInput = z.object({
  conversationId: z.string().min(1).max(256),
  /** `nextCursor` of the previous page of requests. */
  cursor: cursorSchema({ uuidKey: true }).optional(),
  limit: limitSchema(1_000, 200),
});

export const getConversationOutput = z
  .object({
    conversation: conversationSchema,
    /** Oldest first, as the conversation happened. */
    requests: z.array(requestRowSchema),
    nextCursor: z.string().nullable(),
  })
  .nullable();
export type ConversationDetail = z.infer<typeof getConversationOutput>;

/**
 * A conversation and its requests in order, read from the partial index
 * request_log (conversation_id, created_at) WHERE conversation_id IS NOT NULL; null if unknown.
 */
export async function getConversation(db: Queryable, input: z.input<typeof getConversationInput>): Promise<ConversationDetail> {
  const f = getConversationInput.parse(input);
  const head = await db.query<ConversationDbRow>(`SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE c.conversation_id = $1`, [f.conversationId]);
  const conv = head.rows[0];
  if (!conv) return null;
  const sql = new SqlParams();
  // Bounded by the conversation's own span so the index range is tight (and hypertable chunks prune).
  const where = [
    `r.conversation_id = ${sql.param(f.conversationId)}`,
    `r.created_at >= ${sql.param(conv.first_at)}`,
    `r.created_at <= ${sql.param(conv.last_at)}`,
  ];
  const after = f.cursor === undefined ? null : decodeCursor(f.cursor);
  if (after) {
    const at = sql.param(after.at);
    where.push(`r.created_at >= ${at}`, `(r.created_at, r.id) > (${at}, ${sql.param(after.key)}::uuid)`);
  }
  const res = await db.query<RequestDbRow>(
    `SELECT ${REQUEST_ROW_COLUMNS}
       FROM request_log r
      WHERE ${where.join(" AND ")}
      ORDER BY r.created_at, r.id
      LIMIT ${sql.param(f.limit + 1)}`,
    sql.values,
  );
  const more = res.rows.length > f.limit;
  const requests = (more ? res.rows.slice(0, f.limit) : res.rows).map(toRequestRow);
  const last = requests[requests.length - 1];
  return { conversation: toConversation(conv), requests, nextCursor: more && last ? encodeCursor(last.createdAt, last.id) : null };
}
