import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { cursorSchema, decodeCursor, encodeCursor, limitSchema, type CursorPosition } from "./cursor";
import { REQUEST_ROW_COLUMNS, requestRowSchema, toRequestRow, type RequestDbRow, type RequestRow } from "./request-row";
import { SqlParams, ledgerConditions, requestFilterFields, resolveRange, type RequestFilter } from "./usage-filter";

export const MAX_REQUESTS_PAGE = 500;

const ledgerFilterFields = {
  ...requestFilterFields,
  conversationId: z.string().min(1).max(256).optional(),
};

export const listRequestsInput = z
  .object({
    ...ledgerFilterFields,
    /** `nextCursor` of the previous page. */
    cursor: cursorSchema({ uuidKey: true }).optional(),
    limit: limitSchema(MAX_REQUESTS_PAGE, 50),
  })
  .transform(resolveRange);

export const listRequestsOutput = z.object({
  rows: z.array(requestRowSchema),
  /** `null` on the last page. */
  nextCursor: z.string().nullable(),
});
export type RequestPage = z.infer<typeof listRequestsOutput>;

/** The ledger filter without paging (the CSV export walks every page itself). */
export const requestLedgerFilterInput = z.object(ledgerFilterFields).transform(resolveRange);
export type RequestLedgerFilter = z.output<typeof requestLedgerFilterInput>;

/**
 * One page of request_log, newest first, by keyset on (created_at, id): the primary key read
 * backwards (or the api-key, tag or conversation index when those filters are set), never an
 * OFFSET.
 */
export async function fetchRequestPage(
  db: Queryable,
  f: RequestFilter & { conversationId?: string | undefined },
  after: CursorPosition | null,
  limit: number,
): Promise<{ rows: RequestRow[]; next: CursorPosition | null }> {
  const sql = new SqlParams();
  const where = ledgerConditions(sql, f, "r");
  if (after) {
    const at = sql.param(after.at);
    // The plain created_at bound lets every index on created_at seek; the row comparison breaks ties.
    where.push(`r.created_at <= ${at}`, `(r.created_at, r.id) < (${at}, ${sql.param(after.key)}::uuid)`);
  }
  const res = await db.query<RequestDbRow>(
    `SELECT ${REQUEST_ROW_COLUMNS}
       FROM request_log r
      WHERE ${where.join(" AND ")}
      ORDER BY r.created_at DESC, r.id DESC
      LIMIT ${sql.param(limit + 1)}`,
    sql.values,
  );
  const more = res.rows.length > limit;
  const rows = (more ? res.rows.slice(0, limit) : res.rows).map(toRequestRow);
  const last = rows[rows.length - 1];
  return { rows, next: more && last ? { at: last.createdAt, key: last.id } : null };
}

export async function listRequests(db: Queryable, input: z.input<typeof listRequestsInput>): Promise<RequestPage> {
  const f = listRequestsInput.parse(input);
  const page = await fetchRequestPage(db, f, f.cursor === undefined ? null : decodeCursor(f.cursor), f.limit);
  return { rows: page.rows, nextCursor: page.next ? encodeCursor(page.next.at, page.next.key) : null };
}
