import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { REQUEST_DETAIL_COLUMNS, requestDetailSchema, toRequestDetail, type RequestDetail, type RequestDetailDbRow } from "./request-row";
import { SqlParams, instantSchema } from "./usage-filter";

export const getRequestInput = z.object({
  id: z.uuid(),
  /**
   * The row's created_at, as every list row carries it: with it the lookup is a primary-key seek.
   * Without it the lookup is by id alone, which request_log has no index for (see the report).
   */
  createdAt: instantSchema.optional(),
});

export const getRequestOutput = requestDetailSchema.nullable();

/** One ledger row with its error message and (when payload logging was on) the bodies; null if absent. */
export async function getRequest(db: Queryable, input: z.input<typeof getRequestInput>): Promise<RequestDetail | null> {
  const { id, createdAt } = getRequestInput.parse(input);
  const sql = new SqlParams();
  const where = [`r.id = ${sql.param(id)}::uuid`];
  if (createdAt) where.push(`r.created_at = ${sql.param(createdAt)}`);
  const res = await db.query<RequestDetailDbRow>(
    `SELECT ${REQUEST_DETAIL_COLUMNS} FROM request_log r WHERE ${where.join(" AND ")} LIMIT 1`,
    sql.values,
  );
  const row = res.rows[0];
  return row ? toRequestDetail(row) : null;
}
