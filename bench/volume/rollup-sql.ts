import { LATENCY_BUCKET_COUNT } from "../../src/server/ledger/latency-histogram";
import { NO_API_KEY_ID, NO_PROVIDER } from "../../src/server/ledger/ledger-row";
import { CONVERSATION_MERGE } from "../../src/server/ledger/ledger-sql";
import { ROLLUP_SUM_COLUMNS } from "../../src/server/ledger/rollup-columns";

/**
 * The ledger's rollups (usage_hourly, usage_daily, usage_hourly_provider, usage_hourly_tag,
 * usage_daily_tag, conversations) computed set-based from a relation shaped like request_log,
 * written from the table definitions and independently of the LedgerWriter's batch SQL. Two uses:
 * - the volume seeder upserts them from the rows it has just generated (`rollupUpsertSql`);
 * - consistency checks rebuild them from request_log and diff them against the stored tables
 *   (`rollupDifferencesSql`).
 * timescale-volume-seed.integration.test.ts proves these rollups equal the LedgerWriter's for the
 * same rows, so either use stands for "what the writer maintains".
 */

const HOUR = (src: string) => `date_trunc('hour', ${src}.created_at, 'UTC')`;
const DAY = (src: string) => `date_trunc('day', ${src}.created_at, 'UTC')`;
const BUCKETS = Array.from({ length: LATENCY_BUCKET_COUNT }, (_, i) => i);

/** The per-group sums shared by both hourly rollups, in SUM_COLUMNS order. */
function sums(src: string): string {
  const lb = `${src}.lb`;
  return [
    "count(*)",
    `count(*) FILTER (WHERE ${src}.status = 'error')`,
    `count(*) FILTER (WHERE ${src}.streamed)`,
    `COALESCE(sum(${src}.input_tokens), 0)::BIGINT`,
    `COALESCE(sum(${src}.cached_input_tokens), 0)::BIGINT`,
    `COALESCE(sum(${src}.cache_write_tokens), 0)::BIGINT`,
    `COALESCE(sum(${src}.output_tokens), 0)::BIGINT`,
    `COALESCE(sum(${src}.reasoning_tokens), 0)::BIGINT`,
    `COALESCE(sum(${src}.cost_nano_usd), 0)::BIGINT`,
    `count(*) FILTER (WHERE ${src}.cost_nano_usd IS NULL)`,
    `COALESCE(sum(${src}.latency_ms), 0)::BIGINT`,
    `COALESCE(sum(${src}.ttft_ms), 0)::BIGINT`,
    `count(${src}.ttft_ms)`,
    `ARRAY[${BUCKETS.map((i) => `count(*) FILTER (WHERE ${lb} = ${i})`).join(", ")}]::INT[]`,
  ].join(",\n    ");
}

export const SUM_COLUMNS = [...ROLLUP_SUM_COLUMNS, "latency_hist"] as const;

export const HOURLY_COLUMNS = ["bucket", "api_key_id", "provider", "model", "status", "tags_key", "tags", ...SUM_COLUMNS] as const;
export const HOURLY_PROVIDER_COLUMNS = ["bucket", "provider", "status", ...SUM_COLUMNS] as const;
export const HOURLY_TAG_COLUMNS = ["bucket", "tag", "tag_key", "tag_value", "provider", "model", ...SUM_COLUMNS] as const;
export const CONVERSATION_COLUMNS = [
  "conversation_id",
  "first_at",
  "last_at",
  "requests",
  "error_requests",
  "input_tokens",
  "output_tokens",
  "cost_nano_usd",
  "unpriced_requests",
  "models",
  "api_key_ids",
  "tags",
] as const;

