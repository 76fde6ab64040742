import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import type { z } from "zod";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { UsageEvent } from "@/gateway/usage-event";
import { toLedgerRow } from "@/server/ledger/ledger-row";
import { LedgerWriter, type LedgerWriterOptions } from "@/server/ledger/ledger-writer";
import { Spool } from "@/server/ledger/spool";
import { randomEvents } from "@/server/ledger/test-usage-events";
import { getConversation } from "@/server/services/usage/get-conversation";
import { getUsageByApiKey } from "@/server/services/usage/get-usage-by-api-key";
import { getUsageByModel } from "@/server/services/usage/get-usage-by-model";
import { getUsageByProvider } from "@/server/services/usage/get-usage-by-provider";
import { getUsageByTag } from "@/server/services/usage/get-usage-by-tag";
import { getUsageSummary, type getUsageSummaryInput } from "@/server/services/usage/get-usage-summary";
import { getUsageTimeseries } from "@/server/services/usage/get-usage-timeseries";
import { listConversations } from "@/server/services/usage/list-conversations";
import { listRequests } from "@/server/services/usage/list-requests";
import { expectHourlyProviderRollup, expectTotals, oracle, oracleWhere, type OracleFilter } from "@/server/services/usage/usage-oracle.test-helper";
import { API_KEYS, makeEvents, seedLedger } from "@/server/services/usage/usage-seed.test-helper";
import { runPolicyJob, startTimescaleServer, type TimescaleServer } from "@/testing/timescale/timescale-server";
import { rollupDifferencesSql } from "../../../bench/volume/rollup-sql";
import { applyMigrations, readMigrations } from "./migrate";
import { createPool } from "./pool";

/**
 * The TimescaleDB path, in CI: PostgreSQL 17 + TimescaleDB 2.23 (PGlite build, devDependency) over
 * the wire. Our migrations must turn request_log into a compressed hypertable with retention, and
 * the ledger and the analytics must behave exactly as on plain PostgreSQL, also when rows sit in
 * compressed chunks and when retention has dropped raw rows.
 */

const migrationsDir = path.resolve(import.meta.dirname, "..", "..", "..", "prisma", "migrations");
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
// Compression and retention windows are relative to now(), so the data is too.
const NOW_HOUR = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;

let server: TimescaleServer;
let pool: pg.Pool;

beforeAll(async () => {
  server = await startTimescaleServer();
  // One connection: PGlite is a single backend session.
  pool = createPool(server.url, { max: 1 });
  await applyMigrations(pool, { migrationsDir });
});

afterAll(async () => {
  await pool?.end();
  await server?.close();
});

async function count(sql: string, params?: unknown[]): Promise<number> {
  return Number((await pool.query<{ n: string }>(sql, params)).rows[0]!.n);
}

async function rollupDifferences(): Promise<unknown[]> {
  return (await pool.query(rollupDifferencesSql())).rows;
}

async function snapshot(): Promise<unknown[]> {
  const tables = ["request_log ORDER BY created_at, id", "usage_hourly ORDER BY 1, 2, 3, 4, 5, 6", "usage_daily ORDER BY 1, 2, 3, 4, 5, 6", "usage_hourly_provider ORDER BY 1, 2, 3", "usage_hourly_tag ORDER BY 1, 2, 5, 6", "usage_daily_tag ORDER BY 1, 2, 5, 6", "conversations ORDER BY 1"];
  const out = [];
  for (const t of tables) out.push((await pool.query(`SELECT * FROM ${t}`)).rows);
  return out;
}

async function compressedChunks(): Promise<{ total: number; compressed: number }> {
  const res = await pool.query<{ total: string; compressed: string }>(
    `SELECT count(*) AS total, count(*) FILTER (WHERE is_compressed) AS compressed
       FROM timescaledb_information.chunks WHERE hypertable_name = 'request_log'`,
  );
  return { total: Number(res.rows[0]!.total), compressed: Number(res.rows[0]!.compressed) };
}

