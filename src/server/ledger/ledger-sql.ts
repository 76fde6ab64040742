import { LATENCY_BUCKET_COUNT } from "./latency-histogram";
import { NO_API_KEY_ID, NO_PROVIDER, tagsKey, type LedgerRow } from "./ledger-row";

/**
 * One batch = ONE statement = one transaction and one round trip:
 *  1. the rows arrive as one array parameter per column and are inserted with
 *     INSERT … SELECT FROM unnest(…) ON CONFLICT (created_at, id) DO NOTHING RETURNING …;
 *  2. the rollups (usage_hourly, usage_daily, usage_hourly_provider, usage_hourly_tag, usage_daily_tag,
 *     conversations) are upserted (INSERT … ON CONFLICT DO UPDATE, sums added) from exactly the rows
 *     that RETURNING reports as inserted.
 * A replayed row conflicts, is not returned, and so is not counted twice: replays are idempotent
 * and the rollups stay equal to SUM() over request_log. Rollup rows are upserted in key order so
 * concurrent writers (several processes) lock them in the same order and cannot deadlock.
 * Hours are UTC hours whatever the session's TimeZone.
 */

// Tags travel as one text per row (joined by U+001F, which normalizeTags strips from tags): a
// text[][] parameter would have to be rectangular.
const SPLIT_TAGS = `CASE WHEN u.tags_key = '' THEN ARRAY[]::TEXT[] ELSE string_to_array(u.tags_key, E'\\x1f') END`;
const BUCKET = `date_trunc('hour', created_at, 'UTC')`;

const BUCKETS = Array.from({ length: LATENCY_BUCKET_COUNT }, (_, i) => i);
// Histograms are built and added with plain count(*) FILTER and array subscripts rather than the
// ledger_hist_sum/ledger_hist_add SQL functions (kept for readers of the rollups): that keeps the
// per-row work in C and more than doubles batch throughput. `lb` is each row's bucket, computed
// once in RETURNING by ledger_latency_bucket, the one SQL copy of the bucket bounds.
const HIST_OF_GROUP = `ARRAY[${BUCKETS.map((i) => `count(*) FILTER (WHERE lb = ${i})`).join(", ")}]::INT[]`;
const ADD_HIST = (t: string) =>
  `ARRAY[${BUCKETS.map((i) => `COALESCE(${t}.latency_hist[${i + 1}], 0) + EXCLUDED.latency_hist[${i + 1}]`).join(", ")}]::INT[]`;

/** The sums shared by both hourly rollups, over the rows of `ins`, named as the rollup columns. */
const HOURLY_SUMS = `
    count(*) AS requests,
    count(*) FILTER (WHERE status = 'error') AS error_requests,
    count(*) FILTER (WHERE streamed) AS streamed_requests,
    COALESCE(sum(input_tokens), 0) AS input_tokens,
    COALESCE(sum(cached_input_tokens), 0) AS cached_input_tokens,
    COALESCE(sum(cache_write_tokens), 0) AS cache_write_tokens,
    COALESCE(sum(output_tokens), 0) AS output_tokens,
    COALESCE(sum(reasoning_tokens), 0) AS reasoning_tokens,
    COALESCE(sum(cost_nano_usd), 0) AS cost_nano_usd,
    count(*) FILTER (WHERE cost_nano_usd IS NULL) AS unpriced_requests,
    COALESCE(sum(latency_ms), 0) AS latency_ms_sum,
    COALESCE(sum(ttft_ms), 0) AS ttft_ms_sum,
    count(ttft_ms) AS ttft_count,
    ${HIST_OF_GROUP} AS latency_hist`;

const SUM_COLUMNS = `requests, error_requests, streamed_requests, input_tokens, cached_input_tokens,
    cache_write_tokens, output_tokens, reasoning_tokens, cost_nano_usd, unpriced_requests,
    latency_ms_sum, ttft_ms_sum, ttft_count, latency_hist`;

/**
 * The daily and per-provider rollups re-add the batch's hourly groups (a handful) rather than the
 * rows: the per-row histogram counts are then done once per batch, not once per rollup.
 */
