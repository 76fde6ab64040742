import { z } from "zod";
import { providerIds } from "@/gateway/providers/types";
import type { Queryable } from "@/server/db/queryable";
import { alignToHours, requestFilterFields, resolveRange } from "../usage/usage-filter";

export const listFilterOptionsInput = z.object({ from: requestFilterFields.from, to: requestFilterFields.to }).transform(resolveRange);

export const filterOptionsSchema = z.object({
  /** Tags seen in the range, sorted. */
  tags: z.array(z.string()),
  models: z.array(z.string()),
  providers: z.array(z.enum(providerIds)),
  /** Every gateway key, revoked ones too (their traffic stays in the ledger). */
  apiKeys: z.array(z.object({ id: z.string(), name: z.string(), prefix: z.string(), revoked: z.boolean() })),
});
export type FilterOptions = z.infer<typeof filterOptionsSchema>;

const MAX_OPTIONS = 500;

/** The choices the shared filter bar offers, read from the small rollup tables (never the raw ledger). */
export async function listFilterOptions(db: Queryable, input: z.input<typeof listFilterOptionsInput>): Promise<FilterOptions> {
  const range = alignToHours(listFilterOptionsInput.parse(input));
  const [tags, models, keys] = await Promise.all([
    db.query<{ tag: string }>(
      `SELECT DISTINCT tag FROM usage_hourly_tag WHERE bucket >= $1 AND bucket < $2 ORDER BY tag LIMIT ${MAX_OPTIONS}`,
      [range.from, range.to],
    ),
    db.query<{ model: string }>(
      `SELECT DISTINCT model FROM usage_hourly WHERE bucket >= $1 AND bucket < $2 ORDER BY model LIMIT ${MAX_OPTIONS}`,
      [range.from, range.to],
    ),
    db.query<{ id: string; name: string; prefix: string; revoked: boolean }>(
      `SELECT id, name, prefix, revoked_at IS NOT NULL AS revoked FROM api_keys ORDER BY revoked_at IS NOT NULL, name LIMIT ${MAX_OPTIONS}`,
    ),
  ]);
  return {
    tags: tags.rows.map((r) => r.tag),
    models: models.rows.map((r) => r.model),
    providers: [...providerIds],
    apiKeys: keys.rows,
  };
}
