import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { SqlParams, alignToHours, previousPeriod, resolveRange, rollupRowsSql, usageFilterFields } from "./usage-filter";
import { toTotals, totalsSelect, usageTotalsSchema, type TotalsRow } from "./usage-totals";

export const getUsageSummaryInput = z.object(usageFilterFields).transform(resolveRange);

export const getUsageSummaryOutput = z.object({
  /** The range used: the requested one widened to whole hours. */
  from: z.date(),
  to: z.date(),
  current: usageTotalsSchema,
  /** The period of equal length just before `from`, for change indicators. */
  previousFrom: z.date(),
  previousTo: z.date(),
  previous: usageTotalsSchema,
});
export type UsageSummary = z.infer<typeof getUsageSummaryOutput>;

/** Totals of a range and of the period before it, in one statement over the daily and hourly rollups. */
export async function getUsageSummary(db: Queryable, input: z.input<typeof getUsageSummaryInput>): Promise<UsageSummary> {
  const f = getUsageSummaryInput.parse(input);
  const range = alignToHours(f);
  const prev = previousPeriod(range);
  const sql = new SqlParams();
  // Each period split into whole days and edge hours on its own: a day row may straddle range.from.
  const current = rollupRowsSql(sql, f, range);
  const previous = rollupRowsSql(sql, f, prev);
  const res = await db.query<TotalsRow & { is_current: boolean }>(
    `SELECT h.is_current,
       ${totalsSelect("h")}
       FROM (SELECT true AS is_current, c.* FROM (${current}) c
             UNION ALL
             SELECT false, p.* FROM (${previous}) p) h
      GROUP BY 1`,
    sql.values,
  );
  return {
    from: range.from,
    to: range.to,
    current: toTotals(res.rows.find((r) => r.is_current)),
    previousFrom: prev.from,
    previousTo: prev.to,
    previous: toTotals(res.rows.find((r) => !r.is_current)),
  };
}
