import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { UsageEvent } from "@/gateway/usage-event";
import { createPool } from "@/server/db/pool";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";
import { LATENCY_BUCKET_COUNT, latencyBucket } from "./latency-histogram";
import { NO_API_KEY_ID, toLedgerRow } from "./ledger-row";
import { LedgerWriter, type LedgerWriterOptions } from "./ledger-writer";
import { Spool } from "./spool";
import { randomEvents, sampleEvent } from "./test-usage-events";

let db: TestDatabase;
let pool: pg.Pool;
let spoolDir: string;
const writers: LedgerWriter[] = [];

beforeAll(async () => {
  db = await createTestDatabase("sy_ledger");
  pool = createPool(db.url, { max: 4 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});
beforeEach(async () => {
  spoolDir = mkdtempSync(path.join(os.tmpdir(), "sy-ledger-spool-"));
  await pool.query("TRUNCATE request_log, usage_hourly, usage_daily, usage_hourly_provider, usage_hourly_tag, usage_daily_tag, conversations");
});
afterEach(async () => {
  for (const w of writers.splice(0)) await w.close();
  rmSync(spoolDir, { recursive: true, force: true });
});

function writer(options: Partial<LedgerWriterOptions> = {}): LedgerWriter {
  const w = new LedgerWriter({ pool, spoolDir, log: () => {}, ...options });
  writers.push(w);
  return w;
}

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function count(table = "request_log"): Promise<number> {
  return (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
}

const SUM_COLUMNS = `requests, error_requests, streamed_requests, input_tokens, cached_input_tokens, cache_write_tokens,
  output_tokens, reasoning_tokens, cost_nano_usd, unpriced_requests, latency_ms_sum, ttft_ms_sum, ttft_count`;
const RAW_SUMS = `count(*), count(*) FILTER (WHERE status = 'error'), count(*) FILTER (WHERE streamed),
  sum(input_tokens), sum(cached_input_tokens), sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens),
  COALESCE(sum(cost_nano_usd), 0), count(*) FILTER (WHERE cost_nano_usd IS NULL), sum(latency_ms),
  COALESCE(sum(ttft_ms), 0), count(ttft_ms)`;

/** Rows present in one side only: rollups vs the same sums computed with SUM() over request_log. */
async function rollupDifferences(): Promise<unknown[]> {
  const hourly = await pool.query(`
    WITH raw AS (
      SELECT date_trunc('hour', created_at, 'UTC') AS bucket, COALESCE(api_key_id, '${NO_API_KEY_ID}') AS api_key_id,
        COALESCE(provider, '') AS provider, model, status, array_to_string(tags, E'\\x1f') AS tags_key, ${RAW_SUMS}
      FROM request_log GROUP BY 1, 2, 3, 4, 5, 6),
    roll AS (SELECT bucket, api_key_id, provider, model, status, tags_key, ${SUM_COLUMNS} FROM usage_hourly)
    (SELECT 'hourly only in raw' AS side, * FROM (TABLE raw EXCEPT TABLE roll) a)
    UNION ALL (SELECT 'hourly only in rollup', * FROM (TABLE roll EXCEPT TABLE raw) b)`);
  const tags = await pool.query(`
    WITH raw AS (
      SELECT date_trunc('hour', created_at, 'UTC') AS bucket, tag, COALESCE(provider, '') AS provider, model, ${RAW_SUMS}
      FROM request_log CROSS JOIN LATERAL unnest(tags) AS tag GROUP BY 1, 2, 3, 4),
    roll AS (SELECT bucket, tag, provider, model, ${SUM_COLUMNS} FROM usage_hourly_tag)
    (SELECT 'tag only in raw' AS side, * FROM (TABLE raw EXCEPT TABLE roll) a)
    UNION ALL (SELECT 'tag only in rollup', * FROM (TABLE roll EXCEPT TABLE raw) b)`);
  const providers = await pool.query(`
    WITH raw AS (
      SELECT date_trunc('hour', created_at, 'UTC') AS bucket, COALESCE(provider, '') AS provider, status, ${RAW_SUMS}
      FROM request_log GROUP BY 1, 2, 3),
    roll AS (SELECT bucket, provider, status, ${SUM_COLUMNS} FROM usage_hourly_provider)
    (SELECT 'provider only in raw' AS side, * FROM (TABLE raw EXCEPT TABLE roll) a)
    UNION ALL (SELECT 'provider only in rollup', * FROM (TABLE roll EXCEPT TABLE raw) b)`);
  const conversations = await pool.query(`
    WITH raw AS (
      SELECT conversation_id, min(created_at) AS first_at, max(created_at) AS last_at, count(*) AS requests,
        count(*) FILTER (WHERE status = 'error') AS error_requests, sum(input_tokens) AS input_tokens,
        sum(output_tokens) AS output_tokens, COALESCE(sum(cost_nano_usd), 0) AS cost_nano_usd,
        count(*) FILTER (WHERE cost_nano_usd IS NULL) AS unpriced_requests,
        array_agg(DISTINCT model ORDER BY model) AS models,
        COALESCE(array_agg(DISTINCT api_key_id ORDER BY api_key_id) FILTER (WHERE api_key_id IS NOT NULL), '{}') AS api_key_ids,
        COALESCE((SELECT array_agg(DISTINCT t ORDER BY t) FROM request_log r2, unnest(r2.tags) t
                  WHERE r2.conversation_id = r.conversation_id), '{}') AS tags
      FROM request_log r WHERE conversation_id IS NOT NULL GROUP BY conversation_id),
    roll AS (SELECT conversation_id, first_at, last_at, requests, error_requests, input_tokens, output_tokens,
      cost_nano_usd, unpriced_requests, models, api_key_ids, tags FROM conversations)
    (SELECT 'conversation only in raw' AS side, * FROM (TABLE raw EXCEPT TABLE roll) a)
    UNION ALL (SELECT 'conversation only in rollup', * FROM (TABLE roll EXCEPT TABLE raw) b)`);
  return [...hourly.rows, ...tags.rows, ...providers.rows, ...conversations.rows];
}

type Tally = Map<string, { requests: number; cost: bigint; input: number; hist: number[] }>;

/** The key columns after `bucket` of an hourly rollup, and the same key of an event. */
interface RollupKey {
  columns: string[];
  of: (e: UsageEvent) => string[];
}
const HOURLY_KEY: RollupKey = {
  columns: ["api_key_id", "provider", "model", "status", "tags_key"],
  of: (e: UsageEvent) => [e.apiKeyId ?? NO_API_KEY_ID, e.provider ?? "", e.model, e.status, e.tags.join("\u001f")],
};
const HOURLY_PROVIDER_KEY: RollupKey = { columns: ["provider", "status"], of: (e: UsageEvent) => [e.provider ?? "", e.status] };

/** An hourly rollup as an independent TypeScript tally of the events (histograms included). */
function tally(events: UsageEvent[], key: RollupKey): Tally {
  const out: Tally = new Map();
  for (const e of events) {
    const hour = new Date(Math.floor(e.createdAt.getTime() / 3_600_000) * 3_600_000).toISOString();
    const k = [hour, ...key.of(e)].join("|");
    const t = out.get(k) ?? { requests: 0, cost: 0n, input: 0, hist: new Array<number>(LATENCY_BUCKET_COUNT).fill(0) };
    t.requests++;
    t.cost += e.costNanoUsd ?? 0n;
    t.input += e.inputTokens;
    t.hist[latencyBucket(e.latencyMs)]!++;
    out.set(k, t);
  }
  return out;
}

async function tallyFromDb(table: string, key: RollupKey): Promise<Tally> {
  const { rows } = await pool.query<Record<string, string> & { bucket: Date; latency_hist: number[] }>(`SELECT * FROM ${table}`);
  return new Map(
    rows.map((r) => [
      [r.bucket.toISOString(), ...key.columns.map((c) => r[c])].join("|"),
      { requests: Number(r.requests), cost: BigInt(r.cost_nano_usd!), input: Number(r.input_tokens), hist: r.latency_hist },
    ]),
  );
}

/** Both hourly rollups, histograms included, equal the TypeScript tally of `events`. */
async function expectHourlyTallies(events: UsageEvent[]): Promise<void> {
  expect(await tallyFromDb("usage_hourly", HOURLY_KEY)).toEqual(tally(events, HOURLY_KEY));
  expect(await tallyFromDb("usage_hourly_provider", HOURLY_PROVIDER_KEY)).toEqual(tally(events, HOURLY_PROVIDER_KEY));
}

async function snapshot(): Promise<unknown[]> {
  const tables = ["request_log ORDER BY created_at, id", "usage_hourly ORDER BY 1, 2, 3, 4, 5, 6", "usage_daily ORDER BY 1, 2, 3, 4, 5, 6", "usage_hourly_provider ORDER BY 1, 2, 3", "usage_hourly_tag ORDER BY 1, 2, 5, 6", "usage_daily_tag ORDER BY 1, 2, 5, 6", "conversations ORDER BY 1"];
  return Promise.all(tables.map(async (t) => (await pool.query(`SELECT * FROM ${t}`)).rows));
}

const spoolFiles = (prefix = "ledger-") => readdirSync(spoolDir).filter((f) => f.startsWith(prefix));

describe("LedgerWriter on PostgreSQL", () => {
  it("writes every event once and keeps all rollups equal to SUM() over the raw rows", async () => {
    const events = randomEvents(5_000, 1);
    const w = writer({ batchSize: 200 });
    for (const e of events) w.record(e);
    for (const e of events.slice(0, 100)) w.record(e); // duplicates within and across batches
    await w.flush();

    expect(w.stats()).toMatchObject({ queued: 0, written: 5_000, duplicates: 100, spooled: 0, dropped: 0, rejected: 0 });
    expect(await count()).toBe(5_000);
    expect(await rollupDifferences()).toEqual([]);
    await expectHourlyTallies(events);

    // Totals across the rollups agree with the events themselves.
    const totals = await pool.query<{ r: string; c: string; t: string }>(
      `SELECT (SELECT sum(requests) FROM usage_hourly)::text AS r, (SELECT sum(cost_nano_usd) FROM usage_hourly)::text AS c,
              (SELECT sum(requests) FROM conversations)::text AS t`,
    );
    expect(totals.rows[0]).toEqual({
      r: "5000",
      c: events.reduce((s, e) => s + (e.costNanoUsd ?? 0n), 0n).toString(),
      t: String(events.filter((e) => e.conversationId !== null).length),
    });
    const perTag = await pool.query<{ tag: string; n: string }>(`SELECT tag, sum(requests)::text AS n FROM usage_hourly_tag GROUP BY tag`);
    for (const { tag, n } of perTag.rows) expect(Number(n)).toBe(events.filter((e) => e.tags.includes(tag)).length);
  });

  it("changes nothing when the same events are written again, directly or through a spool replay", async () => {
    const events = randomEvents(1_000, 2);
    const w = writer({ batchSize: 300 });
    for (const e of events) w.record(e);
    await w.flush();
    const before = await snapshot();

    for (const e of events) w.record(e);
    await w.flush();
    expect(w.stats()).toMatchObject({ written: 1_000, duplicates: 1_000 });

    const spool = new Spool({ dir: spoolDir });
    spool.append(events.map(toLedgerRow));
    spool.close();
    const again = writer({ batchSize: 300 }); // replays the spool at start
    await waitFor(() => again.stats().duplicates === 1_000);
    expect(again.stats().replayed).toBe(0);
    expect(spoolFiles()).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it("spools while the database is unreachable and replays when it is back: none lost, none twice", async () => {
    const proxy = await TcpProxy.start(5432);
    const proxied = new URL(db.url);
    proxied.port = String(proxy.port);
    const proxyPool = createPool(proxied.toString(), { max: 2, onError: () => {} });
    const messages: string[] = [];
    const w = writer({ pool: proxyPool, batchSize: 200, flushIntervalMs: 20, retryDelayMs: 100, maxRetryDelayMs: 400, log: (m) => messages.push(m) });
    try {
      const events = randomEvents(3_000, 3);
      for (const e of events.slice(0, 1_000)) w.record(e);
      await w.flush();
      expect(w.stats().written).toBe(1_000);

      await proxy.down();
      for (const e of events.slice(1_000)) w.record(e);
      await w.flush();
      expect(w.stats()).toMatchObject({ written: 1_000, spooled: 2_000, dropped: 0 });
      expect(w.stats().lastError).toBeTruthy();
      expect(await count()).toBe(1_000);
      expect(spoolFiles().length).toBeGreaterThan(0);

      await proxy.up();
      await waitFor(() => w.stats().replayed === 2_000);
      expect(await count()).toBe(3_000);
      const ids = await pool.query<{ id: string }>(`SELECT id::text FROM request_log`);
      expect(new Set(ids.rows.map((r) => r.id))).toEqual(new Set(events.map((e) => e.id)));
      expect(await rollupDifferences()).toEqual([]);
      await expectHourlyTallies(events);
      expect(spoolFiles()).toEqual([]);
      expect(messages.some((m) => m.includes("database write failed"))).toBe(true);
      expect(messages.some((m) => m.includes("recovered"))).toBe(true);
    } finally {
      await w.close();
      await proxyPool.end();
      await proxy.close();
    }
  });

  it("full-queue policy: events past capacity go synchronously to the spool, then into the database", async () => {
    const events = randomEvents(250, 4);
    const w = writer({ capacity: 100, batchSize: 1_000, flushIntervalMs: 3_600_000 });
    for (const e of events) w.record(e);
    // Before any await: 100 in memory, 150 already on disk.
    expect(w.stats()).toMatchObject({ queued: 100, spooled: 150, dropped: 0 });
    const lines = spoolFiles().flatMap((f) => readFileSync(path.join(spoolDir, f), "utf8").trim().split("\n"));
    expect(lines.map((l) => JSON.parse(l).id)).toEqual(events.slice(100).map((e) => e.id));

    await w.flush();
    await waitFor(() => w.stats().replayed === 150);
    expect(w.stats()).toMatchObject({ written: 100, replayed: 150, queued: 0, dropped: 0 });
    expect(await count()).toBe(250);
    expect(await rollupDifferences()).toEqual([]);
  });

  it("counts events as dropped, logging at most once a second, only when queue and spool both fail; record never throws", async () => {
    const notADir = path.join(spoolDir, "file");
    writeFileSync(notADir, "");
    const messages: string[] = [];
    const w = writer({ spoolDir: path.join(notADir, "spool"), capacity: 10, batchSize: 1_000, flushIntervalMs: 3_600_000, log: (m) => messages.push(m) });
    const events = randomEvents(15, 5);
    for (const e of events) w.record(e);
    expect(() => w.record(null as unknown as UsageEvent)).not.toThrow();
    expect(w.stats()).toMatchObject({ queued: 10, spooled: 0, dropped: 6 });
    expect(w.stats().lastError).toMatch(/ENOTDIR|Cannot read properties of null/);
    expect(messages.filter((m) => m.includes("dropped"))).toHaveLength(1);
    await w.flush();
    expect(await count()).toBe(10);
  });

  it("writes the rest of a batch when the database refuses one row as data, and keeps that row aside", async () => {
    await pool.query(`ALTER TABLE request_log ADD CONSTRAINT test_no_poison CHECK (model <> 'poison')`);
    try {
      const events = randomEvents(50, 6);
      events[17] = { ...events[17]!, model: "poison" };
      const w = writer({ batchSize: 1_000 });
      for (const e of events) w.record(e);
      await w.flush();
      expect(w.stats()).toMatchObject({ written: 49, rejected: 1, spooled: 0, dropped: 0 });
      expect(await count()).toBe(49);
      const [rejected] = spoolFiles("rejected-");
      expect(JSON.parse(readFileSync(path.join(spoolDir, rejected!), "utf8"))).toMatchObject({ id: events[17]!.id, model: "poison" });
      expect(spoolFiles()).toEqual([]);
      expect(await rollupDifferences()).toEqual([]);
    } finally {
      await pool.query(`ALTER TABLE request_log DROP CONSTRAINT test_no_poison`);
    }
  });

  it("stores awkward values (non-UUID ids, NUL, lone surrogates, huge counts, payloads) instead of failing", async () => {
    const w = writer();
    w.record(
      sampleEvent({
        id: "req_not_a_uuid",
        apiKeyId: "env-master-key",
        errorMessage: "nul \u0000 and \ud800",
        inputTokens: 1e15,
        tags: ["a\u0000b", "env:prod"],
        requestBody: { messages: [{ role: "user", content: "hi \u0000" }], api_key: "sk-live-123" },
        responseBody: { id: "x", choices: [] },
      }),
    );
    await w.flush();
    expect(w.stats()).toMatchObject({ written: 1, rejected: 0, spooled: 0 });
    const { rows } = await pool.query(`SELECT error_message, input_tokens, tags, request_body, response_body FROM request_log`);
    expect(rows[0]).toEqual({
      error_message: "nul  and \ufffd",
      input_tokens: 2_147_483_647,
      tags: ["ab", "env:prod"],
      request_body: { messages: [{ role: "user", content: "hi " }], api_key: "[redacted]" },
      response_body: { id: "x", choices: [] },
    });
  });

  it("writes whole batches while traffic flows; a partial batch waits for the flush interval", async () => {
    const w = writer({ batchSize: 100, flushIntervalMs: 2_000 });
    const events = randomEvents(160, 11);
    for (const e of events.slice(0, 100)) w.record(e);
    // The full batch is on its way; these arrive while it is written.
    for (const e of events.slice(100, 130)) w.record(e);
    await waitFor(async () => (await count()) === 100);
    // Not written right after the batch (a small statement costs the database as much as a full one).
    await new Promise((r) => setTimeout(r, 150));
    expect(await count()).toBe(100);
    expect(w.stats().queued).toBe(30);
    // The interval writes what waits, however few.
    await waitFor(async () => (await count()) === 130, 5_000);
    for (const e of events.slice(130)) w.record(e);
    await w.flush();
    expect(await count()).toBe(160);
    expect(await rollupDifferences()).toEqual([]);
  });

  it("close() writes what is queued; events recorded after close go to the spool and into the next writer", async () => {
    const events = randomEvents(31, 7);
    const w = writer({ batchSize: 1_000, flushIntervalMs: 3_600_000 });
    for (const e of events.slice(0, 30)) w.record(e);
    await w.close();
    expect(await count()).toBe(30);
    w.record(events[30]!);
    expect(w.stats().spooled).toBe(1);
    const next = writer();
    await waitFor(() => next.stats().replayed === 1);
    expect(await count()).toBe(31);
  });

  it("ingests at a useful rate (measured, logged, not asserted)", async () => {
    const n = 50_000;
    const events = randomEvents(n, 8, { hours: 24 });
    const w = writer({ batchSize: 500 });
    const t0 = performance.now();
    for (const e of events) w.record(e);
    const t1 = performance.now();
    await w.flush();
    const t2 = performance.now();
    expect(w.stats().written).toBe(n);
    console.log(
      `[ledger] record(): ${(((t1 - t0) * 1000) / n).toFixed(2)} µs/event; ` +
        `ingest of ${n} events in batches of 500: ${(t2 - t0).toFixed(0)} ms = ${Math.round(n / ((t2 - t0) / 1000))} rows/s ` +
        `(rollups included)`,
    );
    expect(await rollupDifferences()).toEqual([]);
  }, 120_000);
});

/** A TCP forwarder that can refuse connections and cut the open ones: "the database went away". */
class TcpProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private constructor(
    private readonly targetPort: number,
    public port: number,
  ) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const p = new TcpProxy(targetPort, 0);
    await p.up();
    return p;
  }

  async up(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, "127.0.0.1");
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("error", () => {});
        s.on("close", () => this.sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  close(): Promise<void> {
    return this.down();
  }
}
