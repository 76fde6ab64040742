import { z } from "zod";
import { formatNanoUsd, nanoToMicroUsd } from "@/gateway/pricing/compute-cost";
import { LATENCY_BUCKET_COUNT, latencyQuantile } from "@/server/ledger/latency-histogram";
import { ROLLUP_SUM_COLUMNS } from "@/server/ledger/rollup-columns";

/** Money on the way out: exact integer nano-USD as digits, and the same amount as an exact decimal. */
export const moneyFields = {
  costNanoUsd: z.string().regex(/^-?\d+$/),
  costUsd: z.string().regex(/^-?\d+\.\d{9}$/),
};

export function money(nano: bigint): { costNanoUsd: string; costUsd: string } {
  return { costNanoUsd: nano.toString(), costUsd: formatNanoUsd(nano) };
}

/** `cost_micro_usd` of the REST rows: a JSON number, rounded half up. */
export function microUsd(nano: bigint): number {
  return Number(nanoToMicroUsd(nano));
}

/** What every rollup view reports for a set of requests. */
export const usageTotalsSchema = z.object({
  requests: z.number().int(),
  errorRequests: z.number().int(),
  /** errorRequests / requests; 0 without requests. */
  errorRate: z.number(),
  streamedRequests: z.number().int(),
  inputTokens: z.number().int(),
  cachedInputTokens: z.number().int(),
  cacheWriteTokens: z.number().int(),
  outputTokens: z.number().int(),
  reasoningTokens: z.number().int(),
  /** Priced requests only; `unpricedRequests` says how many had no price. */
  ...moneyFields,
  unpricedRequests: z.number().int(),
  avgLatencyMs: z.number().nullable(),
  /** From the summed log-scale histograms: exact to within one histogram bucket. */
  p95LatencyMs: z.number().nullable(),
  avgTtftMs: z.number().nullable(),
});
export type UsageTotals = z.infer<typeof usageTotalsSchema>;

/** The additive scalar columns every rollup table shares (the histogram aside). */
export const SUM_COLUMNS = ROLLUP_SUM_COLUMNS;

function sumsSelect(alias: string, wrap: (sumExpr: string) => string, histType: "text" | "numeric"): string {
  const hist = Array.from({ length: LATENCY_BUCKET_COUNT }, (_, i) => wrap(`sum(${alias}.latency_hist[${i + 1}])`));
  return [
    ...SUM_COLUMNS.map((col) => `${wrap(`sum(${alias}.${col})`)}${histType === "text" ? "::text" : ""} AS ${col}`),
    `ARRAY[${hist.join(", ")}]::${histType}[] AS latency_hist`,
  ].join(",\n       ");
}

/**
 * The aggregate list over a rollup table (every rollup has the same sum column names).
 * Sums of bigint are numeric: pg hands them over as strings, read exactly below. The histograms
 * are summed one bucket per plain sum(): several times faster than the ledger_hist_sum aggregate
 * (a SQL function call per row), and a shorter array's missing buckets are NULLs that sum skips.
 */
export function totalsSelect(alias: string): string {
  return sumsSelect(alias, (e) => `COALESCE(${e}, 0)`, "text");
}

/**
 * The same sums as `totalsSelect`, kept numeric (histogram as numeric[]) under the same column
 * names, for a first grouping whose rows `totalsSelect` aggregates again. Breakdowns that need
 * an ordered DISTINCT aggregate (by-model's provider list) group by the finer key first so the
 * DISTINCT runs over a handful of rows instead of forcing a spilling sort of every rollup row.
 */
export function partialTotalsSelect(alias: string): string {
  return sumsSelect(alias, (e) => e, "numeric");
}

export type TotalsRow = {
  requests: string | null;
  error_requests: string | null;
  streamed_requests: string | null;
  input_tokens: string | null;
  cached_input_tokens: string | null;
  cache_write_tokens: string | null;
  output_tokens: string | null;
  reasoning_tokens: string | null;
  cost_nano_usd: string | null;
  unpriced_requests: string | null;
  latency_ms_sum: string | null;
  ttft_ms_sum: string | null;
  ttft_count: string | null;
  latency_hist: string[] | null;
};

const num = (v: string | null | undefined): number => (v == null ? 0 : Number(v));

/** Rounded to 0.1 ms: enough for a dashboard, stable in tests. */
const round1 = (v: number): number => Math.round(v * 10) / 10;

/** A row of `totalsSelect`, or `undefined`/LEFT JOIN nulls for "no requests" (all zeros). */
export function toTotals(r: Partial<TotalsRow> | undefined): UsageTotals {
  const requests = num(r?.requests);
  const errorRequests = num(r?.error_requests);
  const ttftCount = num(r?.ttft_count);
  const p95 = latencyQuantile((r?.latency_hist ?? []).map(Number), 0.95);
  return {
    requests,
    errorRequests,
    errorRate: requests === 0 ? 0 : errorRequests / requests,
    streamedRequests: num(r?.streamed_requests),
    inputTokens: num(r?.input_tokens),
    cachedInputTokens: num(r?.cached_input_tokens),
    cacheWriteTokens: num(r?.cache_write_tokens),
    outputTokens: num(r?.output_tokens),
    reasoningTokens: num(r?.reasoning_tokens),
    ...money(BigInt(r?.cost_nano_usd ?? "0")),
    unpricedRequests: num(r?.unpriced_requests),
    avgLatencyMs: requests === 0 ? null : round1(num(r?.latency_ms_sum) / requests),
    p95LatencyMs: p95 === null ? null : round1(p95),
    avgTtftMs: ttftCount === 0 ? null : round1(num(r?.ttft_ms_sum) / ttftCount),
  };
}

/** Largest cost first, then most requests: the order of every breakdown. */
export function byCostThenRequests(a: UsageTotals, b: UsageTotals): number {
  const ca = BigInt(a.costNanoUsd);
  const cb = BigInt(b.costNanoUsd);
  if (ca !== cb) return ca > cb ? -1 : 1;
  return b.requests - a.requests;
}
