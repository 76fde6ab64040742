import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { SqlParams, alignToHours, resolveRange, rollupConditions, usageFilterFields, type TimeRange, type UsageFilter } from "./usage-filter";
import { toTotals, totalsSelect, type TotalsRow, type UsageTotals } from "./usage-totals";

/** Input of the by-model / by-provider / by-api-key views: the shared filter. */
export const usageBreakdownInput = z.object(usageFilterFields).transform(resolveRange);

/**
 * Totals grouped by `keys` (select expressions over usage_hourly `h`, aliased), largest cost first.
 * `join` may add a LEFT JOIN to a small table (api_keys) for display columns.
 */
export async function queryBreakdown<K extends Record<string, unknown>>(
  db: Queryable,
  f: UsageFilter,
  spec: { keys: string[]; groupBy: string[]; join?: string; tieBreak: string },
): Promise<{ range: TimeRange; rows: Array<{ key: K; totals: UsageTotals }> }> {
  const range = alignToHours(f);
  const sql = new SqlParams();
  const where = rollupConditions(sql, f, range, "h");
  const res = await db.query<TotalsRow & K>(
    `SELECT ${spec.keys.join(", ")},
       ${totalsSelect("h")}
       FROM usage_hourly h ${spec.join ?? ""}
      WHERE ${where.join(" AND ")}
      GROUP BY ${spec.groupBy.join(", ")}
      ORDER BY sum(h.cost_nano_usd) DESC, sum(h.requests) DESC, ${spec.tieBreak}`,
    sql.values,
  );
  return { range, rows: res.rows.map((r) => ({ key: r as K, totals: toTotals(r) })) };
}
