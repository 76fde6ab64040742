import { expect } from "vitest";
import type pg from "pg";
import { latencyBucket, latencyBucketRange } from "@/server/ledger/latency-histogram";
import { toTotals, type TotalsRow, type UsageTotals } from "./usage-totals";

/**
 * The reference the services are checked against: the same aggregates computed straight over
 * request_log, written independently of the services' SQL.
 */
export interface OracleFilter {
  from: Date;
  to: Date;
  model?: string[];
  provider?: string[];
  status?: string[];
  apiKeyId?: string[];
  tags?: string[];
  conversationId?: string;
}

export function oracleWhere(f: OracleFilter, params: unknown[]): string {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const c = [`created_at >= ${p(f.from)}`, `created_at < ${p(f.to)}`];
  if (f.model?.length) c.push(`model = ANY(${p(f.model)})`);
  if (f.provider?.length) c.push(`provider = ANY(${p(f.provider)})`);
  if (f.status?.length) c.push(`status = ANY(${p(f.status)})`);
  if (f.apiKeyId?.length) c.push(`api_key_id = ANY(${p(f.apiKeyId)}::uuid[])`);
  // All-of, spelled differently from the services on purpose.
  for (const t of f.tags ?? []) c.push(`${p(t)} = ANY(tags)`);
  if (f.conversationId !== undefined) c.push(`conversation_id = ${p(f.conversationId)}`);
  return c.join(" AND ");
}

export interface Expected {
  g: string | null;
  requests: number;
  error_requests: number;
  streamed_requests: number;
  input_tokens: string;
  cached_input_tokens: string;
  cache_write_tokens: string;
  output_tokens: string;
  reasoning_tokens: string;
  cost: string;
  unpriced: number;
  latency_sum: string;
  ttft_avg: number | null;
  p95: number | null;
}

/** Aggregates over request_log, grouped by `groupExpr` (text) or as one group ('all'). */
export async function oracle(pool: pg.Pool, f: OracleFilter, groupExpr = "'all'", from = "request_log"): Promise<Map<string | null, Expected>> {
  const params: unknown[] = [];
  const res = await pool.query<Expected>(
    `SELECT (${groupExpr})::text AS g,
            count(*)::int AS requests,
            count(*) FILTER (WHERE status = 'error')::int AS error_requests,
            count(*) FILTER (WHERE streamed)::int AS streamed_requests,
            sum(input_tokens)::text AS input_tokens,
            sum(cached_input_tokens)::text AS cached_input_tokens,
            sum(cache_write_tokens)::text AS cache_write_tokens,
            sum(output_tokens)::text AS output_tokens,
            sum(reasoning_tokens)::text AS reasoning_tokens,
            COALESCE(sum(cost_nano_usd), 0)::text AS cost,
            count(*) FILTER (WHERE cost_nano_usd IS NULL)::int AS unpriced,
            sum(latency_ms)::text AS latency_sum,
            avg(ttft_ms)::float8 AS ttft_avg,
            percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95
       FROM ${from}
      WHERE ${oracleWhere(f, params)}
      GROUP BY 1`,
    params,
  );
  return new Map(res.rows.map((r) => [r.g, r]));
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** Every total equal (p95 within the histogram bucket of the exact p95); zeros when `e` is undefined. */
export function expectTotals(actual: UsageTotals, e: Expected | undefined, label = ""): void {
  if (!e) {
    expect(actual, label).toMatchObject({ requests: 0, costNanoUsd: "0", avgLatencyMs: null, p95LatencyMs: null, avgTtftMs: null, errorRate: 0 });
    return;
  }
  expect(
    {
      requests: actual.requests,
      errorRequests: actual.errorRequests,
      streamedRequests: actual.streamedRequests,
      inputTokens: String(actual.inputTokens),
      cachedInputTokens: String(actual.cachedInputTokens),
      cacheWriteTokens: String(actual.cacheWriteTokens),
      outputTokens: String(actual.outputTokens),
      reasoningTokens: String(actual.reasoningTokens),
      costNanoUsd: actual.costNanoUsd,
      unpricedRequests: actual.unpricedRequests,
      avgLatencyMs: actual.avgLatencyMs,
      avgTtftMs: actual.avgTtftMs,
    },
    label,
  ).toEqual({
    requests: e.requests,
    errorRequests: e.error_requests,
    streamedRequests: e.streamed_requests,
    inputTokens: e.input_tokens,
    cachedInputTokens: e.cached_input_tokens,
    cacheWriteTokens: e.cache_write_tokens,
    outputTokens: e.output_tokens,
    reasoningTokens: e.reasoning_tokens,
    costNanoUsd: e.cost,
    unpricedRequests: e.unpriced,
    avgLatencyMs: round1(Number(e.latency_sum) / e.requests),
    avgTtftMs: e.ttft_avg === null ? null : round1(e.ttft_avg),
  });
  expect(actual.errorRate, label).toBeCloseTo(e.error_requests / e.requests, 12);
  // costUsd is the same amount as an exact decimal.
  expect(BigInt(actual.costUsd.replace(".", "")), label).toBe(BigInt(e.cost));
  expectWithinBucket(actual.p95LatencyMs, e.p95, label);
}

export function expectWithinBucket(estimate: number | null, exact: number | null, label = ""): void {
  if (exact === null) {
    expect(estimate, label).toBeNull();
    return;
  }
  const [lower, upper] = latencyBucketRange(latencyBucket(exact));
  expect(estimate, `${label} p95 (exact ${exact})`).not.toBeNull();
  expect(estimate!, `${label} p95 (exact ${exact})`).toBeGreaterThanOrEqual(lower);
  expect(estimate!, `${label} p95 (exact ${exact})`).toBeLessThanOrEqual(Number.isFinite(upper) ? upper : lower);
}

/**
 * usage_hourly_provider holds exactly request_log's aggregates per UTC hour, provider ('' for none)
 * and status: a row for every such group and no other, each with the oracle's totals.
 */
export async function expectHourlyProviderRollup(pool: pg.Pool): Promise<void> {
  const everything = { from: new Date(0), to: new Date("9999-01-01T00:00:00Z") };
  const expected = await oracle(
    pool,
    everything,
    `extract(epoch FROM date_trunc('hour', created_at, 'UTC'))::bigint || '|' || COALESCE(provider, '') || '|' || status`,
  );
  const stored = await pool.query<TotalsRow & { g: string }>(
    `SELECT extract(epoch FROM bucket)::bigint || '|' || provider || '|' || status AS g, * FROM usage_hourly_provider`,
  );
  expect(stored.rows.length).toBeGreaterThan(0);
  expect(stored.rows.map((r) => r.g).sort()).toEqual([...expected.keys()].sort());
  for (const r of stored.rows) expectTotals(toTotals(r), expected.get(r.g), r.g);
}
