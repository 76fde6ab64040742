import { describe, expect, it } from "vitest";
import { cursorSchema, decodeCursor, encodeCursor } from "./cursor";
import { SqlParams, alignToHours, previousPeriod, resolveBucket, rollupConditions, rollupFor, rollupHas, usageFilterSchema, type UsageFilterInput } from "./usage-filter";
import { splitTag } from "./get-usage-by-tag";
import { toTotals } from "./usage-totals";

const d = (s: string) => new Date(s);

describe("usageFilterSchema", () => {
  it("defaults to the 30 days before now and parses again to the same value", () => {
    const before = Date.now();
    const f = usageFilterSchema.parse({});
    expect(f.to.getTime()).toBeGreaterThanOrEqual(before);
    expect(f.to.getTime() - f.from.getTime()).toBe(30 * 86_400_000);
    expect(f).toMatchObject({ model: [], provider: [], status: [], apiKeyId: [], tags: [], tz: "UTC" });
    expect(usageFilterSchema.parse(f)).toEqual(f);
  });

  it("fills from as to minus 30 days, and refuses from at or after to", () => {
    expect(usageFilterSchema.parse({ to: "2026-03-31T00:00:00Z" }).from).toEqual(d("2026-03-01T00:00:00Z"));
    const r = usageFilterSchema.safeParse({ from: "2026-03-31T00:00:00Z", to: "2026-03-31T00:00:00Z" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["from"]);
  });

  it("accepts offsets and dates, refuses local times, unknown zones and unknown providers", () => {
    expect(usageFilterSchema.parse({ from: "2026-01-01T01:00:00+01:00", to: "2026-01-02" })).toMatchObject({
      from: d("2026-01-01T00:00:00Z"),
      to: d("2026-01-02T00:00:00Z"),
    });
    for (const bad of [{ from: "2026-01-01T00:00:00" }, { tz: "Europe/Atlantis" }, { tz: "../etc/passwd" }, { provider: ["azure"] }, { apiKeyId: ["1"] }]) {
      expect(usageFilterSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(usageFilterSchema.parse({ tz: "Asia/Kolkata" }).tz).toBe("Asia/Kolkata");
  });
});

describe("ranges", () => {
  it("widens to whole hours, keeps aligned ranges, never collapses to nothing", () => {
    expect(alignToHours({ from: d("2026-01-01T10:30:00Z"), to: d("2026-01-01T12:00:00.001Z") })).toEqual({ from: d("2026-01-01T10:00:00Z"), to: d("2026-01-01T13:00:00Z") });
    expect(alignToHours({ from: d("2026-01-01T10:00:00Z"), to: d("2026-01-01T12:00:00Z") })).toEqual({ from: d("2026-01-01T10:00:00Z"), to: d("2026-01-01T12:00:00Z") });
    expect(alignToHours({ from: d("2026-01-01T10:10:00Z"), to: d("2026-01-01T10:20:00Z") })).toEqual({ from: d("2026-01-01T10:00:00Z"), to: d("2026-01-01T11:00:00Z") });
  });

  it("previous period has the same length and ends where the range starts", () => {
    expect(previousPeriod({ from: d("2026-01-08T00:00:00Z"), to: d("2026-01-15T00:00:00Z") })).toEqual({ from: d("2026-01-01T00:00:00Z"), to: d("2026-01-08T00:00:00Z") });
  });

  it("picks hour buckets up to 7 days", () => {
    expect(resolveBucket({ from: d("2026-01-01T00:00:00Z"), to: d("2026-01-08T00:00:00Z") }, undefined)).toBe("hour");
    expect(resolveBucket({ from: d("2026-01-01T00:00:00Z"), to: d("2026-01-08T01:00:00Z") }, undefined)).toBe("day");
    expect(resolveBucket({ from: d("2026-01-01T00:00:00Z"), to: d("2026-03-01T00:00:00Z") }, "hour")).toBe("hour");
  });
});

describe("rollup choice", () => {
  const f = (input: Omit<UsageFilterInput, "from" | "to">) => usageFilterSchema.parse({ from: "2026-01-01", to: "2026-01-02", ...input });

  it("reads usage_hourly_provider while the filter and the grouping need only provider and status", () => {
    expect(rollupFor(f({}))).toBe("usage_hourly_provider");
    expect(rollupFor(f({ provider: ["openai"], status: ["error"] }), ["provider"])).toBe("usage_hourly_provider");
    expect(rollupFor(f({ model: ["grok-4"] }))).toBe("usage_hourly");
    expect(rollupFor(f({ apiKeyId: ["11111111-1111-4111-8111-111111111111"] }))).toBe("usage_hourly");
    expect(rollupFor(f({ tags: ["beta"] }))).toBe("usage_hourly");
    expect(rollupFor(f({}), ["model", "provider"])).toBe("usage_hourly");
    expect(rollupFor(f({ status: ["success"] }), ["tags"])).toBe("usage_hourly");
  });

  it("reads the per-tag rollups only without status, key and tag filters, and refuses a filter a table cannot apply", () => {
    expect(rollupHas("usage_hourly_tag", f({ model: ["grok-4"], provider: ["xai"] }))).toBe(true);
    expect(rollupHas("usage_hourly_tag", f({ status: ["error"] }))).toBe(false);
    const range = { from: d("2026-01-01T00:00:00Z"), to: d("2026-01-02T00:00:00Z") };
    expect(() => rollupConditions(new SqlParams(), f({ model: ["grok-4"] }), range, "r", "usage_hourly_provider")).toThrow(/usage_hourly_provider/);
    const sql = new SqlParams();
    expect(rollupConditions(sql, f({ provider: ["xai"], status: ["error"] }), range, "r", "usage_hourly_provider")).toEqual([
      "r.bucket >= $1",
      "r.bucket < $2",
      "r.provider = ANY($3::text[])",
      "r.status = ANY($4::text[])",
    ]);
    expect(sql.values).toEqual([range.from, range.to, ["xai"], ["error"]]);
  });
});

describe("cursors", () => {
  it("round-trip and are opaque base64url", () => {
    const c = encodeCursor(d("2026-01-01T00:00:00.123Z"), "0b5d7c1e-7f7e-4a33-9d7a-1f1f1f1f1f1f");
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c)).toEqual({ at: d("2026-01-01T00:00:00.123Z"), key: "0b5d7c1e-7f7e-4a33-9d7a-1f1f1f1f1f1f" });
  });

  it("refuse garbage and, for ledger cursors, a non-uuid tie-break", () => {
    for (const bad of ["", "abc!", Buffer.from("[1]").toString("base64url"), Buffer.from('["x","y"]').toString("base64url"), Buffer.from("[1e300,\"k\"]").toString("base64url")]) {
      expect(decodeCursor(bad), bad).toBeNull();
    }
    const conv = encodeCursor(d("2026-01-01T00:00:00Z"), "conv/1");
    expect(cursorSchema({ uuidKey: false }).safeParse(conv).success).toBe(true);
    expect(cursorSchema({ uuidKey: true }).safeParse(conv).success).toBe(false);
  });
});

describe("totals", () => {
  it("are zeros without requests and exact for large sums", () => {
    expect(toTotals(undefined)).toMatchObject({ requests: 0, errorRate: 0, costNanoUsd: "0", costUsd: "0.000000000", avgLatencyMs: null, p95LatencyMs: null, avgTtftMs: null });
    const t = toTotals({ requests: "4", error_requests: "1", cost_nano_usd: "123456789012345678901", latency_ms_sum: "10", ttft_ms_sum: "3", ttft_count: "2", latency_hist: ["0", "0", "0", "0", "4"] });
    expect(t).toMatchObject({ errorRate: 0.25, costNanoUsd: "123456789012345678901", costUsd: "123456789012.345678901", avgLatencyMs: 2.5, avgTtftMs: 1.5 });
    // All four in bucket 4 = [5, 7) ms.
    expect(t.p95LatencyMs).toBeGreaterThanOrEqual(5);
    expect(t.p95LatencyMs).toBeLessThanOrEqual(7);
  });

  it("split tags as the ledger writer does", () => {
    expect(splitTag("team:ml")).toEqual({ key: "team", value: "ml" });
    expect(splitTag("beta")).toEqual({ key: "", value: "beta" });
    expect(splitTag(":x")).toEqual({ key: "", value: "x" });
  });
});
