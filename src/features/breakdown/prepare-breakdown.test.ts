import { describe, expect, it } from "vitest";
import { sortBreakdown, topBars, type BreakdownRow } from "./prepare-breakdown";

const row = (label: string, requests: number, costNano: number, latency: number | null): BreakdownRow => ({
  id: label,
  label,
  totals: { requests, errorRate: requests ? 1 / requests : 0, inputTokens: requests * 10, outputTokens: requests, costNanoUsd: String(costNano), avgLatencyMs: latency, p95LatencyMs: latency },
});

const rows = [row("b-model", 10, 5_000_000_000, 300), row("a-model", 50, 1_000_000_000, null), row("c-model", 5, 9_000_000_000, 900)];

describe("sortBreakdown", () => {
  it("sorts by a metric either way, ties and unknowns handled", () => {
    expect(sortBreakdown(rows, "cost", "desc").map((r) => r.label)).toEqual(["c-model", "b-model", "a-model"]);
    expect(sortBreakdown(rows, "requests", "asc").map((r) => r.label)).toEqual(["c-model", "b-model", "a-model"]);
    // No latency yet: last in both directions.
    expect(sortBreakdown(rows, "avgLatency", "asc").map((r) => r.label)).toEqual(["b-model", "c-model", "a-model"]);
    expect(sortBreakdown(rows, "avgLatency", "desc").map((r) => r.label)).toEqual(["c-model", "b-model", "a-model"]);
    expect(sortBreakdown(rows, "label", "asc").map((r) => r.label)).toEqual(["a-model", "b-model", "c-model"]);
  });
});

describe("topBars", () => {
  const many = Array.from({ length: 12 }, (_, i) => row(`m${String(i).padStart(2, "0")}`, i + 1, (i + 1) * 1_000_000_000, 100 * (i + 1)));

  it("caps at N and sums the rest into one 'Other' bar for additive metrics", () => {
    const { bars, hidden } = topBars(many, "cost", 8);
    expect(bars).toHaveLength(9);
    expect(bars[0]).toMatchObject({ label: "m11", value: 12 });
    expect(bars[8]).toMatchObject({ label: "Other (4)", value: 1 + 2 + 3 + 4 });
    expect(hidden).toBe(0);
  });

  it("never sums rates: the rest is counted as hidden", () => {
    const { bars, hidden } = topBars(many, "avgLatency", 8);
    expect(bars).toHaveLength(8);
    expect(bars.some((b) => b.label.startsWith("Other"))).toBe(false);
    expect(hidden).toBe(4);
  });

  it("skips rows without a value for the metric", () => {
    expect(topBars(rows, "p95Latency").bars.map((b) => b.label)).toEqual(["c-model", "b-model"]);
  });
});
