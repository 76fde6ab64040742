import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { SqlParams, alignToHours, resolveRange, rollupFor, rollupHas, rollupRowsSql, usageFilterFields } from "./usage-filter";
import { toTotals, totalsSelect, usageTotalsSchema, type TotalsRow } from "./usage-totals";

export const getUsageByTagInput = z
  .object({
    ...usageFilterFields,
    /** Only this tag key ("team" for team:*; "" for bare tags); default every key. */
    tagKey: z.string().max(128).optional(),
  })
  .transform(resolveRange);

export const usageByTagValueSchema = usageTotalsSchema.extend({
  /** The whole tag, e.g. "team:ml". */
  tag: z.string(),
  /** "ml"; for a bare tag the tag itself. */
  value: z.string(),
});

export const getUsageByTagOutput = z.object({
  from: z.date(),
  to: z.date(),
  /** Per tag key (alphabetical; "" = bare tags), its values, largest cost first. */
  groups: z.array(z.object({ tagKey: z.string(), values: z.array(usageByTagValueSchema) })),
});
export type UsageByTag = z.infer<typeof getUsageByTagOutput>;

/** Same split as the ledger writer: key before the first ':', or '' for a bare tag. */
export function splitTag(tag: string): { key: string; value: string } {
  const i = tag.indexOf(":");
  return i >= 0 ? { key: tag.slice(0, i), value: tag.slice(i + 1) } : { key: "", value: tag };
}

const TAG_KEY_SQL = (t: string) => `CASE WHEN strpos(${t}, ':') > 0 THEN left(${t}, strpos(${t}, ':') - 1) ELSE '' END`;

/**
 * Usage per tag, grouped by tag key. A request with several tags counts once under each, so the
 * values of a key do not add up to the total when requests carry several values of one key.
 * Without status/key/tag filters this reads usage_daily_tag for whole days and usage_hourly_tag
 * for the edge hours (one row per tag, indexed by (tag_key, bucket)); with them it unnests the tag
 * sets of usage_daily/usage_hourly (rollupRowsSql) so that a question such as
 * "cost of feature:code-review per team:*" counts exactly the requests that carry both tags.
 */
export async function getUsageByTag(db: Queryable, input: z.input<typeof getUsageByTagInput>): Promise<UsageByTag> {
  const f = getUsageByTagInput.parse(input);
  const range = alignToHours(f);
  const sql = new SqlParams();
  let text: string;
  if (!rollupHas("usage_hourly_tag", f)) {
    const rows = rollupRowsSql(sql, f, range, rollupFor(f, ["tags"]));
    const tagKey = f.tagKey === undefined ? "" : `WHERE ${TAG_KEY_SQL("t.tag")} = ${sql.param(f.tagKey)}`;
    text = `SELECT t.tag, ${totalsSelect("h")}
              FROM (${rows}) h CROSS JOIN LATERAL unnest(h.tags) AS t(tag)
             ${tagKey}
             GROUP BY t.tag`;
  } else {
    const tagKey = f.tagKey === undefined ? undefined : sql.param(f.tagKey);
    const rows = rollupRowsSql(sql, f, range, "usage_hourly_tag", { extra: (r) => (tagKey === undefined ? [] : [`${r}.tag_key = ${tagKey}`]) });
    text = `SELECT ht.tag, ${totalsSelect("ht")}
              FROM (${rows}) ht
             GROUP BY ht.tag`;
  }
  const res = await db.query<TotalsRow & { tag: string }>(
    `SELECT * FROM (${text}) AS g ORDER BY g.cost_nano_usd::numeric DESC, g.requests::numeric DESC, g.tag`,
    sql.values,
  );
  const groups = new Map<string, UsageByTag["groups"][number]>();
  for (const r of res.rows) {
    const { key, value } = splitTag(r.tag);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { tagKey: key, values: [] }));
    g.values.push({ tag: r.tag, value, ...toTotals(r) });
  }
  return { from: range.from, to: range.to, groups: [...groups.values()].sort((a, b) => (a.tagKey < b.tagKey ? -1 : a.tagKey > b.tagKey ? 1 : 0)) };
}
