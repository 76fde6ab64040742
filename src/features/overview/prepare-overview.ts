import type { StatChange } from "@/components/ui/stat-card";
import type { TimePoint } from "@/components/charts/time-series-chart";
import {
  formatChange,
  formatCompact,
  formatDuration,
  formatInteger,
  formatPercent,
  formatPointChange,
  formatUsd,
  nanoToUsd,
} from "@/lib/format";

/** The usage totals fields the overview reads (structurally the usage services' totals). */
export interface Totals {
  requests: number;
  errorRequests: number;
  errorRate: number;
  inputTokens: number;
  outputTokens: number;
  costNanoUsd: string;
  unpricedRequests: number;
  avgLatencyMs: number | null;
  p95LatencyMs: number | null;
}

export interface StatCardData {
  label: string;
  value: string;
  sub?: string;
  change: StatChange;
}

const change = (cur: number | null, prev: number | null, goodWhen: StatChange["goodWhen"]): StatChange => ({ ...formatChange(cur, prev), goodWhen });

/** The seven headline cards, each with its change against the previous period. */
export function prepareStatCards(current: Totals, previous: Totals): StatCardData[] {
  const cost = nanoToUsd(current.costNanoUsd);
  const prevCost = nanoToUsd(previous.costNanoUsd);
  return [
    { label: "Requests", value: formatInteger(current.requests), change: change(current.requests, previous.requests, "neutral") },
    { label: "Input tokens", value: formatCompact(current.inputTokens), change: change(current.inputTokens, previous.inputTokens, "neutral") },
    { label: "Output tokens", value: formatCompact(current.outputTokens), change: change(current.outputTokens, previous.outputTokens, "neutral") },
    {
      label: "Cost",
      value: formatUsd(current.costNanoUsd),
      sub: current.unpricedRequests > 0 ? `${formatInteger(current.unpricedRequests)} unpriced` : undefined,
      change: change(cost, prevCost, "down"),
    },
    { label: "Avg latency", value: formatDuration(current.avgLatencyMs), change: change(current.avgLatencyMs, previous.avgLatencyMs, "down") },
    { label: "p95 latency", value: formatDuration(current.p95LatencyMs), change: change(current.p95LatencyMs, previous.p95LatencyMs, "down") },
    {
      label: "Error rate",
      value: formatPercent(current.errorRate),
      sub: current.errorRequests > 0 ? `${formatInteger(current.errorRequests)} failed` : undefined,
      change: { ...formatPointChange(current.errorRate, previous.errorRate), goodWhen: "down" },
    },
  ];
}

export interface SeriesPoint extends Totals {
  bucketStart: Date;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * Chart rows from the time series: one row per bucket, in order. Missing buckets (a gap in what
 * the server sent) and buckets that start after `now` become null, so lines break instead of
 * drawing a false zero.
 */
export function prepareTimeSeries(points: SeriesPoint[], bucket: "hour" | "day", now: Date): TimePoint[] {
  const step = bucket === "hour" ? HOUR : DAY;
  const sorted = [...points].sort((a, b) => a.bucketStart.getTime() - b.bucketStart.getTime());
  const rows: TimePoint[] = [];
  const empty = (t: number): TimePoint => ({ t, requests: null, errors: null, inputTokens: null, outputTokens: null, costUsd: null, avgLatencyMs: null });
  for (const p of sorted) {
    const t = p.bucketStart.getTime();
    const prev = rows[rows.length - 1];
    // Day buckets are local midnights (23–25 h apart around DST): a gap is anything over 1.5 steps.
    if (prev) for (let g = prev.t + step; t - g > step / 2; g += step) rows.push(empty(g));
    if (t > now.getTime()) {
      rows.push(empty(t));
      continue;
    }
    rows.push({
      t,
      requests: p.requests,
      errors: p.errorRequests,
      inputTokens: p.inputTokens,
      outputTokens: p.outputTokens,
      costUsd: nanoToUsd(p.costNanoUsd),
      avgLatencyMs: p.avgLatencyMs,
    });
  }
  return rows;
}

/** Whether any bucket had traffic (else the charts show an empty state). */
export function hasTraffic(rows: TimePoint[]): boolean {
  return rows.some((r) => (r.requests ?? 0) > 0);
}
