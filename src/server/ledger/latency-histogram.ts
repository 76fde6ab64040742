/**
 * Fixed log-scale latency histogram stored in the rollups (`latency_hist int[]`), so p50/p95/p99 can
 * be read from hourly rows without touching the raw ledger.
 *
 * Bucket 0 holds [0, 1) ms; bucket i (1..33) holds [LOWER_BOUNDS[i-1], LOWER_BOUNDS[i]) ms; the last
 * bucket holds everything from 300 s up. A 1-1.5-2-3-5-7 series keeps neighbouring bounds within a
 * factor of ~1.5, so an interpolated quantile is off by well under that factor, with bounds people
 * recognise on a chart. The SQL function ledger_latency_bucket (first migration) carries the same
 * list; latency-histogram.integration.test.ts checks they agree. Changing the list means a migration
 * that rewrites stored histograms.
 */
export const LATENCY_BUCKET_LOWER_BOUNDS_MS = [
  1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700, 1000, 1500, 2000, 3000, 5000, 7000, 10000,
  15000, 20000, 30000, 50000, 70000, 100000, 150000, 200000, 300000,
] as const;

export const LATENCY_BUCKET_COUNT = LATENCY_BUCKET_LOWER_BOUNDS_MS.length + 1;

/** Same result as PostgreSQL's width_bucket(ms, thresholds) used by ledger_latency_bucket. */
export function latencyBucket(ms: number): number {
  const bounds = LATENCY_BUCKET_LOWER_BOUNDS_MS;
  let lo = 0;
  let hi: number = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((bounds[mid] ?? Infinity) <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** [lower, upper) of a bucket in ms; the last bucket's upper bound is Infinity. */
export function latencyBucketRange(index: number): [number, number] {
  const lower = index === 0 ? 0 : (LATENCY_BUCKET_LOWER_BOUNDS_MS[index - 1] ?? Infinity);
  const upper = LATENCY_BUCKET_LOWER_BOUNDS_MS[index] ?? Infinity;
  return [lower, upper];
}

/** Element-wise sum; shorter arrays count as zeros (as ledger_hist_add does in SQL). */
export function addLatencyHistograms(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) out.push((a[i] ?? 0) + (b[i] ?? 0));
  return out;
}

/**
 * Estimated latency (ms) at quantile q (0..1) of a histogram, interpolating linearly inside the
 * bucket that holds it; `null` for an empty histogram. In the open-ended last bucket the estimate is
 * its lower bound (300 s): "at least".
 */
export function latencyQuantile(hist: readonly number[], q: number): number | null {
  const total = hist.reduce((s, n) => s + n, 0);
  if (total <= 0) return null;
  const rank = Math.min(Math.max(q, 0), 1) * total;
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    const n = hist[i] ?? 0;
    if (n === 0) continue;
    if (seen + n >= rank) {
      const [lower, upper] = latencyBucketRange(i);
      if (!Number.isFinite(upper)) return lower;
      return lower + ((upper - lower) * Math.max(rank - seen, 0)) / n;
    }
    seen += n;
  }
  return latencyBucketRange(hist.length - 1)[0];
}
