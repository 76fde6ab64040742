import { describe, expect, it } from "vitest";
import {
  LATENCY_BUCKET_COUNT,
  LATENCY_BUCKET_LOWER_BOUNDS_MS,
  addLatencyHistograms,
  latencyBucket,
  latencyBucketRange,
  latencyQuantile,
} from "./latency-histogram";

describe("latency histogram", () => {
  it("puts each latency in the bucket whose range holds it", () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(0.5)).toBe(0);
    expect(latencyBucket(1)).toBe(1);
    expect(latencyBucket(99)).toBe(11);
    expect(latencyBucket(100)).toBe(12);
    expect(latencyBucket(299_999)).toBe(32);
    expect(latencyBucket(300_000)).toBe(33);
    expect(latencyBucket(10_000_000)).toBe(LATENCY_BUCKET_COUNT - 1);
    for (let i = 0; i < LATENCY_BUCKET_COUNT; i++) {
      const [lo, hi] = latencyBucketRange(i);
      expect(latencyBucket(lo)).toBe(i);
      if (Number.isFinite(hi)) expect(latencyBucket(hi - 0.001)).toBe(i);
    }
  });

  it("has strictly increasing bounds no more than 2x apart (log scale)", () => {
    for (let i = 1; i < LATENCY_BUCKET_LOWER_BOUNDS_MS.length; i++) {
      const prev = LATENCY_BUCKET_LOWER_BOUNDS_MS[i - 1]!;
      const cur = LATENCY_BUCKET_LOWER_BOUNDS_MS[i]!;
      expect(cur).toBeGreaterThan(prev);
      expect(cur / prev).toBeLessThanOrEqual(2);
    }
  });

  it("adds histograms of different lengths element-wise", () => {
    expect(addLatencyHistograms([1, 2], [3, 4, 5])).toEqual([4, 6, 5]);
    expect(addLatencyHistograms([], [])).toEqual([]);
  });

  it("estimates quantiles within the bucket that holds them", () => {
    const hist = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
    // 90 requests in [100, 150) ms, 10 in [1000, 1500) ms.
    hist[latencyBucket(120)] = 90;
    hist[latencyBucket(1200)] = 10;
    const p50 = latencyQuantile(hist, 0.5)!;
    expect(p50).toBeGreaterThanOrEqual(100);
    expect(p50).toBeLessThan(150);
    const p95 = latencyQuantile(hist, 0.95)!;
    expect(p95).toBeGreaterThanOrEqual(1000);
    expect(p95).toBeLessThan(1500);
    expect(latencyQuantile(hist, 1)).toBe(1500);
    expect(latencyQuantile(new Array(LATENCY_BUCKET_COUNT).fill(0), 0.95)).toBeNull();
  });

  it("reports the open-ended last bucket by its lower bound", () => {
    const hist = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
    hist[LATENCY_BUCKET_COUNT - 1] = 3;
    expect(latencyQuantile(hist, 0.99)).toBe(300_000);
  });
});
