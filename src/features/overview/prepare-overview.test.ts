import { describe, expect, it } from "vitest";
import { hasTraffic, prepareStatCards, prepareTimeSeries, type SeriesPoint, type Totals } from "./prepare-overview";

const zero: Totals = { requests: 0, errorRequests: 0, errorRate: 0, inputTokens: 0, outputTokens: 0, costNanoUsd: "0", unpricedRequests: 0, avgLatencyMs: null, p95LatencyMs: null };

describe("prepareStatCards", () => {
  it("formats every card and its change against the previous period", () => {
    const cur: Totals = { requests: 1200, errorRequests: 30, errorRate: 0.025, inputTokens: 1_500_000, outputTokens: 42_000, costNanoUsd: "12500000000", unpricedRequests: 2, avgLatencyMs: 840, p95LatencyMs: 2100 };
    const prev: Totals = { ...cur, requests: 1000, errorRate: 0.01, costNanoUsd: "10000000000", avgLatencyMs: 1000, p95LatencyMs: 2100 };
    const cards = Object.fromEntries(prepareStatCards(cur, prev).map((c) => [c.label, c]));
    expect(cards.Requests).toMatchObject({ value: "1,200", change: { text: "+20%", direction: "up", goodWhen: "neutral" } });
    expect(cards["Input tokens"]!.value).toBe("1.5M");
    expect(cards.Cost).toMatchObject({ value: "$12.50", sub: "2 unpriced", change: { text: "+25%", direction: "up", goodWhen: "down" } });
    expect(cards["Avg latency"]).toMatchObject({ value: "840 ms", change: { text: "−16%", direction: "down" } });
    expect(cards["p95 latency"]!.change.direction).toBe("flat");
    expect(cards["Error rate"]).toMatchObject({ value: "2.5%", sub: "30 failed", change: { text: "+1.5 pp", direction: "up" } });
  });

  it("says 'new' for growth from nothing and dashes for unknown latency", () => {
    const cards = prepareStatCards({ ...zero, requests: 3 }, zero);
    expect(cards[0]!.change.text).toBe("new");
    expect(cards.find((c) => c.label === "Avg latency")!.value).toBe("—");
  });
});

describe("prepareTimeSeries", () => {
  const at = (iso: string, requests: number): SeriesPoint => ({ ...zero, bucketStart: new Date(iso), requests, costNanoUsd: String(requests * 1_000_000) });

  it("keeps real zeros, fills missing buckets and future buckets with null", () => {
    const rows = prepareTimeSeries(
      [at("2026-12-04T10:00:00Z", 5), at("2026-12-04T11:00:00Z", 0), at("2026-12-04T14:00:00Z", 2), at("2026-12-04T13:00:00Z", 1), at("2026-12-04T15:00:00Z", 0)],
      "hour",
      new Date("2026-12-04T14:30:00Z"),
    );
    expect(rows.map((r) => [new Date(r.t).toISOString().slice(11, 16), r.requests])).toEqual([
      ["10:00", 5],
      ["11:00", 0],
      ["12:00", null], // not sent by the server: a gap, not a zero
      ["13:00", 1],
      ["14:00", 2],
      ["15:00", null], // starts after now
    ]);
    expect(rows[0]!.costUsd).toBeCloseTo(0.005);
    expect(hasTraffic(rows)).toBe(true);
    expect(hasTraffic(rows.map((r) => ({ ...r, requests: 0 })))).toBe(false);
  });

  it("treats 23- and 25-hour local days as consecutive", () => {
    const rows = prepareTimeSeries([at("2026-03-28T23:00:00Z", 1), at("2026-03-29T22:00:00Z", 1), at("2026-03-30T22:00:00Z", 1)], "day", new Date("2026-04-01T00:00:00Z"));
    expect(rows).toHaveLength(3);
  });
});
