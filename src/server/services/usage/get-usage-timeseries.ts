import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import {
  DAY_MS,
  HOUR_MS,
  SqlParams,
  alignToHours,
  bucketSchema,
  readsDailyRows,
  resolveBucket,
  resolveRange,
  rollupConditions,
  rollupFor,
  rollupRowsSql,
  splitByDays,
  usageFilterFields,
  type RequestFilter,
  type TimeRange,
} from "./usage-filter";
import { SUM_COLUMNS, partialTotalsSelect, toTotals, totalsSelect, usageTotalsSchema, type TotalsRow } from "./usage-totals";

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
 * Rows for local-day buckets in a zone other than UTC, for filters that need usage_hourly (whose
 * whole days come from usage_daily), each with its local day `b` and sums that may be negative;
 * summing them per `b` gives, for every local day, the sum of the usage_hourly rows whose hour
 * starts in that local day (the semantics of grouping usage_hourly by
 * `date_trunc('day', bucket, tz)`). That is exact for whole-hour offsets; for offsets such as
 * +05:30 an hour straddling local midnight counts whole on the day it starts in (rollups hold
 * nothing finer than hours).
 *
 * Reading every hourly row of a long range is slow, so each whole UTC day d of the range is read
 * from usage_daily and credited to the local day of its noon (the one it overlaps most for offsets
 * within ±12 h), and then, since the sums are additive, the hourly rows of d whose hour starts in
 * another local day move there (summed per hour): + on their own local day, − on d's. Those are
 * the few hours around local midnight (about |offset| of them a day, at most 12). The partial UTC
 * days at the range's edges are read from usage_hourly as they are. Filters apply to every part
 * alike (`splitByDays`, `rollupConditions`).
 */
function localDayRowsSql(sql: SqlParams, f: RequestFilter, range: TimeRange, tz: string): string {
  const noonDay = (utcDay: string) => `date_trunc('day', ${utcDay} + interval '12 hours', ${tz}::text)`;
  const ownDay = `date_trunc('day', r.bucket, ${tz}::text)`;
  const where = (part: TimeRange, ...extra: string[]) => [...rollupConditions(sql, f, part, "r"), ...extra].join(" AND ");
  const plain = [...SUM_COLUMNS, "latency_hist"].map((c) => `r.${c}`).join(", ");
  return splitByDays(range, (table, part) => {
    if (table === "hour") return `SELECT ${ownDay} AS b, ${plain} FROM usage_hourly r WHERE ${where(part)}`;
    // Summed per UTC day before the zone arithmetic, which is costly per row.
    const daily = `SELECT ${noonDay("d.bucket")} AS b, ${[...SUM_COLUMNS, "latency_hist"].map((c) => `d.${c}`).join(", ")}
                     FROM (SELECT r.bucket, ${partialTotalsSelect("r")} FROM usage_daily r WHERE ${where(part)} GROUP BY r.bucket) d`;
    // The hours of these days that start in another local day than their UTC day's noon; listed
    // up front so usage_hourly is read by its bucket index for those hours only.
    const moved = `ARRAY(SELECT g FROM generate_series(${sql.param(part.from)}::timestamptz, ${sql.param(part.to)}::timestamptz - interval '1 hour', interval '1 hour') AS g
                          WHERE date_trunc('day', g, ${tz}::text) <> ${noonDay(`date_trunc('day', g, 'UTC')`)})`;
    // Summed per hour first (the zone arithmetic is costly per row), so only one row per moved
    // hour is negated.
    const corrections = `SELECT m.b, ${SUM_COLUMNS.map((c) => `m.s * c.${c} AS ${c}`).join(", ")},
                                CASE WHEN m.s > 0 THEN c.latency_hist
                                     ELSE ARRAY(SELECT -x FROM unnest(c.latency_hist) WITH ORDINALITY AS u(x, i) ORDER BY i) END AS latency_hist
                           FROM (SELECT r.bucket, ${partialTotalsSelect("r")}
                                   FROM usage_hourly r
                                  WHERE ${where(part, `r.bucket = ANY(${moved})`)}
                                  GROUP BY r.bucket) c
                          CROSS JOIN LATERAL (VALUES (date_trunc('day', c.bucket, ${tz}::text), 1),
                                                     (${noonDay(`date_trunc('day', c.bucket, 'UTC')`)}, -1)) AS m(b, s)`;
    return `${daily}\n     UNION ALL\n     ${corrections}`;
  });
}

/**
 * Totals per hour or per local day, from the filter's rollup (`rollupFor`). Hour buckets group its
 * hourly rows. Day buckets group its rows by local day where they are hours (usage_hourly_provider,
 * any zone) or UTC days (usage_daily + edge hours, UTC); usage_hourly in other zones see
 * `localDayRowsSql`. A day bucket holds the hours that start in it (exact for whole-hour offsets).
 */
export async function getUsageTimeseries(db: Queryable, input: z.input<typeof getUsageTimeseriesInput>): Promise<UsageTimeseries> {
  const f = getUsageTimeseriesInput.parse(input);
  const range = alignToHours(f);
  const bucket = resolveBucket(range, f.bucket);
  const sql = new SqlParams();
  const table = rollupFor(f);
  let rows: string;
  let bucketExpr: string;
  let series: string;
  if (bucket === "hour") {
    rows = `(${rollupRowsSql(sql, f, range, table, { hoursOnly: true })}) h`;
    bucketExpr = "h.bucket";
    series = `SELECT b FROM generate_series(${sql.param(range.from)}::timestamptz, ${sql.param(range.to)}::timestamptz - interval '1 hour', interval '1 hour') AS b`;
  } else {
    const tz = sql.param(f.tz);
    if (f.tz === "UTC" || !readsDailyRows(table)) {
      rows = `(${rollupRowsSql(sql, f, range, table)}) h`;
      bucketExpr = `date_trunc('day', h.bucket, ${tz})`;
    } else {
      rows = `(${localDayRowsSql(sql, f, range, tz)}) h`;
      bucketExpr = "h.b";
    }
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
