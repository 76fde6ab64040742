import { randomBytes } from "node:crypto";
import type pg from "pg";
import { rollupUpsertCtes } from "./rollup-sql";
import { buildProfile, cumulative, dailyRows, type VolumeProfile } from "./volume-profile";

/**
 * Seeds a realistic ledger fast: rows are generated inside PostgreSQL (INSERT … SELECT over
 * generate_series, one statement per day of data), and each statement also upserts the rollups of
 * exactly the rows it inserted (RETURNING → rollup-sql.ts), so request_log is written once and
 * never read back. Days are spread over `workers` connections.
 *
 * Shape of the data (see volume-profile.ts for keys, models, tags): sessions start at a diurnal
 * rate; 18 % of chat sessions are conversations of 1–30 turns (skewed short, a few seconds to
 * minutes apart, prompts growing with the context, cache reads from the second turn on); the rest
 * are single requests. ~1 % errors (rate limits, upstream errors, timeouts, invalid requests before
 * routing), ~0.3 % client cancellations. Costs use the price table's integer nano-USD rates,
 * long-context tiers included; the fine-tune has no price.
 */

export interface SeedVolumeOptions {
  rows: number;
  /** Days of data ending at `end` (default 90). */
  days?: number;
  /** Exclusive end of the data (default: the start of the current UTC hour). */
  end?: Date;
  /** Connections working in parallel (default 2). */
  workers?: number;
  seed?: number;
  /**
   * Drop request_log's secondary indexes while loading and rebuild them after (much faster for
   * big seeds). Only when request_log starts empty and is a plain table. Default true.
   */
  rebuildIndexes?: boolean;
  log?: (message: string) => void;
}

