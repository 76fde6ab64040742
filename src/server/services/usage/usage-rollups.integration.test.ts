import type pg from "pg";
import type { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";
import { createPool } from "@/server/db/pool";
import type { Queryable } from "@/server/db/queryable";
import { getUsageSummary, type getUsageSummaryInput } from "./get-usage-summary";
import { getUsageTimeseries } from "./get-usage-timeseries";
import { getUsageByModel } from "./get-usage-by-model";
import { getUsageByProvider } from "./get-usage-by-provider";
import { getUsageByApiKey } from "./get-usage-by-api-key";
import { getUsageByTag } from "./get-usage-by-tag";
import { API_KEYS, makeEvents, seedLedger } from "./usage-seed.test-helper";
import { expectHourlyProviderRollup, expectTotals, oracle } from "./usage-oracle.test-helper";

const START = new Date("2026-03-20T00:00:00Z");
const END = new Date("2026-04-03T00:00:00Z");
const GAP = { from: new Date("2026-03-25T00:00:00Z"), to: new Date("2026-03-26T06:00:00Z") };
// Current week and the week before it (previous period).
const RANGE = { from: new Date("2026-03-27T00:00:00Z"), to: new Date("2026-04-03T00:00:00Z") };
const PREV = { from: new Date("2026-03-20T00:00:00Z"), to: new Date("2026-03-27T00:00:00Z") };

type Filter = Omit<z.input<typeof getUsageSummaryInput>, "from" | "to" | "bucket" | "tz">;
const FILTERS: Array<[string, Filter]> = [
  ["no filter", {}],
  ["one model", { model: ["claude-sonnet-4-5"] }],
  ["two providers", { provider: ["openai", "gemini"] }],
  ["failed statuses", { status: ["error", "cancelled"] }],
  ["one api key", { apiKeyId: [API_KEYS[0].id] }],
  ["one tag", { tags: ["team:ml"] }],
  ["two tags (all of)", { tags: ["feature:code-review", "team:ml"] }],
  ["combined", { model: ["gpt-4.1-mini", "my-fine-tune"], status: ["success"], tags: ["env:prod"] }],
];

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase("sy_usage");
  pool = createPool(db.url, { max: 4 });
  await seedLedger(pool, makeEvents({ seed: 7, count: 900, start: START, end: END, gap: GAP, conversations: 25 }), 97);
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe("getUsageSummary", () => {
  it.each(FILTERS)("equals request_log aggregates for the range and the previous period (%s)", async (_, filter) => {
    const s = await getUsageSummary(pool, { ...RANGE, ...filter });
    expect(s.from).toEqual(RANGE.from);
    expect(s.to).toEqual(RANGE.to);
    expect(s.previousFrom).toEqual(PREV.from);
    expect(s.previousTo).toEqual(PREV.to);
    expectTotals(s.current, (await oracle(pool, { ...RANGE, ...filter })).get("all"), "current");
    expectTotals(s.previous, (await oracle(pool, { ...PREV, ...filter })).get("all"), "previous");
  });

  it("has real data in both periods (so the comparisons above mean something)", async () => {
    const s = await getUsageSummary(pool, RANGE);
    expect(s.current.requests).toBeGreaterThan(300);
    expect(s.previous.requests).toBeGreaterThan(200);
    expect(s.current.unpricedRequests).toBeGreaterThan(0);
    expect(s.current.errorRequests).toBeGreaterThan(0);
    expect(s.current.p95LatencyMs).toBeGreaterThan(0);
  });

  it("requires all the tags, not any of them", async () => {
    const one = await getUsageSummary(pool, { ...RANGE, tags: ["team:ml"] });
    const other = await getUsageSummary(pool, { ...RANGE, tags: ["feature:code-review"] });
    const both = await getUsageSummary(pool, { ...RANGE, tags: ["team:ml", "feature:code-review"] });
    expect(both.current.requests).toBeGreaterThan(0);
    expect(both.current.requests).toBeLessThan(Math.min(one.current.requests, other.current.requests));
  });

  it("widens a range to whole hours and reports the range it used", async () => {
    const s = await getUsageSummary(pool, { from: "2026-03-28T10:30:00Z", to: "2026-03-29T12:15:00+00:00" });
    expect(s.from.toISOString()).toBe("2026-03-28T10:00:00.000Z");
    expect(s.to.toISOString()).toBe("2026-03-29T13:00:00.000Z");
    expect(s.previousFrom.toISOString()).toBe("2026-03-27T07:00:00.000Z");
    expectTotals(s.current, (await oracle(pool, { from: s.from, to: s.to })).get("all"));
  });

  it("defaults to the last 30 days and rejects an empty or inverted range", async () => {
    const s = await getUsageSummary(pool, {});
    expect(s.to.getTime() - s.from.getTime()).toBeGreaterThanOrEqual(30 * 86_400_000);
    expect(s.to.getTime()).toBeGreaterThanOrEqual(Date.now());
    await expect(getUsageSummary(pool, { from: "2026-03-28T00:00:00Z", to: "2026-03-28T00:00:00Z" })).rejects.toThrow(/from must be earlier than to/);
    await expect(getUsageSummary(pool, { from: "yesterday" })).rejects.toThrow();
    await expect(getUsageSummary(pool, { provider: ["openia" as "openai"] })).rejects.toThrow();
  });
});

describe("getUsageTimeseries", () => {
  it("hour buckets equal request_log per hour, gaps filled with zeros", async () => {
    const from = new Date("2026-03-24T00:00:00Z");
    const to = new Date("2026-03-27T00:00:00Z");
    const ts = await getUsageTimeseries(pool, { from, to, bucket: "hour", model: ["gpt-4.1-mini", "grok-4"] });
    expect(ts.bucket).toBe("hour");
    expect(ts.points).toHaveLength(72);
    const expected = await oracle(pool, { from, to, model: ["gpt-4.1-mini", "grok-4"] }, "to_char(date_trunc('hour', created_at, 'UTC') AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24')");
    let empty = 0;
    ts.points.forEach((p, i) => {
      expect(p.bucketStart.getTime()).toBe(from.getTime() + i * 3_600_000);
      const e = expected.get(p.bucketStart.toISOString().slice(0, 13));
      if (!e) empty++;
      expectTotals(p, e, p.bucketStart.toISOString());
    });
    // The gap (30 hours without traffic) and quiet hours are present as zero points.
    expect(empty).toBeGreaterThanOrEqual(30);
    expect(ts.points.reduce((s, p) => s + p.requests, 0)).toBe([...expected.values()].reduce((s, e) => s + e.requests, 0));
  });

  it("day buckets follow the time zone across a DST change", async () => {
    // Europe/Berlin moves from +01:00 to +02:00 on 2026-03-29.
    const from = new Date("2026-03-18T00:00:00+01:00");
    const to = new Date("2026-04-02T00:00:00+02:00");
    const ts = await getUsageTimeseries(pool, { from, to, bucket: "day", tz: "Europe/Berlin", tags: ["beta"] });
    expect(ts.tz).toBe("Europe/Berlin");
    expect(ts.points).toHaveLength(15);
    expect(ts.points.map((p) => p.bucketStart.toISOString()).slice(10, 13)).toEqual([
      "2026-03-27T23:00:00.000Z",
      "2026-03-28T23:00:00.000Z",
      "2026-03-29T22:00:00.000Z",
    ]);
    const expected = await oracle(
      pool,
      { from, to, tags: ["beta"] },
      "to_char(date_trunc('day', created_at, 'Europe/Berlin') AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24')",
    );
    for (const p of ts.points) expectTotals(p, expected.get(p.bucketStart.toISOString().slice(0, 13)), p.bucketStart.toISOString());
    // Days before the first request are there, as zeros.
    expect(ts.points.slice(0, 2).map((p) => [p.bucketStart.toISOString(), p.requests])).toEqual([
      ["2026-03-17T23:00:00.000Z", 0],
      ["2026-03-18T23:00:00.000Z", 0],
    ]);
    expect(ts.points[3]!.requests).toBeGreaterThan(0);
  });

  it("picks hour buckets up to 7 days, day buckets beyond, and refuses absurd point counts", async () => {
    expect((await getUsageTimeseries(pool, { from: "2026-03-27T00:00:00Z", to: "2026-03-30T00:00:00Z" })).bucket).toBe("hour");
    const long = await getUsageTimeseries(pool, { from: "2026-03-01T00:00:00Z", to: "2026-04-03T00:00:00Z" });
    expect(long.bucket).toBe("day");
    expect(long.points).toHaveLength(33);
    expect(long.points.reduce((s, p) => s + p.requests, 0)).toBe(900);
    await expect(getUsageTimeseries(pool, { from: "2020-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", bucket: "hour" })).rejects.toThrow(/bucket/);
    await expect(getUsageTimeseries(pool, { tz: "Mars/Olympus" })).rejects.toThrow(/time zone/);
  });
});

describe("breakdowns", () => {
  const cases = FILTERS.filter(([name]) => ["no filter", "one tag", "failed statuses", "combined"].includes(name));

  it.each(cases)("by model equals request_log grouped by model (%s)", async (_, filter) => {
    const out = await getUsageByModel(pool, { ...RANGE, ...filter });
    const expected = await oracle(pool, { ...RANGE, ...filter }, "model");
    expect(out.rows.map((r) => r.model).sort()).toEqual([...expected.keys()].sort());
    for (const r of out.rows) expectTotals(r, expected.get(r.model), r.model);
    const costs = out.rows.map((r) => BigInt(r.costNanoUsd));
    expect(costs).toEqual([...costs].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    expect(out.rows.find((r) => r.model === "claude-sonnet-4-5")?.providers ?? ["anthropic"]).toEqual(["anthropic"]);
  });

  it.each(cases)("by provider equals request_log grouped by provider (%s)", async (_, filter) => {
    const out = await getUsageByProvider(pool, { ...RANGE, ...filter });
    const expected = await oracle(pool, { ...RANGE, ...filter }, "provider");
    expect(out.rows.map((r) => r.provider).sort()).toEqual([...expected.keys()].sort());
    for (const r of out.rows) expectTotals(r, expected.get(r.provider), String(r.provider));
  });

  it("by provider reports provider-less failures as null", async () => {
    const out = await getUsageByProvider(pool, { ...RANGE, status: ["error"] });
    expect(out.rows.some((r) => r.provider === null && r.requests > 0)).toBe(true);
  });

  it.each(cases)("by api key equals request_log grouped by key, with names (%s)", async (_, filter) => {
    const out = await getUsageByApiKey(pool, { ...RANGE, ...filter });
    const expected = await oracle(pool, { ...RANGE, ...filter }, "api_key_id");
    expect(out.rows.map((r) => r.apiKeyId).sort()).toEqual([...expected.keys()].sort());
    for (const r of out.rows) {
      expectTotals(r, expected.get(r.apiKeyId), String(r.apiKeyId));
      const known = API_KEYS.find((k) => k.id === r.apiKeyId);
      expect(r.name).toBe(known?.name ?? null);
    }
  });

  it.each([
    ["no filter: usage_hourly_tag", {} as Filter, undefined],
    ["provider filter: usage_hourly_tag", { provider: ["anthropic"] }, undefined],
    ["one key only", {}, "team"],
    ["status filter: tag sets", { status: ["success"] }, undefined],
    ["cost of feature:code-review per team:*", { tags: ["feature:code-review"] }, "team"],
    ["api key and bare tags", { apiKeyId: [API_KEYS[1].id] }, ""],
  ] as Array<[string, Filter, string | undefined]>)("by tag equals request_log unnested by tag (%s)", async (_, filter, tagKey) => {
    const out = await getUsageByTag(pool, { ...RANGE, ...filter, tagKey });
    const expected = await oracle(pool, { ...RANGE, ...filter }, "t.tag", "request_log CROSS JOIN LATERAL unnest(tags) AS t(tag)");
    const wanted = [...expected.keys()].filter((t) => tagKey === undefined || (tagKey === "" ? !t!.includes(":") : t!.startsWith(`${tagKey}:`)));
    const got = out.groups.flatMap((g) => g.values.map((v) => v.tag));
    expect(got.sort()).toEqual(wanted.sort());
    for (const g of out.groups) {
      for (const v of g.values) {
        expect(v.tag).toBe(g.tagKey === "" ? v.value : `${g.tagKey}:${v.value}`);
        expectTotals(v, expected.get(v.tag), v.tag);
      }
    }
    if (tagKey !== undefined) expect(out.groups.map((g) => g.tagKey)).toEqual(wanted.length > 0 ? [tagKey] : []);
  });

  it("cost of feature:code-review per team is exact, not the team's total", async () => {
    const scoped = await getUsageByTag(pool, { ...RANGE, tags: ["feature:code-review"], tagKey: "team" });
    const all = await getUsageByTag(pool, { ...RANGE, tagKey: "team" });
    const scopedMl = scoped.groups[0]?.values.find((v) => v.value === "ml");
    const allMl = all.groups[0]?.values.find((v) => v.value === "ml");
    expect(scopedMl && allMl).toBeTruthy();
    expect(scopedMl!.requests).toBeLessThan(allMl!.requests);
    const both = await getUsageSummary(pool, { ...RANGE, tags: ["feature:code-review", "team:ml"] });
    expect(scopedMl!.costNanoUsd).toBe(both.current.costNanoUsd);
    expect(scopedMl!.requests).toBe(both.current.requests);
  });
});

describe("ranges read from usage_daily for whole UTC days and usage_hourly for the edge hours", () => {
  // Aligned to 03-21T07:00 .. 04-01T18:00: 10 whole days with partial days on both sides; the
  // previous period (03-09T20:00 .. 03-21T07:00) ends with whole days and edge hours of data too.
  const EDGES = { from: new Date("2026-03-21T07:30:00Z"), to: new Date("2026-04-01T17:10:00Z") };
  const from = new Date("2026-03-21T07:00:00Z");
  const to = new Date("2026-04-01T18:00:00Z");

  it("the seed has requests in the edge hours, so a wrong split would show", async () => {
    const head = (await oracle(pool, { from, to: new Date("2026-03-22T00:00:00Z") })).get("all");
    const tail = (await oracle(pool, { from: new Date("2026-04-01T00:00:00Z"), to })).get("all");
    const dayBeforeFrom = (await oracle(pool, { from: new Date("2026-03-21T00:00:00Z"), to: from })).get("all");
    expect(head?.requests).toBeGreaterThan(0);
    expect(tail?.requests).toBeGreaterThan(0);
    expect(dayBeforeFrom?.requests).toBeGreaterThan(0);
  });

  it.each(FILTERS)("summary equals request_log for the range and the previous period (%s)", async (_, filter) => {
    const s = await getUsageSummary(pool, { ...EDGES, ...filter });
    expect(s.from).toEqual(from);
    expect(s.to).toEqual(to);
    expectTotals(s.current, (await oracle(pool, { from, to, ...filter })).get("all"), "current");
    expectTotals(s.previous, (await oracle(pool, { from: s.previousFrom, to: s.previousTo, ...filter })).get("all"), "previous");
  });

  it.each(FILTERS.filter(([name]) => ["no filter", "failed statuses", "combined"].includes(name)))(
    "by model, provider and api key equal request_log (%s)",
    async (_, filter) => {
      const byModel = await getUsageByModel(pool, { ...EDGES, ...filter });
      const models = await oracle(pool, { from, to, ...filter }, "model");
      expect(byModel.rows.map((r) => r.model).sort()).toEqual([...models.keys()].sort());
      for (const r of byModel.rows) expectTotals(r, models.get(r.model), r.model);
      const byProvider = await getUsageByProvider(pool, { ...EDGES, ...filter });
      const providers = await oracle(pool, { from, to, ...filter }, "provider");
      expect(byProvider.rows.map((r) => r.provider).sort()).toEqual([...providers.keys()].sort());
      for (const r of byProvider.rows) expectTotals(r, providers.get(r.provider), String(r.provider));
      const byKey = await getUsageByApiKey(pool, { ...EDGES, ...filter });
      const keys = await oracle(pool, { from, to, ...filter }, "api_key_id");
      for (const r of byKey.rows) expectTotals(r, keys.get(r.apiKeyId), String(r.apiKeyId));
      expect(byKey.rows).toHaveLength(keys.size);
    },
  );

  it.each([
    ["every tag", {} as Filter, undefined],
    ["one key, one provider", { provider: ["anthropic", "openai"] }, "team"],
  ] as Array<[string, Filter, string | undefined]>)("by tag from the per-tag rollups equals request_log (%s)", async (_, filter, tagKey) => {
    const out = await getUsageByTag(pool, { ...EDGES, ...filter, tagKey });
    const expected = await oracle(pool, { from, to, ...filter }, "t.tag", "request_log CROSS JOIN LATERAL unnest(tags) AS t(tag)");
    const wanted = [...expected.keys()].filter((t) => tagKey === undefined || t!.startsWith(`${tagKey}:`));
    const values = out.groups.flatMap((g) => g.values);
    expect(values.map((v) => v.tag).sort()).toEqual(wanted.sort());
    for (const v of values) expectTotals(v, expected.get(v.tag), v.tag);
  });

  it("by tag over tag sets equals request_log", async () => {
    const out = await getUsageByTag(pool, { ...EDGES, status: ["success"], tagKey: "team" });
    const expected = await oracle(pool, { from, to, status: ["success"] }, "t.tag", "request_log CROSS JOIN LATERAL unnest(tags) AS t(tag)");
    const values = out.groups.flatMap((g) => g.values);
    expect(values.map((v) => v.tag).sort()).toEqual([...expected.keys()].filter((t) => t!.startsWith("team:")).sort());
    for (const v of values) expectTotals(v, expected.get(v.tag), v.tag);
  });

  it("UTC day buckets equal request_log per day, partial first and last days included", async () => {
    const ts = await getUsageTimeseries(pool, { ...EDGES, bucket: "day", model: ["gpt-4.1-mini", "grok-4"] });
    expect(ts.points).toHaveLength(12);
    const expected = await oracle(
      pool,
      { from, to, model: ["gpt-4.1-mini", "grok-4"] },
      "to_char(date_trunc('day', created_at, 'UTC') AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
    );
    for (const p of ts.points) expectTotals(p, expected.get(p.bucketStart.toISOString().slice(0, 10)), p.bucketStart.toISOString());
    expect(ts.points[0]!.requests).toBeGreaterThan(0);
    expect(ts.points[11]!.requests).toBeGreaterThan(0);
  });

  // Other zones read usage_daily per UTC day and move the hours around local midnight with +/-
  // hourly rows. A day bucket holds the hours that start in it, so the oracle truncates each
  // request to its hour first (the same as its own local day for whole-hour offsets; for +05:30 a
  // request at 18:45Z belongs to the day of 18:00Z = 23:30 local).
  it.each([
    ["Europe/Berlin", {} as Filter, 12], // +01:00 -> +02:00 on 03-29 inside the range
    ["Europe/Berlin", { model: ["grok-4", "gpt-4.1-mini"] }, 12],
    ["America/New_York", { provider: ["openai", "anthropic"] }, 12],
    ["Asia/Kolkata", {}, 12],
    ["Asia/Kolkata", { status: ["success"], tags: ["env:prod"] }, 12],
    ["Pacific/Kiritimati", { apiKeyId: [API_KEYS[0].id] }, 13], // +14:00, beyond a UTC day's noon
    ["Pacific/Kiritimati", { status: ["error"] }, 13],
  ] as Array<[string, Filter, number]>)("%s day buckets equal request_log per local day over whole and partial days", async (tz, filter, days) => {
    const ts = await getUsageTimeseries(pool, { ...EDGES, ...filter, bucket: "day", tz });
    expect(ts.from).toEqual(from);
    expect(ts.to).toEqual(to);
    expect(ts.points).toHaveLength(days);
    const expected = await oracle(
      pool,
      { from, to, ...filter },
      `to_char(date_trunc('day', date_trunc('hour', created_at), '${tz}') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI')`,
    );
    for (const p of ts.points) expectTotals(p, expected.get(p.bucketStart.toISOString().slice(0, 16)), `${tz} ${p.bucketStart.toISOString()}`);
    expect([...expected.keys()].every((k) => ts.points.some((p) => p.bucketStart.toISOString().slice(0, 16) === k))).toBe(true);
    expect(ts.points.filter((p) => p.requests > 0).length).toBeGreaterThanOrEqual(days - 2);
  });
});

describe("usage_hourly_provider: views without model, key or tag filters", () => {
  // Unaligned, with partial UTC days at both ends, as above.
  const EDGES = { from: new Date("2026-03-21T07:30:00Z"), to: new Date("2026-04-01T17:10:00Z") };
  const COARSE: Array<[string, Filter]> = [
    ["no filter", {}],
    ["two providers", { provider: ["openai", "gemini"] }],
    ["failed statuses", { status: ["error", "cancelled"] }],
    ["provider and status", { provider: ["anthropic"], status: ["success"] }],
  ];
  let everyModel: string[];

  beforeAll(async () => {
    everyModel = (await pool.query<{ model: string }>(`SELECT DISTINCT model FROM request_log`)).rows.map((r) => r.model);
  });

  /** The call's result and the rollup tables its statements name. */
  async function run<T>(call: (d: Queryable) => Promise<T>): Promise<{ out: T; tables: string[] }> {
    const sqls: string[] = [];
    const out = await call({ query: (text, params) => (sqls.push(text), pool.query(text, params) as never) });
    return { out, tables: [...new Set(sqls.join("\n").match(/\busage_\w+/g))].sort() };
  }

  it("holds request_log's aggregates per hour, provider and status", async () => {
    await expectHourlyProviderRollup(pool);
  });

  const VIEWS: Array<[string, (d: Queryable, filter: Filter) => Promise<unknown>]> = [
    ["summary", (d, filter) => getUsageSummary(d, { ...EDGES, ...filter })],
    ["hourly series", (d, filter) => getUsageTimeseries(d, { ...EDGES, ...filter, bucket: "hour" })],
    ["UTC days", (d, filter) => getUsageTimeseries(d, { ...EDGES, ...filter, bucket: "day" })],
    ["Berlin days (DST)", (d, filter) => getUsageTimeseries(d, { ...EDGES, ...filter, bucket: "day", tz: "Europe/Berlin" })],
    ["Kolkata days (+05:30)", (d, filter) => getUsageTimeseries(d, { ...EDGES, ...filter, bucket: "day", tz: "Asia/Kolkata" })],
    ["Kiritimati days (+14:00)", (d, filter) => getUsageTimeseries(d, { ...EDGES, ...filter, bucket: "day", tz: "Pacific/Kiritimati" })],
    ["by provider", (d, filter) => getUsageByProvider(d, { ...EDGES, ...filter })],
  ];

  // Naming every model selects the same requests but forces usage_hourly (+ usage_daily): both
  // paths must give the very same answer, zones and partial days included.
  it.each(COARSE.flatMap(([name, filter]) => VIEWS.map(([view, call]) => [`${view}, ${name}`, filter, call] as const)))(
    "%s: the same result from usage_hourly_provider as from usage_hourly",
    async (_, filter, call) => {
      const coarse = await run((d) => call(d, filter));
      const fine = await run((d) => call(d, { ...filter, model: everyModel }));
      expect(coarse.tables).toEqual(["usage_hourly_provider"]);
      expect(fine.tables).not.toContain("usage_hourly_provider");
      expect(fine.tables).toContain("usage_hourly");
      expect(coarse.out).toEqual(fine.out);
    },
  );

  it("the compared results are not empty", async () => {
    const s = await getUsageSummary(pool, { ...EDGES, provider: ["anthropic"], status: ["success"] });
    expect(s.current.requests).toBeGreaterThan(20);
    expect(s.previous.requests).toBeGreaterThan(5);
  });

  it("views that group by model or key, or filter by them, keep the finer rollups", async () => {
    expect((await run((d) => getUsageByModel(d, EDGES))).tables).toEqual(["usage_daily", "usage_hourly"]);
    expect((await run((d) => getUsageByApiKey(d, { ...EDGES, provider: ["openai"] }))).tables).toEqual(["usage_daily", "usage_hourly"]);
    expect((await run((d) => getUsageByTag(d, { ...EDGES, status: ["success"] }))).tables).toEqual(["usage_daily", "usage_hourly"]);
    expect((await run((d) => getUsageSummary(d, { ...EDGES, tags: ["beta"] }))).tables).toEqual(["usage_daily", "usage_hourly"]);
  });
});
