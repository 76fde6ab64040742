import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { SqlParams, alignToHours, previousPeriod, resolveRange, rollupConditions, usageFilterFields } from "./usage-filter";
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

/** Totals of a range and of the period before it, in one pass over usage_hourly. */
export async function getUsageSummary(db: Queryable, input: z.input<typeof getUsageSummaryInput>): Promise<UsageSummary> {
  const f = getUsageSummaryInput.parse(input);
  const range = alignToHours(f);
  const prev = previousPeriod(range);
  const sql = new SqlParams();
  const where = rollupConditions(sql, f, { from: prev.from, to: range.to }, "h");
  const res = await db.query<TotalsRow & { is_current: boolean }>(
    `SELECT (h.bucket >= ${sql.param(range.from)}) AS is_current,
       ${totalsSelect("h")}
       FROM usage_hourly h
      WHERE ${where.join(" AND ")}
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
