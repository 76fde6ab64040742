import type { BarDatum } from "@/components/charts/bar-list-chart";
import { colorAt, otherColor } from "@/components/charts/palette";
import { nanoToUsd } from "@/lib/format";

export interface BreakdownTotals {
  requests: number;
  errorRate: number;
  inputTokens: number;
  outputTokens: number;
  costNanoUsd: string;
  avgLatencyMs: number | null;
  p95LatencyMs: number | null;
}

export interface BreakdownRow {
  id: string;
  label: string;
  /** Secondary line (e.g. the providers serving a model). */
  sub?: string;
  totals: BreakdownTotals;
}

export const metrics = ["cost", "tokens", "requests", "avgLatency", "p95Latency", "errorRate"] as const;
export type Metric = (typeof metrics)[number];
export type SortKey = Metric | "label" | "inputTokens" | "outputTokens";

export const metricLabels: Record<Metric, string> = {
  cost: "Cost",
  tokens: "Tokens",
  requests: "Requests",
  avgLatency: "Avg latency",
  p95Latency: "p95 latency",
  errorRate: "Error rate",
};

/** Sums make sense for these; latency and error rate are per-row rates. */
const additive: Record<Metric, boolean> = { cost: true, tokens: true, requests: true, avgLatency: false, p95Latency: false, errorRate: false };

export function metricValue(t: BreakdownTotals, key: Exclude<SortKey, "label">): number | null {
  switch (key) {
    case "cost":
      return nanoToUsd(t.costNanoUsd);
    case "tokens":
      return t.inputTokens + t.outputTokens;
    case "inputTokens":
      return t.inputTokens;
    case "outputTokens":
      return t.outputTokens;
    case "requests":
      return t.requests;
    case "avgLatency":
      return t.avgLatencyMs;
    case "p95Latency":
      return t.p95LatencyMs;
    case "errorRate":
      return t.requests === 0 ? null : t.errorRate;
  }
}

/** Sorted copy; unknown values (no latency yet) always last, ties by label. */
export function sortBreakdown(rows: BreakdownRow[], key: SortKey, dir: "asc" | "desc"): BreakdownRow[] {
  const sign = dir === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => {
    if (key === "label") return sign * a.label.localeCompare(b.label);
    const va = metricValue(a.totals, key);
    const vb = metricValue(b.totals, key);
    if (va === null || vb === null) return va === vb ? a.label.localeCompare(b.label) : va === null ? 1 : -1;
    return va === vb ? a.label.localeCompare(b.label) : sign * (va - vb);
  });
}

/**
 * Bars for the chart: the `n` largest rows by `metric`, plus one "Other" bar summing the rest for
 * additive metrics (rates cannot be summed: the rest is left out and counted in `hidden`).
 */
export function topBars(rows: BreakdownRow[], metric: Metric, n = 8): { bars: BarDatum[]; hidden: number } {
  const withValue = sortBreakdown(rows, metric, "desc").filter((r) => metricValue(r.totals, metric) !== null);
  const head = withValue.slice(0, n);
  const rest = withValue.slice(n);
  const bars = head.map((r, i) => ({ label: r.label, value: metricValue(r.totals, metric)!, color: colorAt(i) }));
  if (rest.length > 0 && additive[metric]) {
    bars.push({ label: `Other (${rest.length})`, value: rest.reduce((s, r) => s + metricValue(r.totals, metric)!, 0), color: otherColor });
    return { bars, hidden: 0 };
  }
  return { bars, hidden: rest.length };
}
