import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { CONVERSATION_COLUMNS, conversationSchema, toConversation, type ConversationDbRow, type ConversationSummary } from "./conversation-row";
import { cursorSchema, decodeCursor, encodeCursor, limitSchema } from "./cursor";
import { SqlParams, requestFilterFields, resolveRange } from "./usage-filter";

export const listConversationsInput = z
  .object({
    from: requestFilterFields.from,
    to: requestFilterFields.to,
    /** Conversations that used any of these models. */
    model: requestFilterFields.model,
    /** Conversations in which any of these keys made a request. */
    apiKeyId: requestFilterFields.apiKeyId,
    /** Conversations whose requests carried all of these tags (between them). */
    tags: requestFilterFields.tags,
    cursor: cursorSchema({ uuidKey: false }).optional(),
    limit: limitSchema(200, 50),
  })
  .transform(resolveRange);

export const listConversationsOutput = z.object({
  rows: z.array(conversationSchema),
  nextCursor: z.string().nullable(),
});
export type ConversationPage = z.infer<typeof listConversationsOutput>;

/**
 * Conversations active in [from, to) (first request before `to`, last one at or after `from`),
 * most recently active first, keyset-paged on (last_at, conversation_id) over the last_at index.
 * A conversation that gets a new request while a client pages moves to the front; a page already
 * read is not revisited.
 * Read as two disjoint parts so that a range in the past does not walk the last_at index back
 * over every newer conversation: those still active at `to` (last_at >= to; they sort first),
 * found through the GiST index on tstzrange(first_at, last_at, '[]') containing `to`, and those
 * that ended inside the range, read backwards from `to` on the last_at index.
 */
export async function listConversations(db: Queryable, input: z.input<typeof listConversationsInput>): Promise<ConversationPage> {
  const f = listConversationsInput.parse(input);
  const sql = new SqlParams();
  const to = sql.param(f.to);
  const where = [`c.last_at >= ${sql.param(f.from)}`, `c.first_at < ${to}`];
  if (f.model.length > 0) where.push(`c.models && ${sql.param(f.model)}::text[]`);
  if (f.apiKeyId.length > 0) where.push(`c.api_key_ids && ${sql.param(f.apiKeyId)}::uuid[]`);
  if (f.tags.length > 0) where.push(`c.tags @> ${sql.param(f.tags)}::text[]`);
  const after = f.cursor === undefined ? null : decodeCursor(f.cursor);
  if (after) {
    const at = sql.param(after.at);
    where.push(`c.last_at <= ${at}`, `(c.last_at, c.conversation_id) < (${at}, ${sql.param(after.key)})`);
  }
  const limit = sql.param(f.limit + 1);
  const part = (cond: string) => `(SELECT ${CONVERSATION_COLUMNS}
       FROM conversations c
      WHERE ${[cond, ...where].join(" AND ")}
      ORDER BY c.last_at DESC, c.conversation_id DESC
      LIMIT ${limit})`;
  const res = await db.query<ConversationDbRow>(
    `SELECT * FROM (
       ${part(`tstzrange(c.first_at, c.last_at, '[]') @> ${to}::timestamptz AND c.last_at >= ${to}`)}
       UNION ALL
       ${part(`c.last_at < ${to}`)}
     ) AS x
     ORDER BY x.last_at DESC, x.conversation_id DESC
     LIMIT ${limit}`,
    sql.values,
  );
  const more = res.rows.length > f.limit;
  const rows: ConversationSummary[] = (more ? res.rows.slice(0, f.limit) : res.rows).map(toConversation);
  const last = rows[rows.length - 1];
  return { rows, nextCursor: more && last ? encodeCursor(last.lastAt, last.conversationId) : null };
}