const SUMS_OF_HOURS = `
    sum(requests), sum(error_requests), sum(streamed_requests), sum(input_tokens),
    sum(cached_input_tokens), sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens),
    sum(cost_nano_usd), sum(unpriced_requests), sum(latency_ms_sum), sum(ttft_ms_sum), sum(ttft_count),
    ARRAY[${BUCKETS.map((i) => `sum(latency_hist[${i + 1}])`).join(", ")}]::INT[]`;

const ADD_SUMS = (t: string) => `
    requests = ${t}.requests + EXCLUDED.requests,
    error_requests = ${t}.error_requests + EXCLUDED.error_requests,
    streamed_requests = ${t}.streamed_requests + EXCLUDED.streamed_requests,
    input_tokens = ${t}.input_tokens + EXCLUDED.input_tokens,
    cached_input_tokens = ${t}.cached_input_tokens + EXCLUDED.cached_input_tokens,
    cache_write_tokens = ${t}.cache_write_tokens + EXCLUDED.cache_write_tokens,
    output_tokens = ${t}.output_tokens + EXCLUDED.output_tokens,
    reasoning_tokens = ${t}.reasoning_tokens + EXCLUDED.reasoning_tokens,
    cost_nano_usd = ${t}.cost_nano_usd + EXCLUDED.cost_nano_usd,
    unpriced_requests = ${t}.unpriced_requests + EXCLUDED.unpriced_requests,
    latency_ms_sum = ${t}.latency_ms_sum + EXCLUDED.latency_ms_sum,
    ttft_ms_sum = ${t}.ttft_ms_sum + EXCLUDED.ttft_ms_sum,
    ttft_count = ${t}.ttft_count + EXCLUDED.ttft_count,
    latency_hist = ${ADD_HIST(t)}`;

/** How a conversations row absorbs a new group of its requests (writer and volume seeder alike). */
export const CONVERSATION_MERGE = `
    first_at = LEAST(c.first_at, EXCLUDED.first_at),
    last_at = GREATEST(c.last_at, EXCLUDED.last_at),
    requests = c.requests + EXCLUDED.requests,
    error_requests = c.error_requests + EXCLUDED.error_requests,
    input_tokens = c.input_tokens + EXCLUDED.input_tokens,
    output_tokens = c.output_tokens + EXCLUDED.output_tokens,
    cost_nano_usd = c.cost_nano_usd + EXCLUDED.cost_nano_usd,
    unpriced_requests = c.unpriced_requests + EXCLUDED.unpriced_requests,
    models = "ledger_array_union"(c.models, EXCLUDED.models),
    api_key_ids = "ledger_array_union"(c.api_key_ids, EXCLUDED.api_key_ids),
    tags = "ledger_array_union"(c.tags, EXCLUDED.tags)`;