/** SELECTs producing rollup rows (columns in the *_COLUMNS order) from `source` (a relation name or CTE). */
export function rollupSelects(source: string): {
  hourly: string;
  daily: string;
  hourlyProvider: string;
  hourlyTag: string;
  dailyTag: string;
  conversations: string;
} {
  // Each row's histogram bucket computed once (OFFSET 0 keeps the planner from inlining the
  // subquery and re-evaluating the function in each of the bucket counts).
  const withBucket = `(SELECT src.*, "ledger_latency_bucket"(src.latency_ms) AS lb FROM ${source} AS src OFFSET 0)`;
  const tags = `COALESCE(s.tags, ARRAY[]::TEXT[])`;
  const keyed = (bucket: string) => `
  SELECT ${bucket} AS bucket, COALESCE(s.api_key_id, '${NO_API_KEY_ID}'::UUID) AS api_key_id,
    COALESCE(s.provider, '${NO_PROVIDER}') AS provider, s.model, s.status,
    array_to_string(${tags}, E'\\x1f') AS tags_key, ${tags} AS tags,
    ${sums("s")}
  FROM ${withBucket} AS s
  GROUP BY 1, 2, 3, 4, 5, 7`;
  const hourly = keyed(HOUR("s"));
  const daily = keyed(DAY("s"));
  const hourlyProvider = `
  SELECT ${HOUR("s")} AS bucket, COALESCE(s.provider, '${NO_PROVIDER}') AS provider, s.status,
    ${sums("s")}
  FROM ${withBucket} AS s
  GROUP BY 1, 2, 3`;
  const tagged = (bucket: string) => `
  SELECT ${bucket} AS bucket, t.tag,
    CASE WHEN strpos(t.tag, ':') > 0 THEN left(t.tag, strpos(t.tag, ':') - 1) ELSE '' END AS tag_key,
    CASE WHEN strpos(t.tag, ':') > 0 THEN substr(t.tag, strpos(t.tag, ':') + 1) ELSE t.tag END AS tag_value,
    COALESCE(s.provider, '${NO_PROVIDER}') AS provider, s.model,
    ${sums("s")}
  FROM ${withBucket} AS s CROSS JOIN LATERAL unnest(s.tags) AS t(tag)
  GROUP BY 1, 2, 5, 6`;
  const hourlyTag = tagged(HOUR("s"));
  const dailyTag = tagged(DAY("s"));
  const conversations = `
  SELECT g.conversation_id, g.first_at, g.last_at, g.requests, g.error_requests, g.input_tokens, g.output_tokens,
    g.cost_nano_usd, g.unpriced_requests, g.models, g.api_key_ids, COALESCE(ct.tags, ARRAY[]::TEXT[]) AS tags
  FROM (
    SELECT s.conversation_id, min(s.created_at) AS first_at, max(s.created_at) AS last_at,
      count(*) AS requests, count(*) FILTER (WHERE s.status = 'error') AS error_requests,
      COALESCE(sum(s.input_tokens), 0)::BIGINT AS input_tokens, COALESCE(sum(s.output_tokens), 0)::BIGINT AS output_tokens,
      COALESCE(sum(s.cost_nano_usd), 0)::BIGINT AS cost_nano_usd,
      count(*) FILTER (WHERE s.cost_nano_usd IS NULL) AS unpriced_requests,
      array_agg(DISTINCT s.model ORDER BY s.model) AS models,
      COALESCE(array_agg(DISTINCT s.api_key_id ORDER BY s.api_key_id) FILTER (WHERE s.api_key_id IS NOT NULL), ARRAY[]::UUID[]) AS api_key_ids
    FROM ${source} AS s
    WHERE s.conversation_id IS NOT NULL
    GROUP BY s.conversation_id
  ) AS g
  LEFT JOIN (
    SELECT s.conversation_id, array_agg(DISTINCT t.tag ORDER BY t.tag) AS tags
    FROM ${source} AS s CROSS JOIN LATERAL unnest(s.tags) AS t(tag)
    WHERE s.conversation_id IS NOT NULL
    GROUP BY s.conversation_id
  ) AS ct USING (conversation_id)`;
  return { hourly, daily, hourlyProvider, hourlyTag, dailyTag, conversations };
}

const addSums = (t: string) =>
  SUM_COLUMNS.map((c) =>
    c === "latency_hist"
      ? `latency_hist = ARRAY[${BUCKETS.map((i) => `COALESCE(${t}.latency_hist[${i + 1}], 0) + EXCLUDED.latency_hist[${i + 1}]`).join(", ")}]::INT[]`
      : `${c} = ${t}.${c} + EXCLUDED.${c}`,
  ).join(",\n    ");

/**
 * Data-modifying CTEs (to follow a `WITH <source> AS (…)` of freshly inserted rows) that add
 * `source`'s rollups to the stored ones, merging with rows already there exactly like the writer
 * (sums added, histograms added bucket by bucket, conversation spans widened, arrays unioned).
 * Upserts run in key order so that concurrent seeders lock rollup rows in the same order.
 */