describe("migrations on TimescaleDB", () => {
  it("make request_log a hypertable on created_at with one-day chunks", async () => {
    const res = await pool.query(
      `SELECT d.column_name, d.time_interval::text AS chunk, h.num_dimensions
         FROM timescaledb_information.dimensions d JOIN timescaledb_information.hypertables h USING (hypertable_schema, hypertable_name)
        WHERE d.hypertable_name = 'request_log'`,
    );
    expect(res.rows).toEqual([{ column_name: "created_at", chunk: "1 day", num_dimensions: 1 }]);
    // The rollups stay ordinary tables (dashboards read them; retention must not touch them).
    expect(await count(`SELECT count(*) AS n FROM timescaledb_information.hypertables`)).toBe(1);
  });

  it("enable compression, segmented by provider and model, with a 7-day policy", async () => {
    const settings = await pool.query(
      `SELECT attname, segmentby_column_index AS seg, orderby_column_index AS ord, orderby_asc AS asc
         FROM timescaledb_information.compression_settings WHERE hypertable_name = 'request_log'
        ORDER BY seg NULLS LAST, ord`,
    );
    expect(settings.rows).toEqual([
      { attname: "provider", seg: 1, ord: null, asc: null },
      { attname: "model", seg: 2, ord: null, asc: null },
      { attname: "created_at", seg: null, ord: 1, asc: false },
      { attname: "id", seg: null, ord: 2, asc: true },
    ]);
    const jobs = await pool.query(
      `SELECT proc_name, config->>'compress_after' AS after FROM timescaledb_information.jobs
        WHERE hypertable_name = 'request_log' AND proc_name = 'policy_compression'`,
    );
    expect(jobs.rows).toEqual([{ proc_name: "policy_compression", after: "7 days" }]);
  });

  it("add a 90-day retention policy on request_log only", async () => {
    const jobs = await pool.query(
      `SELECT hypertable_name, config->>'drop_after' AS after FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention'`,
    );
    expect(jobs.rows).toEqual([{ hypertable_name: "request_log", after: "90 days" }]);
  });

  it("are idempotent: a second run applies nothing, and the TimescaleDB script run again changes nothing", async () => {
    const state = async () =>
      (
        await pool.query(
          `SELECT (SELECT json_agg(j ORDER BY job_id) FROM (SELECT job_id, proc_name, config FROM timescaledb_information.jobs) j) AS jobs,
                  (SELECT json_agg(s ORDER BY attname) FROM timescaledb_information.compression_settings s) AS settings,
                  (SELECT count(*) FROM timescaledb_information.hypertables) AS hypertables`,
        )
      ).rows[0];
    const before = await state();
    expect(await applyMigrations(pool, { migrationsDir })).toMatchObject({ applied: [], alreadyApplied: (await readMigrations(migrationsDir)).map((m) => m.name) });
    const script = readFileSync(path.join(migrationsDir, "20261204000100_timescaledb", "migration.sql"), "utf8");
    await pool.query(script);
    expect(await state()).toEqual(before);
  });
});