export const INSERT_BATCH_SQL = `
WITH ins AS (
  INSERT INTO request_log (
    id, created_at, endpoint, api_key_id, provider, model, status, http_status, error_code,
    error_message, upstream_status, streamed, byok, input_tokens, cached_input_tokens,
    cache_write_tokens, output_tokens, reasoning_tokens, cost_nano_usd, price_version,
    pricing_status, latency_ms, ttft_ms, tags, conversation_id, request_id, trace_id,
    request_body, response_body)
  SELECT
    u.id, u.created_at, u.endpoint, u.api_key_id, u.provider, u.model, u.status, u.http_status,
    u.error_code, u.error_message, u.upstream_status, u.streamed, u.byok, u.input_tokens,
    u.cached_input_tokens, u.cache_write_tokens, u.output_tokens, u.reasoning_tokens,
    u.cost_nano_usd, u.price_version, u.pricing_status, u.latency_ms, u.ttft_ms, ${SPLIT_TAGS},
    u.conversation_id, u.request_id, u.trace_id, u.request_body::JSONB, u.response_body::JSONB
  FROM unnest(
    $1::UUID[], $2::TIMESTAMPTZ[], $3::TEXT[], $4::UUID[], $5::TEXT[], $6::TEXT[], $7::TEXT[],
    $8::INT[], $9::TEXT[], $10::TEXT[], $11::INT[], $12::BOOLEAN[], $13::BOOLEAN[], $14::INT[],
    $15::INT[], $16::INT[], $17::INT[], $18::INT[], $19::BIGINT[], $20::TEXT[], $21::TEXT[],
    $22::INT[], $23::INT[], $24::TEXT[], $25::TEXT[], $26::TEXT[], $27::TEXT[], $28::TEXT[],
    $29::TEXT[]
  ) AS u(
    id, created_at, endpoint, api_key_id, provider, model, status, http_status, error_code,
    error_message, upstream_status, streamed, byok, input_tokens, cached_input_tokens,
    cache_write_tokens, output_tokens, reasoning_tokens, cost_nano_usd, price_version,
    pricing_status, latency_ms, ttft_ms, tags_key, conversation_id, request_id, trace_id,
    request_body, response_body)
  ON CONFLICT (created_at, id) DO NOTHING
  RETURNING created_at, api_key_id, provider, model, status, streamed, input_tokens,
    cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost_nano_usd,
    latency_ms, ttft_ms, tags, conversation_id, "ledger_latency_bucket"(latency_ms) AS lb
),
hourly_rows AS (
  SELECT ${BUCKET} AS bucket, COALESCE(api_key_id, '${NO_API_KEY_ID}'::UUID) AS api_key_id,
    COALESCE(provider, '${NO_PROVIDER}') AS provider, model, status,
    array_to_string(tags, E'\\x1f') AS tags_key, tags, ${HOURLY_SUMS}
  FROM ins
  GROUP BY 1, 2, 3, 4, 5, 7
),
hourly AS (
  INSERT INTO usage_hourly AS h (bucket, api_key_id, provider, model, status, tags_key, tags, ${SUM_COLUMNS})
  SELECT bucket, api_key_id, provider, model, status, tags_key, tags, ${SUM_COLUMNS}
  FROM hourly_rows
  ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (bucket, api_key_id, provider, model, status, tags_key) DO UPDATE SET ${ADD_SUMS("h")}
  RETURNING 1
),
daily AS (
  INSERT INTO usage_daily AS d (bucket, api_key_id, provider, model, status, tags_key, tags, ${SUM_COLUMNS})
  SELECT date_trunc('day', bucket, 'UTC'), api_key_id, provider, model, status, tags_key, tags, ${SUMS_OF_HOURS}
  FROM hourly_rows
  GROUP BY 1, 2, 3, 4, 5, 6, 7
  ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (bucket, api_key_id, provider, model, status, tags_key) DO UPDATE SET ${ADD_SUMS("d")}
  RETURNING 1
),
hourly_provider AS (
  INSERT INTO usage_hourly_provider AS hp (bucket, provider, status, ${SUM_COLUMNS})
  SELECT bucket, provider, status, ${SUMS_OF_HOURS}
  FROM hourly_rows
  GROUP BY 1, 2, 3
  ORDER BY 1, 2, 3
  ON CONFLICT (bucket, provider, status) DO UPDATE SET ${ADD_SUMS("hp")}
  RETURNING 1
),
hourly_tag_rows AS (
  SELECT ${BUCKET} AS bucket, tag,
    CASE WHEN strpos(tag, ':') > 0 THEN left(tag, strpos(tag, ':') - 1) ELSE '' END AS tag_key,
    CASE WHEN strpos(tag, ':') > 0 THEN substr(tag, strpos(tag, ':') + 1) ELSE tag END AS tag_value,
    COALESCE(provider, '${NO_PROVIDER}') AS provider, model, ${HOURLY_SUMS}
  FROM ins CROSS JOIN LATERAL unnest(ins.tags) AS tag
  GROUP BY 1, 2, 5, 6
),
hourly_tag AS (
  INSERT INTO usage_hourly_tag AS ht (bucket, tag, tag_key, tag_value, provider, model, ${SUM_COLUMNS})
  SELECT bucket, tag, tag_key, tag_value, provider, model, ${SUM_COLUMNS}
  FROM hourly_tag_rows
  ORDER BY 1, 2, 5, 6
  ON CONFLICT (bucket, tag, provider, model) DO UPDATE SET ${ADD_SUMS("ht")}
  RETURNING 1
),
daily_tag AS (
  INSERT INTO usage_daily_tag AS dt (bucket, tag, tag_key, tag_value, provider, model, ${SUM_COLUMNS})
  SELECT date_trunc('day', bucket, 'UTC'), tag, tag_key, tag_value, provider, model, ${SUMS_OF_HOURS}
  FROM hourly_tag_rows
  GROUP BY 1, 2, 3, 4, 5, 6
  ORDER BY 1, 2, 5, 6
  ON CONFLICT (bucket, tag, provider, model) DO UPDATE SET ${ADD_SUMS("dt")}
  RETURNING 1
),
conversation_tags AS (
  SELECT conversation_id, array_agg(DISTINCT tag ORDER BY tag) AS tags
  FROM ins CROSS JOIN LATERAL unnest(ins.tags) AS tag
  WHERE conversation_id IS NOT NULL
  GROUP BY conversation_id
),
conversation AS (
  INSERT INTO conversations AS c (conversation_id, first_at, last_at, requests, error_requests,
    input_tokens, output_tokens, cost_nano_usd, unpriced_requests, models, api_key_ids, tags)
  SELECT g.conversation_id, g.first_at, g.last_at, g.requests, g.error_requests, g.input_tokens,
    g.output_tokens, g.cost_nano_usd, g.unpriced_requests, g.models, g.api_key_ids,
    COALESCE(ct.tags, ARRAY[]::TEXT[])
  FROM (
    SELECT conversation_id, min(created_at) AS first_at, max(created_at) AS last_at,
      count(*) AS requests, count(*) FILTER (WHERE status = 'error') AS error_requests,
      COALESCE(sum(input_tokens), 0) AS input_tokens, COALESCE(sum(output_tokens), 0) AS output_tokens,
      COALESCE(sum(cost_nano_usd), 0) AS cost_nano_usd,
      count(*) FILTER (WHERE cost_nano_usd IS NULL) AS unpriced_requests,
      array_agg(DISTINCT model ORDER BY model) AS models,
      COALESCE(array_agg(DISTINCT api_key_id ORDER BY api_key_id) FILTER (WHERE api_key_id IS NOT NULL),
        ARRAY[]::UUID[]) AS api_key_ids
    FROM ins
    WHERE conversation_id IS NOT NULL
    GROUP BY conversation_id
  ) AS g
  LEFT JOIN conversation_tags AS ct USING (conversation_id)
  ORDER BY g.conversation_id
  ON CONFLICT (conversation_id) DO UPDATE SET
${CONVERSATION_MERGE}
  RETURNING 1
)
SELECT (SELECT count(*) FROM ins)::INT AS inserted`;

/** The 29 column arrays of INSERT_BATCH_SQL, in parameter order. */
export function batchParams(rows: readonly LedgerRow[]): unknown[][] {
  const cols: unknown[][] = Array.from({ length: 29 }, () => new Array<unknown>(rows.length));
  rows.forEach((r, i) => {
    const values = [
      r.id, r.createdAt, r.endpoint, r.apiKeyId, r.provider, r.model, r.status, r.httpStatus,
      r.errorCode, r.errorMessage, r.upstreamStatus, r.streamed, r.byok, r.inputTokens,
      r.cachedInputTokens, r.cacheWriteTokens, r.outputTokens, r.reasoningTokens, r.costNanoUsd,
      r.priceVersion, r.pricingStatus, r.latencyMs, r.ttftMs, tagsKey(r.tags), r.conversationId,
      r.requestId, r.traceId, r.requestBody, r.responseBody,
    ];
    values.forEach((v, c) => {
      (cols[c] as unknown[])[i] = v;
    });
  });
  return cols;
}
