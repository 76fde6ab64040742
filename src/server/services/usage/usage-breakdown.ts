import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import {
  SqlParams,
  alignToHours,
  resolveRange,
  rollupFor,
  rollupRowsSql,
  usageFilterFields,
  type RollupColumn,
  type TimeRange,
  type UsageFilter,
} from "./usage-filter";
import { partialTotalsSelect, toTotals, totalsSelect, type TotalsRow, type UsageTotals } from "./usage-totals";

/** Input of the by-model / by-provider / by-api-key views: the shared filter. */
export const usageBreakdownInput = z.object(usageFilterFields).transform(resolveRange);

/**
 * Totals grouped by `keys` (select expressions over the rollup rows `h` of rollupRowsSql, aliased),
 * largest cost first. `columns` are the rollup columns the keys read: with the filter's, they pick
 * the rollup (`rollupFor`).
 * `join` may add a LEFT JOIN to a small table (api_keys) for display columns. `preGroupBy` (columns
 * of the rollup rows) groups the rollup rows by a finer key first; `keys` then read that grouping as
 * `h` (see partialTotalsSelect).
 */
export async function queryBreakdown<K extends Record<string, unknown>>(
  db: Queryable,
  f: UsageFilter,
  spec: { columns: RollupColumn[]; keys: string[]; groupBy: string[]; join?: string; tieBreak: string; preGroupBy?: string[] },
): Promise<{ range: TimeRange; rows: Array<{ key: K; totals: UsageTotals }> }> {
  const range = alignToHours(f);
  const sql = new SqlParams();
  const rows = `(${rollupRowsSql(sql, f, range, rollupFor(f, spec.columns))}) h`;
  const from = spec.preGroupBy
    ? `(SELECT ${spec.preGroupBy.map((c) => `h.${c}`).join(", ")},
       ${partialTotalsSelect("h")}
         FROM ${rows}
        GROUP BY ${spec.preGroupBy.map((c) => `h.${c}`).join(", ")}) h`
    : rows;
  const res = await db.query<TotalsRow & K>(
    `SELECT ${spec.keys.join(", ")},
       ${totalsSelect("h")}
       FROM ${from} ${spec.join ?? ""}
      GROUP BY ${spec.groupBy.join(", ")}
      ORDER BY sum(h.cost_nano_usd) DESC, sum(h.requests) DESC, ${spec.tieBreak}`,
    sql.values,
  );
  return { range, rows: res.rows.map((r) => ({ key: r as K, totals: toTotals(r) })) };
}
