import { z } from "zod";
import { providerIds } from "@/gateway/providers/types";
import { ROLLUP_SUM_COLUMNS } from "@/server/ledger/rollup-columns";

/**
 * The filter every usage view shares (summary, time series, breakdowns, request list, CSV). Input
 * schemas are plain zod so the dashboard's tRPC procedures reuse them as they are; the REST glue
 * fills them from query parameters and turns a ZodError into a 400 naming the parameter.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const DEFAULT_RANGE_DAYS = 30;
/** Ranges up to this long default to hour buckets, longer ones to day buckets. */
export const AUTO_HOUR_BUCKET_MAX_MS = 7 * DAY_MS;

const INSTANT_ERROR = "must be an ISO 8601 date-time with a zone, such as 2026-01-31T00:00:00Z, or a date such as 2026-01-31";
/** A Date (tRPC carries them with superjson), an ISO 8601 date-time with offset, or a date (UTC midnight). */
export const instantSchema = z
  .union([z.date(), z.iso.datetime({ offset: true }), z.iso.date()], { error: INSTANT_ERROR })
  .transform((v) => new Date(v))
  .pipe(z.date({ error: INSTANT_ERROR }));

function isTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z.string().refine(isTimeZone, { error: "must be an IANA time zone such as UTC or Europe/Berlin" });

export const requestStatusSchema = z.enum(["success", "error", "cancelled"]);
export const bucketSchema = z.enum(["hour", "day"]);
export type Bucket = z.infer<typeof bucketSchema>;

const MAX_LIST = 100;
export const tagSchema = z.string().min(1).max(128);

/** Which requests: spread into each service's input object. */
export const requestFilterFields = {
  /** Inclusive; default `to` minus 30 days. */
  from: instantSchema.optional(),
  /** Exclusive; default now. */
  to: instantSchema.optional(),
  model: z.array(z.string().min(1).max(256)).max(MAX_LIST).default([]),
  provider: z.array(z.enum(providerIds)).max(MAX_LIST).default([]),
  status: z.array(requestStatusSchema).max(MAX_LIST).default([]),
  apiKeyId: z.array(z.uuid()).max(MAX_LIST).default([]),
  /** All of them must be present on a request. */
  tags: z.array(tagSchema).max(32).default([]),
};

/** How to bucket them (time series only; the other views accept and ignore them). */
export const bucketFields = {
  /** Time-series granularity; default hour for ranges up to 7 days, else day. */
  bucket: bucketSchema.optional(),
  /** Day buckets start at midnight in this zone. Hour buckets are absolute hours and ignore it. */
  tz: timeZoneSchema.default("UTC"),
};

export const usageFilterFields = { ...requestFilterFields, ...bucketFields };

export const usageFilterSchema = z.object(usageFilterFields).transform(resolveRange);
export type UsageFilterInput = z.input<typeof usageFilterSchema>;
export type UsageFilter = z.output<typeof usageFilterSchema>;
/** The part of the filter that selects requests (what rollup and ledger conditions read). */
export type RequestFilter = Pick<UsageFilter, "from" | "to" | "model" | "provider" | "status" | "apiKeyId" | "tags">;

/**
 * Fills the default range and checks it. Used as the `.transform` of every input schema so the
 * parsed input always has a concrete [from, to); parsing a parsed value again gives the same value.
 */
export function resolveRange<T extends { from?: Date | undefined; to?: Date | undefined }>(
  v: T,
  ctx: z.RefinementCtx,
): Omit<T, "from" | "to"> & { from: Date; to: Date } {
  const to = v.to ?? new Date();
  const from = v.from ?? new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  if (from.getTime() >= to.getTime()) {
    ctx.addIssue({ code: "custom", message: "from must be earlier than to", path: [v.from ? "from" : "to"] });
    return z.NEVER;
  }
  return { ...v, from, to };
}

export interface TimeRange {
  from: Date;
  to: Date;
}

/**
 * Rollups hold whole UTC hours, so their views widen the range to whole hours: `from` down, `to` up
 * (a "last 24 hours" view includes the current hour). Services report the range they used.
 */
export function alignToHours(range: TimeRange): TimeRange {
  const from = Math.floor(range.from.getTime() / HOUR_MS) * HOUR_MS;
  const to = Math.ceil(range.to.getTime() / HOUR_MS) * HOUR_MS;
  return { from: new Date(from), to: new Date(Math.max(to, from + HOUR_MS)) };
}

/** The period of equal length just before `range` (for change indicators). */
export function previousPeriod(range: TimeRange): TimeRange {
  const len = range.to.getTime() - range.from.getTime();
  return { from: new Date(range.from.getTime() - len), to: range.from };
}

export function resolveBucket(range: TimeRange, bucket: Bucket | undefined): Bucket {
  if (bucket) return bucket;
  return range.to.getTime() - range.from.getTime() <= AUTO_HOUR_BUCKET_MAX_MS ? "hour" : "day";
}

