import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import {
  DAY_MS,
  HOUR_MS,
  SqlParams,
  alignToHours,
  bucketSchema,
  resolveBucket,
  resolveRange,
  rollupConditions,
  rollupRowsSql,
  usageFilterFields,
} from "./usage-filter";
import { toTotals, totalsSelect, usageTotalsSchema, type TotalsRow } from "./usage-totals";

/** Enough for a year of hours or ten years of days; more points than that is no chart. */
export const MAX_TIMESERIES_POINTS = 9_000;

export const getUsageTimeseriesInput = z
  .object(usageFilterFields)
  .transform(resolveRange)
  .superRefine((v, ctx) => {
    const range = alignToHours(v);
    const bucket = resolveBucket(range, v.bucket);
    const points = (range.to.getTime() - range.from.getTime()) / (bucket === "hour" ? HOUR_MS : DAY_MS);
    if (points > MAX_TIMESERIES_POINTS) {
      ctx.addIssue({
        code: "custom",
        path: ["bucket"],
        message: `the range holds more than ${MAX_TIMESERIES_POINTS} ${bucket} buckets; use day buckets or a shorter range`,
      });
    }
  });

export const usageTimeseriesPointSchema = usageTotalsSchema.extend({
  /** Start of the bucket: an hour (UTC), or midnight in `tz` for day buckets. */
  bucketStart: z.date(),
});

export const getUsageTimeseriesOutput = z.object({
  from: z.date(),
  to: z.date(),
  bucket: bucketSchema,
  tz: z.string(),
  /** Every bucket of the range in order, zeros where nothing happened. */
  points: z.array(usageTimeseriesPointSchema),
});
export type UsageTimeseries = z.infer<typeof getUsageTimeseriesOutput>;

/**
 * Totals per hour or per local day from usage_hourly. Day buckets group each hourly row by the
 * local day its hour starts in, which is exact for zones whose offset is a whole number of hours;
 * UTC days read usage_daily for the range's whole days.
 */
export async function getUsageTimeseries(db: Queryable, input: z.input<typeof getUsageTimeseriesInput>): Promise<UsageTimeseries> {
  const f = getUsageTimeseriesInput.parse(input);
  const range = alignToHours(f);
  const bucket = resolveBucket(range, f.bucket);
  const sql = new SqlParams();
  let rows: string;
  let bucketExpr: string;
  let series: string;
  if (bucket === "hour") {
    rows = `usage_hourly h WHERE ${rollupConditions(sql, f, range, "h").join(" AND ")}`;
    bucketExpr = "h.bucket";
    series = `SELECT b FROM generate_series(${sql.param(range.from)}::timestamptz, ${sql.param(range.to)}::timestamptz - interval '1 hour', interval '1 hour') AS b`;
  } else {
    // UTC days can read usage_daily for whole days; other zones' days start mid UTC day.
    rows = f.tz === "UTC" ? `(${rollupRowsSql(sql, f, range)}) h` : `usage_hourly h WHERE ${rollupConditions(sql, f, range, "h").join(" AND ")}`;
    const tz = sql.param(f.tz);
    bucketExpr = `date_trunc('day', h.bucket, ${tz})`;
    // Local calendar days, each turned back into the instant of its midnight (DST-safe).
    series = `SELECT d AT TIME ZONE ${tz} AS b
                FROM generate_series((${sql.param(range.from)}::timestamptz AT TIME ZONE ${tz})::date::timestamp,
                                     ((${sql.param(range.to)}::timestamptz - interval '1 millisecond') AT TIME ZONE ${tz})::date::timestamp,
                                     interval '1 day') AS d`;
  }
  const res = await db.query<Partial<TotalsRow> & { b: Date }>(
    `WITH agg AS (
       SELECT ${bucketExpr} AS b,
       ${totalsSelect("h")}
         FROM ${rows}
        GROUP BY 1
     ), series AS (${series})
     SELECT series.b, agg.requests, agg.error_requests, agg.streamed_requests, agg.input_tokens, agg.cached_input_tokens,
            agg.cache_write_tokens, agg.output_tokens, agg.reasoning_tokens, agg.cost_nano_usd, agg.unpriced_requests,
            agg.latency_ms_sum, agg.ttft_ms_sum, agg.ttft_count, agg.latency_hist
       FROM series LEFT JOIN agg ON agg.b = series.b
      ORDER BY series.b`,
    sql.values,
  );
  return {
    from: range.from,
    to: range.to,
    bucket,
    tz: bucket === "day" ? f.tz : "UTC",
    points: res.rows.map((r) => ({ bucketStart: r.b, ...toTotals(r) })),
  };
}