describe("LedgerWriter on TimescaleDB", () => {
  let spoolDir: string;
  const writers: LedgerWriter[] = [];

  function writer(options: Partial<LedgerWriterOptions> = {}): LedgerWriter {
    const w = new LedgerWriter({ pool, spoolDir, log: () => {}, ...options });
    writers.push(w);
    return w;
  }

  beforeEach(async () => {
    spoolDir = mkdtempSync(path.join(os.tmpdir(), "sy-tsdb-spool-"));
    await pool.query("TRUNCATE request_log, usage_hourly, usage_daily, usage_hourly_provider, usage_hourly_tag, usage_daily_tag, conversations");
  });
  afterEach(async () => {
    for (const w of writers.splice(0)) await w.close();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  async function waitFor(cond: () => boolean, timeoutMs = 20_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > end) throw new Error("condition not met in time");
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it("writes every event once into the hypertable and keeps all rollups equal to a rebuild from the raw rows", async () => {
    const events = randomEvents(3_000, 21, { end: NOW_HOUR, hours: 72 });
    const w = writer({ batchSize: 250 });
    for (const e of events) w.record(e);
    for (const e of events.slice(0, 100)) w.record(e); // duplicates within and across batches
    await w.flush();
    expect(w.stats()).toMatchObject({ queued: 0, written: 3_000, duplicates: 100, spooled: 0, dropped: 0, rejected: 0 });
    expect(await count(`SELECT count(*) AS n FROM request_log`)).toBe(3_000);
    // The rows really are in chunks (three days of data in one-day chunks), not in the parent table.
    expect(await count(`SELECT count(*) AS n FROM ONLY request_log`)).toBe(0);
    expect((await compressedChunks()).total).toBeGreaterThanOrEqual(3);
    expect(await rollupDifferences()).toEqual([]);
    const totals = await pool.query<{ r: string; c: string }>(
      `SELECT (SELECT sum(requests) FROM usage_hourly)::text AS r, (SELECT sum(cost_nano_usd) FROM usage_hourly)::text AS c`,
    );
    expect(totals.rows[0]).toEqual({ r: "3000", c: events.reduce((s, e) => s + (e.costNanoUsd ?? 0n), 0n).toString() });
  });

  it("changes nothing when the same events are written again, directly or through a spool replay", async () => {
    const events = randomEvents(800, 22, { end: NOW_HOUR, hours: 48 });
    const w = writer({ batchSize: 300 });
    for (const e of events) w.record(e);
    await w.flush();
    const before = await snapshot();

    for (const e of events) w.record(e);
    await w.flush();
    expect(w.stats()).toMatchObject({ written: 800, duplicates: 800 });

    const spool = new Spool({ dir: spoolDir });
    spool.append(events.map(toLedgerRow));
    spool.close();
    const again = writer({ batchSize: 300 }); // replays the spool at start
    await waitFor(() => again.stats().duplicates === 800);
    expect(again.stats().replayed).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it("stays idempotent and exact when rows land in compressed chunks", async () => {
    // Ten to twenty days old: past the 7-day compression window.
    const old = randomEvents(1_200, 23, { end: NOW_HOUR - 10 * DAY_MS, hours: 240 });
    const recent = randomEvents(300, 24, { end: NOW_HOUR, hours: 48 });
    const w = writer({ batchSize: 400 });
    for (const e of [...old, ...recent]) w.record(e);
    await w.flush();

    await runPolicyJob(pool, "policy_compression", "request_log");
    const chunks = await compressedChunks();
    expect(chunks.compressed).toBeGreaterThanOrEqual(10);
    expect(chunks.compressed).toBeLessThan(chunks.total);
    const before = await snapshot();

    // A replay of rows that now sit in compressed chunks: all recognised as duplicates.
    for (const e of old) w.record(e);
    await w.flush();
    expect(w.stats()).toMatchObject({ written: 1_500, duplicates: 1_200, rejected: 0, spooled: 0 });
    expect(await snapshot()).toEqual(before);

    // Late events for those old hours still go in, once, and the rollups follow.
    const late = randomEvents(200, 25, { end: NOW_HOUR - 10 * DAY_MS, hours: 240 });
    for (const e of [...late, ...late]) w.record(e);
    await w.flush();
    expect(w.stats()).toMatchObject({ written: 1_700, duplicates: 1_400 });
    expect(await count(`SELECT count(*) AS n FROM request_log`)).toBe(1_700);
    expect(await rollupDifferences()).toEqual([]);

    // Drill-down reads compressed rows back exactly.
    const e = old[42]!;
    const page = await listRequests(pool, { from: new Date(e.createdAt.getTime()), to: new Date(e.createdAt.getTime() + 1), limit: 10 });
    expect(page.rows.map((r) => [r.id, r.model, r.costNanoUsd, r.tags])).toContainEqual([e.id, e.model, e.costNanoUsd?.toString() ?? null, e.tags]);
  });

  it("retention drops raw rows older than 90 days while the rollups keep them", async () => {
    const ancient = randomEvents(400, 26, { end: NOW_HOUR - 100 * DAY_MS, hours: 72 });
    const recent = randomEvents(400, 27, { end: NOW_HOUR, hours: 72 });
    const w = writer({ batchSize: 500 });
    for (const e of [...ancient, ...recent]) w.record(e);
    await w.flush();
    const range = { from: new Date(NOW_HOUR - 110 * DAY_MS), to: new Date(NOW_HOUR - 95 * DAY_MS) };
    const before = await getUsageSummary(pool, range);
    expect(before.current.requests).toBe(400);

    await runPolicyJob(pool, "policy_retention", "request_log");
    expect(await count(`SELECT count(*) AS n FROM request_log`)).toBe(400);
    expect(await count(`SELECT count(*) AS n FROM request_log WHERE created_at < now() - interval '90 days'`)).toBe(0);
    const after = await getUsageSummary(pool, range);
    expect(after.current).toEqual(before.current);
    expect(await count(`SELECT sum(requests) AS n FROM usage_hourly`)).toBe(800);
    expect(await count(`SELECT sum(requests) AS n FROM usage_hourly_provider`)).toBe(800);
  });
});

describe("usage services on TimescaleDB equal aggregates over the raw rows", () => {
  // Two weeks up to now, with a day-long gap; the older half is compressed before the checks.
  const END = new Date(NOW_HOUR);
  const START = new Date(NOW_HOUR - 14 * DAY_MS);
  const GAP = { from: new Date(NOW_HOUR - 9 * DAY_MS), to: new Date(NOW_HOUR - 8 * DAY_MS + 6 * HOUR_MS) };
  const RANGE = { from: new Date(NOW_HOUR - 7 * DAY_MS), to: END };
  const ALL = { from: START, to: END };
  let events: UsageEvent[];

  type Filter = Omit<z.input<typeof getUsageSummaryInput>, "from" | "to" | "bucket" | "tz">;
  const FILTERS: Array<[string, Filter]> = [
    ["no filter", {}],
    ["one model", { model: ["claude-sonnet-4-5"] }],
    ["two providers", { provider: ["openai", "gemini"] }],
    ["failed statuses", { status: ["error", "cancelled"] }],
    ["one api key", { apiKeyId: [API_KEYS[0].id] }],
    ["two tags (all of)", { tags: ["feature:code-review", "team:ml"] }],
    ["combined", { model: ["gpt-4.1-mini", "my-fine-tune"], status: ["success"], tags: ["env:prod"] }],
  ];

  beforeAll(async () => {
    await pool.query("TRUNCATE request_log, usage_hourly, usage_daily, usage_hourly_provider, usage_hourly_tag, usage_daily_tag, conversations");
    events = makeEvents({ seed: 31, count: 1_000, start: START, end: END, gap: GAP, conversations: 30 });
    await seedLedger(pool, events, 128);
    await runPolicyJob(pool, "policy_compression", "request_log");
    const chunks = await compressedChunks();
    expect(chunks.compressed).toBeGreaterThan(0);
    expect(chunks.compressed).toBeLessThan(chunks.total);
  });

  it("the rollups equal a rebuild from the (partly compressed) raw rows", async () => {
    expect(await rollupDifferences()).toEqual([]);
    await expectHourlyProviderRollup(pool);
  });

  it.each(FILTERS)("summary: the range and the previous period (%s)", async (_, filter) => {
    const s = await getUsageSummary(pool, { ...RANGE, ...filter });
    expectTotals(s.current, (await oracle(pool, { ...RANGE, ...filter })).get("all"), "current");
    expectTotals(s.previous, (await oracle(pool, { from: s.previousFrom, to: s.previousTo, ...filter })).get("all"), "previous");
  });

  it("time series: hour buckets with gaps filled, and day buckets in a time zone", async () => {
    const from = new Date(GAP.from.getTime() - DAY_MS);
    const to = new Date(GAP.to.getTime() + DAY_MS - 6 * HOUR_MS);
    const hourly = await getUsageTimeseries(pool, { from, to, bucket: "hour", model: ["gpt-4.1-mini", "grok-4"] });
    expect(hourly.points).toHaveLength(72);
    const perHour = await oracle(pool, { from, to, model: ["gpt-4.1-mini", "grok-4"] }, "to_char(date_trunc('hour', created_at, 'UTC') AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24')");
    let empty = 0;
    for (const p of hourly.points) {
      const e = perHour.get(p.bucketStart.toISOString().slice(0, 13));
      if (!e) empty++;
      expectTotals(p, e, p.bucketStart.toISOString());
    }
    expect(empty).toBeGreaterThanOrEqual(24);

    // usage_hourly + usage_daily (tags), and usage_hourly_provider (no filter, status); a day holds
    // the hours that start in it, which matters for the +05:30 zone.
    for (const [tz, filter] of [
      ["America/New_York", { tags: ["beta"] }],
      ["Asia/Kolkata", {}],
      ["Asia/Kolkata", { status: ["error"] }],
    ] as Array<[string, Filter]>) {
      const daily = await getUsageTimeseries(pool, { ...ALL, ...filter, bucket: "day", tz });
      const perDay = await oracle(
        pool,
        { from: daily.from, to: daily.to, ...filter },
        `to_char(date_trunc('day', date_trunc('hour', created_at, 'UTC'), '${tz}') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI')`,
      );
      for (const p of daily.points) expectTotals(p, perDay.get(p.bucketStart.toISOString().slice(0, 16)), `${tz} ${p.bucketStart.toISOString()}`);
      expect(daily.points.reduce((s, p) => s + p.requests, 0)).toBe([...perDay.values()].reduce((s, e) => s + e.requests, 0));
    }
  });

  it.each(FILTERS.filter(([n]) => ["no filter", "failed statuses", "combined"].includes(n)))("breakdowns by model, provider and api key (%s)", async (_, filter) => {
    const f = { ...RANGE, ...filter };
    const byModel = await getUsageByModel(pool, f);
    const models = await oracle(pool, f, "model");
    expect(byModel.rows.map((r) => r.model).sort()).toEqual([...models.keys()].sort());
    for (const r of byModel.rows) expectTotals(r, models.get(r.model), r.model);

    const byProvider = await getUsageByProvider(pool, f);
    const providers = await oracle(pool, f, "provider");
    expect(byProvider.rows.map((r) => r.provider).sort()).toEqual([...providers.keys()].sort());
    for (const r of byProvider.rows) expectTotals(r, providers.get(r.provider), String(r.provider));

    const byKey = await getUsageByApiKey(pool, f);
    const keys = await oracle(pool, f, "api_key_id");
    expect(byKey.rows.map((r) => r.apiKeyId).sort()).toEqual([...keys.keys()].sort());
    for (const r of byKey.rows) expectTotals(r, keys.get(r.apiKeyId), String(r.apiKeyId));
  });

  it.each([
    ["every tag (usage_hourly_tag)", {} as Filter, undefined],
    ["team:* within feature:code-review (tag sets)", { tags: ["feature:code-review"] }, "team"],
  ] as Array<[string, Filter, string | undefined]>)("breakdown by tag (%s)", async (_, filter, tagKey) => {
    const out = await getUsageByTag(pool, { ...RANGE, ...filter, tagKey });
    const expected = await oracle(pool, { ...RANGE, ...filter }, "t.tag", "request_log CROSS JOIN LATERAL unnest(tags) AS t(tag)");
    const wanted = [...expected.keys()].filter((t) => tagKey === undefined || t!.startsWith(`${tagKey}:`));
    expect(out.groups.flatMap((g) => g.values.map((v) => v.tag)).sort()).toEqual(wanted.sort());
    for (const g of out.groups) for (const v of g.values) expectTotals(v, expected.get(v.tag), v.tag);
  });

  it.each([
    ["everything", {}],
    ["errors of two providers", { status: ["error"], provider: ["openai", "anthropic"] }],
    ["two tags", { tags: ["env:prod", "team:web"] }],
  ] as Array<[string, Partial<OracleFilter>]>)("request list: cursor paging visits every row once, newest first (%s)", async (_, filter) => {
    const f = { ...ALL, ...filter } as OracleFilter;
    const params: unknown[] = [];
    const want = (await pool.query<{ id: string }>(`SELECT id FROM request_log WHERE ${oracleWhere(f, params)} ORDER BY created_at DESC, id DESC`, params)).rows.map((r) => r.id);
    expect(want.length).toBeGreaterThan(0);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listRequests(pool, { ...f, cursor, limit: 97 } as Parameters<typeof listRequests>[1]);
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && seen.length <= want.length);
    expect(seen).toEqual(want);
  });

  it("conversations: the list and a drill-down match the raw rows", async () => {
    const want = await pool.query<{ conversation_id: string; requests: number; cost: string; last_at: Date }>(
      `SELECT conversation_id, count(*)::int AS requests, COALESCE(sum(cost_nano_usd), 0)::text AS cost, max(created_at) AS last_at
         FROM request_log WHERE conversation_id IS NOT NULL GROUP BY 1 ORDER BY max(created_at) DESC, conversation_id DESC`,
    );
    const seen: Array<[string, number, string, Date]> = [];
    let cursor: string | undefined;
    do {
      const page = await listConversations(pool, { ...ALL, cursor, limit: 7 });
      seen.push(...page.rows.map((c) => [c.conversationId, c.requests, c.costNanoUsd, c.lastAt] as [string, number, string, Date]));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(want.rows.map((r) => [r.conversation_id, r.requests, r.cost, r.last_at]));

    const ids = (await pool.query<{ id: string }>(`SELECT id FROM request_log WHERE conversation_id = 'conv-5' ORDER BY created_at, id`)).rows.map((r) => r.id);
    expect(ids.length).toBeGreaterThan(5);
    const conv = await getConversation(pool, { conversationId: "conv-5", limit: 1_000 });
    expect(conv?.conversation.requests).toBe(ids.length);
    expect(conv?.requests.map((r) => r.id)).toEqual(ids);
  });
});