/** Positional parameters for one statement: `sql.param(v)` returns `$n`. */
export class SqlParams {
  readonly values: unknown[] = [];
  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** A column of the rollups (and of request_log) that a filter tests or a view groups by. */
export type RollupColumn = "api_key_id" | "provider" | "model" | "status" | "tags" | "tag" | "tag_key";

/**
 * The hourly rollups: their key columns (selected in this order) and the daily twin, if any, that
 * serves the whole UTC days of a range. usage_hourly_provider has no twin: at a dozen rows an hour
 * it is smaller read whole than usage_daily over the same days, and its rows stay hours.
 */
const ROLLUPS = {
  usage_hourly_provider: { daily: null, keys: ["provider", "status"] },
  usage_hourly: { daily: "usage_daily", keys: ["api_key_id", "provider", "model", "status", "tags"] },
  usage_hourly_tag: { daily: "usage_daily_tag", keys: ["tag", "tag_key", "provider", "model"] },
} as const satisfies Record<string, { daily: string | null; keys: readonly RollupColumn[] }>;
export type RollupTable = keyof typeof ROLLUPS;

/** The filter's list fields, the column each one tests, and how. */
const FILTER_CONDITIONS: ReadonlyArray<{
  field: "model" | "provider" | "status" | "apiKeyId" | "tags";
  column: RollupColumn;
  test: (column: string, param: string) => string;
}> = [
  { field: "model", column: "model", test: (c, p) => `${c} = ANY(${p}::text[])` },
  { field: "provider", column: "provider", test: (c, p) => `${c} = ANY(${p}::text[])` },
  { field: "status", column: "status", test: (c, p) => `${c} = ANY(${p}::text[])` },
  { field: "apiKeyId", column: "api_key_id", test: (c, p) => `${c} = ANY(${p}::uuid[])` },
  { field: "tags", column: "tags", test: (c, p) => `${c} @> ${p}::text[]` },
];

const setConditions = (f: RequestFilter) => FILTER_CONDITIONS.filter((x) => f[x.field].length > 0);

/** Whether `table` has every column the filter tests and the view reads (`keys`). */
export function rollupHas(table: RollupTable, f: RequestFilter, keys: readonly RollupColumn[] = []): boolean {
  const columns: readonly RollupColumn[] = ROLLUPS[table].keys;
  return [...setConditions(f).map((x) => x.column), ...keys].every((c) => columns.includes(c));
}

/**
 * The one place that picks the rollup of a view: the coarsest that has every column its filter
 * tests and it groups by. No filter, provider and status (the dashboard's default views) read
 * usage_hourly_provider; anything naming a model, key or tags needs usage_hourly.
 */
export function rollupFor(f: RequestFilter, keys: readonly RollupColumn[] = []): RollupTable {
  return rollupHas("usage_hourly_provider", f, keys) ? "usage_hourly_provider" : "usage_hourly";
}

/** Whether rollupRowsSql reads `table`'s daily twin for whole days: its rows then group by UTC day, not by hour. */
export function readsDailyRows(table: RollupTable): boolean {
  return ROLLUPS[table].daily !== null;
}

function filterConditions(sql: SqlParams, f: RequestFilter, alias: string): string[] {
  return setConditions(f).map((x) => x.test(`${alias}.${x.column}`, sql.param(f[x.field])));
}

/** WHERE conditions over a rollup table for an hour-aligned range; `table` must have the filter's columns (`rollupFor`). */
export function rollupConditions(sql: SqlParams, f: RequestFilter, range: TimeRange, alias: string, table: RollupTable = "usage_hourly"): string[] {
  if (!rollupHas(table, f)) throw new Error(`${table} cannot apply this filter`);
  return [`${alias}.bucket >= ${sql.param(range.from)}`, `${alias}.bucket < ${sql.param(range.to)}`, ...filterConditions(sql, f, alias)];
}

/**
 * A SELECT of `table`'s rows (bucket, its key columns and the sums; read it as a subquery) covering
 * an hour-aligned range and the filter. A rollup with a daily twin is read from the twin for the
 * range's whole UTC days and hourly only for the hours before the first and after the last of
 * them: the same totals from ~24x fewer rows on long ranges, but daily rows carry their day's
 * midnight as `bucket`, so callers may group them by UTC day and not by hour (`readsDailyRows`).
 * `hoursOnly` reads the hourly table alone; `extra` are further conditions on the alias `r`.
 */
export function rollupRowsSql(
  sql: SqlParams,
  f: RequestFilter,
  range: TimeRange,
  table: RollupTable = rollupFor(f),
  options: { hoursOnly?: boolean; extra?: (alias: string) => string[] } = {},
): string {
  const { daily, keys } = ROLLUPS[table];
  const columns = ["bucket", ...keys, ...ROLLUP_SUM_COLUMNS, "latency_hist"].join(", ");
  const select = (from: string, part: TimeRange) =>
    `SELECT ${columns} FROM ${from} r WHERE ${[...rollupConditions(sql, f, part, "r", table), ...(options.extra?.("r") ?? [])].join(" AND ")}`;
  if (daily === null || options.hoursOnly) return select(table, range);
  return splitByDays(range, (kind, part) => select(kind === "hour" ? table : daily, part));
}

/** One SELECT per part of an hour-aligned range: its whole UTC days, and the hours before and after them. */
export function splitByDays(range: TimeRange, select: (table: "hour" | "day", part: TimeRange) => string): string {
  const from = range.from.getTime();
  const to = range.to.getTime();
  const firstDay = Math.ceil(from / DAY_MS) * DAY_MS;
  const endDay = Math.floor(to / DAY_MS) * DAY_MS;
  const at = (a: number, b: number): TimeRange => ({ from: new Date(a), to: new Date(b) });
  if (firstDay >= endDay) return select("hour", at(from, to));
  const parts = [select("day", at(firstDay, endDay))];
  if (from < firstDay) parts.push(select("hour", at(from, firstDay)));
  if (endDay < to) parts.push(select("hour", at(endDay, to)));
  return parts.join("\n     UNION ALL\n     ");
}

/** WHERE conditions over request_log (exact range, no alignment). */
export function ledgerConditions(sql: SqlParams, f: RequestFilter & { conversationId?: string | undefined }, alias = "r"): string[] {
  const c = [`${alias}.created_at >= ${sql.param(f.from)}`, `${alias}.created_at < ${sql.param(f.to)}`, ...filterConditions(sql, f, alias)];
  if (f.conversationId !== undefined) c.push(`${alias}.conversation_id = ${sql.param(f.conversationId)}`);
  return c;
}