export function rollupUpsertCtes(source: string): string {
  const q = rollupSelects(source);
  return `
hourly_upsert AS (
  INSERT INTO usage_hourly AS h (${HOURLY_COLUMNS.join(", ")})
  SELECT * FROM (${q.hourly}) AS x ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (bucket, api_key_id, provider, model, status, tags_key) DO UPDATE SET ${addSums("h")}
  RETURNING 1
),
daily_upsert AS (
  INSERT INTO usage_daily AS d (${HOURLY_COLUMNS.join(", ")})
  SELECT * FROM (${q.daily}) AS x ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (bucket, api_key_id, provider, model, status, tags_key) DO UPDATE SET ${addSums("d")}
  RETURNING 1
),
hourly_provider_upsert AS (
  INSERT INTO usage_hourly_provider AS hp (${HOURLY_PROVIDER_COLUMNS.join(", ")})
  SELECT * FROM (${q.hourlyProvider}) AS x ORDER BY 1, 2, 3
  ON CONFLICT (bucket, provider, status) DO UPDATE SET ${addSums("hp")}
  RETURNING 1
),
hourly_tag_upsert AS (
  INSERT INTO usage_hourly_tag AS ht (${HOURLY_TAG_COLUMNS.join(", ")})
  SELECT * FROM (${q.hourlyTag}) AS x ORDER BY 1, 2, 5, 6
  ON CONFLICT (bucket, tag, provider, model) DO UPDATE SET ${addSums("ht")}
  RETURNING 1
),
daily_tag_upsert AS (
  INSERT INTO usage_daily_tag AS dt (${HOURLY_TAG_COLUMNS.join(", ")})
  SELECT * FROM (${q.dailyTag}) AS x ORDER BY 1, 2, 5, 6
  ON CONFLICT (bucket, tag, provider, model) DO UPDATE SET ${addSums("dt")}
  RETURNING 1
),
conversation_upsert AS (
  INSERT INTO conversations AS c (${CONVERSATION_COLUMNS.join(", ")})
  SELECT * FROM (${q.conversations}) AS x ORDER BY 1
  ON CONFLICT (conversation_id) DO UPDATE SET
${CONVERSATION_MERGE}
  RETURNING 1
)`;
}

/**
 * One statement listing every rollup row that differs between the stored rollup tables and a
 * rebuild from request_log (empty = exact). Each row: `{ side, rollup, key }` where side says which
 * of the two holds it.
 */
export function rollupDifferencesSql(): string {
  const q = rollupSelects("request_log");
  const diff = (name: string, select: string, table: string, columns: readonly string[], key: string) => `
  (WITH rebuilt AS (${select}), stored AS (SELECT ${columns.join(", ")} FROM ${table})
   SELECT 'only in rebuild' AS side, '${name}' AS rollup, (${key})::text AS key FROM (TABLE rebuilt EXCEPT ALL TABLE stored) a
   UNION ALL
   SELECT 'only in stored', '${name}', (${key})::text FROM (TABLE stored EXCEPT ALL TABLE rebuilt) b)`;
  return [
    diff("usage_hourly", q.hourly, "usage_hourly", HOURLY_COLUMNS, "ROW(bucket, api_key_id, provider, model, status, tags_key)"),
    diff("usage_daily", q.daily, "usage_daily", HOURLY_COLUMNS, "ROW(bucket, api_key_id, provider, model, status, tags_key)"),
    diff("usage_hourly_provider", q.hourlyProvider, "usage_hourly_provider", HOURLY_PROVIDER_COLUMNS, "ROW(bucket, provider, status)"),
    diff("usage_hourly_tag", q.hourlyTag, "usage_hourly_tag", HOURLY_TAG_COLUMNS, "ROW(bucket, tag, provider, model)"),
    diff("usage_daily_tag", q.dailyTag, "usage_daily_tag", HOURLY_TAG_COLUMNS, "ROW(bucket, tag, provider, model)"),
    diff("conversations", q.conversations, "conversations", CONVERSATION_COLUMNS, "conversation_id"),
  ].join("\nUNION ALL\n");
}