export interface SeedVolumeResult {
  rows: number;
  days: number;
  from: Date;
  to: Date;
  loadMs: number;
  indexMs: number;
  analyzeMs: number;
  totalMs: number;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * One day of data in one statement. $1 profile arrays (JSON), $2 start of the 24-hour window,
 * $3 latest allowed created_at (end − 1 ms), $4 sessions to draw, $5 rows to insert,
 * $6 conversation id prefix, $7 cumulative hour weights starting at the window's first hour.
 */
const GENERATE_SQL = `
WITH cfg AS (
  SELECT
    ARRAY(SELECT jsonb_array_elements_text(c->'m_id')) AS m_id,
    ARRAY(SELECT jsonb_array_elements_text(c->'m_provider')) AS m_provider,
    ARRAY(SELECT jsonb_array_elements_text(c->'m_kind')) AS m_kind,
    ARRAY(SELECT jsonb_array_elements_text(c->'m_reasoning')::boolean) AS m_reasoning,
    ARRAY(SELECT jsonb_array_elements_text(c->'m_priced')::boolean) AS m_priced,
    ARRAY(SELECT jsonb_array_elements_text(c->'m_rates')::bigint) AS m_rates,
    ARRAY(SELECT jsonb_array_elements_text(c->'m_lc_above')::int) AS m_lc_above,
    ARRAY(SELECT jsonb_array_elements_text(c->'m_lc_rates')::bigint) AS m_lc_rates,
    ARRAY(SELECT jsonb_array_elements_text(c->'m_ttft')::float8) AS m_ttft,
    ARRAY(SELECT jsonb_array_elements_text(c->'m_tps')::float8) AS m_tps,
    ARRAY(SELECT jsonb_array_elements_text(c->'g_cum')::float8) AS g_cum,
    ARRAY(SELECT jsonb_array_elements_text(c->'k_id')::uuid) AS k_id,
    ARRAY(SELECT jsonb_array_elements_text(c->'k_team')) AS k_team,
    ARRAY(SELECT jsonb_array_elements_text(c->'k_env')) AS k_env,
    ARRAY(SELECT jsonb_array_elements_text(c->'k_byok')::boolean) AS k_byok,
    ARRAY(SELECT jsonb_array_elements_text(c->'k_tagged')::boolean) AS k_tagged,
    ARRAY(SELECT NULLIF(jsonb_array_elements_text(c->'k_bare'), '')) AS k_bare,
    ARRAY(SELECT jsonb_array_elements_text(c->'k_feat')) AS k_feat,
    ARRAY(SELECT jsonb_array_elements_text(c->'k_models')::int) AS k_models,
    ARRAY(SELECT jsonb_array_elements_text(c->'k_primary')::float8) AS k_primary,
    ARRAY(SELECT jsonb_array_elements_text(c->'key_cum')::float8) AS key_cum,
    $7::float8[] AS hour_cum,
    c->>'price_version' AS price_version
  FROM (SELECT $1::jsonb AS c) AS j
),
-- Sessions: the draws first (materialised once, volatile), then what follows from them.
s0 AS (
  SELECT g.sid, width_bucket(random(), cfg.key_cum) AS k,
    random() AS r_primary, random() AS r_model, random() AS r_conv, random() AS r_turns, random() AS r_stream,
    random() AS r_feat, random() AS r_gap, random() AS r_b1, random() AS r_b2,
    $2::timestamptz + (width_bucket(random(), cfg.hour_cum) - 1) * interval '1 hour' + random() * interval '1 hour' AS start_at
  FROM generate_series(1, $4::int) AS g(sid), cfg
),
s1 AS (
  SELECT s0.*,
    CASE WHEN s0.r_primary < cfg.k_primary[s0.k]
      THEN cfg.k_models[(s0.k - 1) * 4 + width_bucket(s0.r_model, ARRAY[0, 0.55, 0.80, 0.92]::float8[])]
      ELSE width_bucket(s0.r_model, cfg.g_cum) END AS m,
    width_bucket(s0.r_feat, ARRAY[0, 0.10, 0.64, 0.91]::float8[]) - 1 AS f,
    sqrt(-2 * ln(1 - s0.r_b1)) * cos(2 * pi() * s0.r_b2) AS n_base
  FROM s0, cfg
),
s2 AS (
  SELECT s1.sid, s1.k, s1.m, s1.start_at,
    cfg.m_kind[s1.m] = 'chat' AND s1.r_conv < 0.18 AS conv,
    CASE WHEN cfg.m_kind[s1.m] = 'chat' AND s1.r_conv < 0.18 THEN 1 + floor(30 * power(s1.r_turns, 2.2))::int ELSE 1 END AS turns,
    cfg.m_kind[s1.m] = 'chat' AND s1.r_stream < 0.7 AS streamed,
    20 + s1.r_gap * 160 AS gap_s,
    CASE WHEN cfg.m_kind[s1.m] = 'chat' THEN LEAST(exp(6.0 + 1.1 * s1.n_base), 150000) ELSE LEAST(exp(4.5 + 1.2 * s1.n_base), 8000) END AS base_in,
    CASE WHEN cfg.k_tagged[s1.k] THEN array_remove(ARRAY[
      cfg.k_bare[s1.k],
      'env:' || cfg.k_env[s1.k],
      CASE WHEN s1.f > 0 THEN 'feature:' || cfg.k_feat[(s1.k - 1) * 3 + s1.f] END,
      'team:' || cfg.k_team[s1.k]], NULL) ELSE ARRAY[]::TEXT[] END AS tags
  FROM s1, cfg
),
-- One row per turn, with its own draws; LIMIT stops the generation at the day's row count.
r0 AS (
  SELECT s2.*, t.turn, gen_random_uuid() AS id,
    random() AS r_status, random() AS r_err, random() AS r_in, random() AS r_cache, random() AS r_write,
    random() AS r_reason, random() AS r_trace, random() AS r_jit, random() AS r_lat,
    sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS n_out,
    sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS n_lat
  FROM s2 CROSS JOIN LATERAL generate_series(1, s2.turns) AS t(turn)
  LIMIT $5::int
),
r1 AS (
  SELECT r0.*,
    CASE WHEN r0.r_status < 0.010 THEN 'error' WHEN r0.r_status < 0.013 THEN 'cancelled' ELSE 'success' END AS status,
    CASE WHEN r0.r_status >= 0.010 THEN NULL WHEN r0.r_err < 0.4 THEN 'rate_limited' WHEN r0.r_err < 0.7 THEN 'upstream_error'
         WHEN r0.r_err < 0.9 THEN 'upstream_timeout' ELSE 'invalid_request' END AS error_code,
    LEAST(created_base, $3::timestamptz) AS created_at
  FROM (SELECT r0.*, r0.start_at + ((r0.turn - 1) * r0.gap_s + r0.r_jit * 10) * interval '1 second' AS created_base FROM r0) AS r0
),
r2 AS (
  SELECT r1.*,
    CASE WHEN r1.status = 'error' THEN 0
      ELSE LEAST(floor(r1.base_in * (1 + 0.7 * (r1.turn - 1)) * (0.85 + 0.3 * r1.r_in)), 1000000)::int END AS input_tokens,
    CASE WHEN r1.status = 'error' OR cfg.m_kind[r1.m] <> 'chat' THEN 0
      ELSE LEAST(floor(exp(5.4 + 0.9 * r1.n_out) * CASE WHEN r1.status = 'cancelled' THEN 0.3 ELSE 1 END), 32000)::int END AS output_tokens
  FROM r1, cfg
),
r3 AS (
  SELECT r2.*,
    CASE WHEN r2.input_tokens > 0 AND r2.turn > 1 AND r2.r_cache < 0.75 THEN floor(r2.input_tokens * (0.45 + 0.45 * r2.r_write))::int ELSE 0 END AS cached_input_tokens,
    CASE WHEN r2.input_tokens > 0 AND r2.turn = 1 AND cfg.m_provider[r2.m] = 'anthropic' AND r2.r_write < 0.3 THEN floor(r2.input_tokens * 0.8)::int ELSE 0 END AS cache_write_tokens,
    CASE WHEN cfg.m_reasoning[r2.m] AND r2.r_reason < 0.7 THEN floor(r2.output_tokens * (0.2 + 0.8 * r2.r_reason))::int ELSE 0 END AS reasoning_tokens,
    -- Time to first token, then generation at the model's speed; failures by kind.
    cfg.m_ttft[r2.m] * exp(0.45 * r2.n_lat) AS ttft,
    CASE
      WHEN r2.error_code = 'rate_limited' THEN 15 + r2.r_lat * 250
      WHEN r2.error_code = 'upstream_error' THEN 200 + r2.r_lat * 4000
      WHEN r2.error_code = 'upstream_timeout' THEN 30000 + r2.r_lat * 90000
      WHEN r2.error_code = 'invalid_request' THEN 2 + r2.r_lat * 20
      WHEN cfg.m_kind[r2.m] <> 'chat' THEN 60 + 150 * exp(0.5 * r2.n_lat)
      ELSE cfg.m_ttft[r2.m] * exp(0.45 * r2.n_lat) + r2.output_tokens * 1000 / cfg.m_tps[r2.m]
    END AS latency
  FROM r2, cfg
),
r4 AS (
  SELECT r3.*,
    -- rates: 4 per model (input, cached input, cache write, output); the long-context tier above its threshold.
    CASE WHEN r3.input_tokens > cfg.m_lc_above[r3.m] AND cfg.m_lc_above[r3.m] > 0 THEN 0 ELSE 1 END AS normal_tier,
    (r3.m - 1) * 4 AS ri
  FROM r3, cfg
),
gen AS (
  SELECT r4.id, r4.created_at, CASE WHEN cfg.m_kind[r4.m] = 'chat' THEN 'chat' ELSE 'embeddings' END AS endpoint,
    cfg.k_id[r4.k] AS api_key_id,
    CASE WHEN r4.error_code = 'invalid_request' THEN NULL ELSE cfg.m_provider[r4.m] END AS provider,
    cfg.m_id[r4.m] AS model, r4.status,
    CASE r4.error_code WHEN 'rate_limited' THEN 429 WHEN 'upstream_error' THEN 502 WHEN 'upstream_timeout' THEN 504
      WHEN 'invalid_request' THEN 400 ELSE CASE WHEN r4.status = 'cancelled' THEN 499 ELSE 200 END END AS http_status,
    CASE WHEN r4.status = 'cancelled' THEN 'cancelled' ELSE r4.error_code END AS error_code,
    CASE r4.error_code WHEN 'rate_limited' THEN 'provider rate limit exceeded; retry after 20s'
      WHEN 'upstream_error' THEN 'upstream answered 500 Internal Server Error'
      WHEN 'upstream_timeout' THEN 'upstream did not answer within the timeout'
      WHEN 'invalid_request' THEN 'messages[0].content must not be empty' END AS error_message,
    CASE r4.error_code WHEN 'rate_limited' THEN 429 WHEN 'upstream_error' THEN 500 END AS upstream_status,
    r4.streamed, cfg.k_byok[r4.k] AS byok,
    r4.input_tokens, r4.cached_input_tokens, r4.cache_write_tokens, r4.output_tokens, r4.reasoning_tokens,
    CASE WHEN r4.status = 'error' THEN 0::bigint
      WHEN NOT cfg.m_priced[r4.m] THEN NULL
      WHEN r4.normal_tier = 1 THEN
        (r4.input_tokens - r4.cached_input_tokens - r4.cache_write_tokens)::bigint * cfg.m_rates[r4.ri + 1]
        + r4.cached_input_tokens::bigint * cfg.m_rates[r4.ri + 2] + r4.cache_write_tokens::bigint * cfg.m_rates[r4.ri + 3]
        + r4.output_tokens::bigint * cfg.m_rates[r4.ri + 4]
      ELSE
        (r4.input_tokens - r4.cached_input_tokens - r4.cache_write_tokens)::bigint * cfg.m_lc_rates[r4.ri + 1]
        + r4.cached_input_tokens::bigint * cfg.m_lc_rates[r4.ri + 2] + r4.cache_write_tokens::bigint * cfg.m_lc_rates[r4.ri + 3]
        + r4.output_tokens::bigint * cfg.m_lc_rates[r4.ri + 4]
    END AS cost_nano_usd,
    CASE WHEN r4.status <> 'error' AND cfg.m_priced[r4.m] THEN cfg.price_version END AS price_version,
    CASE WHEN r4.status = 'error' THEN 'not_billable' WHEN NOT cfg.m_priced[r4.m] THEN 'unknown_model' ELSE 'priced' END AS pricing_status,
    LEAST(floor(r4.latency), 600000)::int AS latency_ms,
    CASE WHEN r4.streamed AND r4.status <> 'error' THEN LEAST(floor(r4.ttft), floor(r4.latency))::int END AS ttft_ms,
    r4.tags,
    CASE WHEN r4.conv THEN $6::text || r4.sid END AS conversation_id,
    'req_' || replace(r4.id::text, '-', '') AS request_id,
    CASE WHEN r4.r_trace < 0.25 THEN md5(r4.id::text) END AS trace_id
  FROM r4, cfg
),
ins AS (
  INSERT INTO request_log (id, created_at, endpoint, api_key_id, provider, model, status, http_status, error_code,
    error_message, upstream_status, streamed, byok, input_tokens, cached_input_tokens, cache_write_tokens,
    output_tokens, reasoning_tokens, cost_nano_usd, price_version, pricing_status, latency_ms, ttft_ms, tags,
    conversation_id, request_id, trace_id)
  SELECT * FROM gen
  RETURNING *
),
${rollupUpsertCtes("ins")}
SELECT (SELECT count(*) FROM ins)::int AS inserted`;

/** The profile as the JSON parameter of GENERATE_SQL. */
export function profileParameter(p: VolumeProfile): string {
  const zero: [bigint, bigint, bigint, bigint] = [0n, 0n, 0n, 0n];
  return JSON.stringify({
    m_id: p.models.map((m) => m.id),
    m_provider: p.models.map((m) => m.provider),
    m_kind: p.models.map((m) => m.kind),
    m_reasoning: p.models.map((m) => m.reasoning),
    m_priced: p.models.map((m) => m.rates !== null),
    m_rates: p.models.flatMap((m) => (m.rates ?? zero).map(String)),
    m_lc_above: p.models.map((m) => m.longContext?.above ?? 0),
    m_lc_rates: p.models.flatMap((m) => (m.longContext?.rates ?? zero).map(String)),
    m_ttft: p.models.map((m) => m.ttftMs),
    m_tps: p.models.map((m) => m.tokensPerSecond),
    g_cum: cumulative(p.models.map((m) => m.weight)),
    k_id: p.keys.map((k) => k.id),
    k_team: p.keys.map((k) => k.team),
    k_env: p.keys.map((k) => k.env),
    k_byok: p.keys.map((k) => k.byok),
    k_tagged: p.keys.map((k) => k.tagged),
    k_bare: p.keys.map((k) => k.bareTag ?? ""),
    k_feat: p.keys.flatMap((k) => k.features),
    k_models: p.keys.flatMap((k) => k.models),
    k_primary: p.keys.map((k) => k.primaryShare),
    key_cum: cumulative(p.keys.map((k) => k.weight)),
    price_version: p.priceVersion,
  });
}

interface IndexDef {
  name: string;
  def: string;
}

async function isHypertable(db: pg.PoolClient): Promise<boolean> {
  const exists = await db.query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`);
  if (exists.rows.length === 0) return false;
  const res = await db.query(`SELECT 1 FROM timescaledb_information.hypertables WHERE hypertable_name = 'request_log'`);
  return res.rows.length > 0;
}

export async function seedVolume(pool: pg.Pool, options: SeedVolumeOptions): Promise<SeedVolumeResult> {
  const t0 = performance.now();
  const log = options.log ?? (() => {});
  const days = options.days ?? 90;
  const end = options.end ?? new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS);
  const from = new Date(end.getTime() - days * DAY_MS);
  const seed = options.seed ?? 1;
  const profile = buildProfile(seed);
  const cfg = profileParameter(profile);
  const perDay = dailyRows(options.rows, days, from, seed);
  const runId = randomBytes(3).toString("hex");

  // Setup, then the workers, then the index rebuild: one connection at a time outside the load,
  // so a pool of one connection (the embedded TimescaleDB in tests) works too.
  let dropped: IndexDef[] = [];
  await withClient(pool, async (c) => {
    for (const k of profile.keys) {
      await c.query(
        `INSERT INTO api_keys (id, name, prefix, key_hash, role) VALUES ($1, $2, $3, $4, 'execute') ON CONFLICT (id) DO NOTHING`,
        [k.id, k.name, `sy_${k.id.slice(0, 8)}`, `volume-seed-${k.id}`],
      );
    }
    const empty = (await c.query(`SELECT NOT EXISTS (SELECT 1 FROM request_log) AS empty`)).rows[0].empty as boolean;
    if ((options.rebuildIndexes ?? true) && empty && !(await isHypertable(c))) {
      const res = await c.query<IndexDef>(
        `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
           FROM pg_index i WHERE i.indrelid = 'request_log'::regclass AND NOT i.indisprimary`,
      );
      dropped = res.rows;
      for (const ix of dropped) await c.query(`DROP INDEX ${ix.name}`);
      if (dropped.length > 0) log(`dropped ${dropped.length} secondary index(es) of request_log for the load`);
    }
  });

  let loadMs = 0;
  let indexMs = 0;
  try {
    // 24-hour windows ending at `end`; each window's hour-of-day weights start at its UTC hour.
    const queue = perDay.map((rows, d) => ({ d, rows })).filter((x) => x.rows > 0);
    const startHour = from.getUTCHours();
    const hourCum = cumulative(profile.hourWeights.map((_, h) => profile.hourWeights[(startHour + h) % 24]!));
    const clamp = new Date(end.getTime() - 1);
    let done = 0;
    let inserted = 0;
    const tLoad = performance.now();
    const worker = () =>
      withClient(pool, async (client) => {
        await client.query(`SET synchronous_commit = off`);
        await client.query(`SET work_mem = '64MB'`);
        for (let job = queue.shift(); job; job = queue.shift()) {
          const windowStart = new Date(from.getTime() + job.d * DAY_MS);
          let remaining = job.rows;
          for (let round = 0; remaining > 0; round++) {
            await client.query(`SELECT setseed($1)`, [((seed * 7919 + job.d * 131 + round * 17) % 100_000) / 100_000]);
            // ~2.4 rows per session on average; draw enough sessions, the LIMIT cuts the rest.
            const sessions = Math.ceil(remaining / 1.5) + 50;
            const res = await runWithRetry(() =>
              client.query<{ inserted: number }>(GENERATE_SQL, [cfg, windowStart, clamp, sessions, remaining, `conv_${runId}_${job.d}_${round}_`, hourCum]),
            );
            const n = res.rows[0]!.inserted;
            if (n === 0) throw new Error(`seeding day ${job.d} produced no rows`);
            remaining -= n;
            inserted += n;
          }
          done++;
          if (done % 10 === 0 || done === perDay.length) {
            const s = (performance.now() - tLoad) / 1000;
            log(`${done}/${perDay.length} days, ${inserted.toLocaleString("en-US")} rows, ${s.toFixed(0)} s (${Math.round(inserted / s).toLocaleString("en-US")} rows/s)`);
          }
        }
        await client.query(`RESET synchronous_commit; RESET work_mem`);
      });
    await Promise.all(Array.from({ length: Math.max(1, options.workers ?? 2) }, worker));
    loadMs = performance.now() - tLoad;
  } finally {
    // Indexes come back even when the load failed, so the database keeps the migrations' schema.
    const tIndex = performance.now();
    await withClient(pool, async (c) => {
      await c.query(`SET maintenance_work_mem = '512MB'`);
      for (const ix of dropped) {
        const t = performance.now();
        await c.query(ix.def);
        log(`rebuilt ${ix.name} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      }
      await c.query(`RESET maintenance_work_mem`);
    });
    indexMs = performance.now() - tIndex;
  }
  const tAnalyze = performance.now();
  await withClient(pool, async (c) => {
    // Visibility map for index-only scans, and statistics for the planner.
    for (const t of ["request_log", "usage_hourly", "usage_daily", "usage_hourly_provider", "usage_hourly_tag", "usage_daily_tag", "conversations", "api_keys"]) await c.query(`VACUUM (ANALYZE) ${t}`);
  });
  const analyzeMs = performance.now() - tAnalyze;
  return { rows: options.rows, days, from, to: end, loadMs, indexMs, analyzeMs, totalMs: performance.now() - t0 };
}

async function withClient<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    return await fn(c);
  } finally {
    c.release();
  }
}

/** Two workers may upsert the same rollup rows at a day boundary; a deadlock is retried. */
async function runWithRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt < 3 && (code === "40P01" || code === "40001")) continue;
      throw err;
    }
  }
}
