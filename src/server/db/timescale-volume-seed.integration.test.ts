import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UsageEvent } from "@/gateway/usage-event";
import { modelCatalog } from "@/gateway/routing/model-catalog";
import { LedgerWriter } from "@/server/ledger/ledger-writer";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";
import { startTimescaleServer, type TimescaleServer } from "@/testing/timescale/timescale-server";
import { rollupDifferencesSql } from "../../../bench/volume/rollup-sql";
import { UNPRICED_MODEL } from "../../../bench/volume/volume-profile";
import { seedVolume } from "../../../bench/volume/volume-seeder";
import { applyMigrations } from "./migrate";
import { createPool } from "./pool";

/**
 * The volume seeder (scripts/seed-volume.ts) builds request_log in SQL and the rollups with its own
 * set-based SQL (bench/volume/rollup-sql.ts). Benchmarks over its output only mean something if
 * those rollups are exactly what the LedgerWriter would have maintained: checked here by seeding,
 * then writing the very same rows through the LedgerWriter into an emptied ledger and comparing
 * every table, on plain PostgreSQL and on TimescaleDB.
 */

const HOUR_MS = 3_600_000;
const END = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS);
const migrationsDir = path.resolve(import.meta.dirname, "..", "..", "..", "prisma", "migrations");

interface Backend {
  pool: pg.Pool;
  /** Parallel seeding connections the backend supports. */
  workers: number;
  close(): Promise<void>;
}

async function postgres(): Promise<Backend> {
  const db: TestDatabase = await createTestDatabase("sy_seed");
  const pool = createPool(db.url, { max: 3 });
  return { pool, workers: 2, close: async () => (await pool.end(), await db.drop()) };
}

async function timescale(): Promise<Backend> {
  const server: TimescaleServer = await startTimescaleServer();
  const pool = createPool(server.url, { max: 1 });
  await applyMigrations(pool, { migrationsDir });
  return { pool, workers: 1, close: async () => (await pool.end(), await server.close()) };
}

type Row = Record<string, unknown>;

async function tables(pool: pg.Pool): Promise<Record<string, Row[]>> {
  const order: Record<string, string> = {
    request_log: "created_at, id",
    usage_hourly: "bucket, api_key_id, provider, model, status, tags_key",
    usage_hourly_provider: "bucket, provider, status",
    usage_hourly_tag: "bucket, tag, provider, model",
    conversations: "conversation_id",
  };
  const out: Record<string, Row[]> = {};
  for (const [t, by] of Object.entries(order)) out[t] = (await pool.query(`SELECT * FROM ${t} ORDER BY ${by}`)).rows;
  return out;
}

function toEvent(r: Row): UsageEvent {
  return {
    id: r.id as string,
    createdAt: r.created_at as Date,
    endpoint: r.endpoint as UsageEvent["endpoint"],
    apiKeyId: r.api_key_id as string | null,
    provider: r.provider as UsageEvent["provider"],
    model: r.model as string,
    status: r.status as UsageEvent["status"],
    httpStatus: r.http_status as number,
    errorCode: r.error_code as string | null,
    errorMessage: r.error_message as string | null,
    upstreamStatus: r.upstream_status as number | null,
    streamed: r.streamed as boolean,
    byok: r.byok as boolean,
    inputTokens: r.input_tokens as number,
    cachedInputTokens: r.cached_input_tokens as number,
    cacheWriteTokens: r.cache_write_tokens as number,
    outputTokens: r.output_tokens as number,
    reasoningTokens: r.reasoning_tokens as number,
    costNanoUsd: r.cost_nano_usd === null ? null : BigInt(r.cost_nano_usd as string),
    priceVersion: r.price_version as string | null,
    pricingStatus: r.pricing_status as UsageEvent["pricingStatus"],
    latencyMs: r.latency_ms as number,
    ttftMs: r.ttft_ms as number | null,
    tags: r.tags as string[],
    conversationId: r.conversation_id as string | null,
    requestId: r.request_id as string,
    traceId: r.trace_id as string | null,
  };
}

/** Deterministic shuffle, so batches mix hours and conversations as live traffic would. */
function shuffled<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe.each([
  ["PostgreSQL", postgres],
  ["TimescaleDB", timescale],
] as Array<[string, () => Promise<Backend>]>)("volume seeder on %s", (_, open) => {
  let b: Backend;

  beforeAll(async () => {
    b = await open();
  });
  afterAll(async () => {
    await b?.close();
  });

  it("builds exactly the rows' rollups that the LedgerWriter builds for the same rows", async () => {
    await b.pool.query("TRUNCATE request_log, usage_hourly, usage_daily, usage_hourly_provider, usage_hourly_tag, usage_daily_tag, conversations");
    await seedVolume(b.pool, { rows: 4_000, days: 3, end: END, workers: b.workers });
    const seeded = await tables(b.pool);
    expect(seeded.request_log).toHaveLength(4_000);
    // Enough variety that the comparison means something.
    expect(seeded.usage_hourly!.length).toBeGreaterThan(500);
    expect(seeded.usage_hourly_tag!.length).toBeGreaterThan(500);
    expect(seeded.conversations!.filter((c) => Number(c.requests) > 1).length).toBeGreaterThan(20);
    expect(new Set(seeded.request_log!.map((r) => r.status))).toEqual(new Set(["success", "error", "cancelled"]));

    const events = shuffled(seeded.request_log!.map(toEvent), 7);
    await b.pool.query("TRUNCATE request_log, usage_hourly, usage_daily, usage_hourly_provider, usage_hourly_tag, usage_daily_tag, conversations");
    const spoolDir = mkdtempSync(path.join(os.tmpdir(), "sy-seed-spool-"));
    const writer = new LedgerWriter({ pool: b.pool, spoolDir, batchSize: 333, capacity: 10_000, flushIntervalMs: 60_000, log: () => {} });
    try {
      for (const e of events) writer.record(e);
      await writer.close();
      expect(writer.stats()).toMatchObject({ written: 4_000, spooled: 0, rejected: 0, dropped: 0 });
    } finally {
      rmSync(spoolDir, { recursive: true, force: true });
    }
    const written = await tables(b.pool);
    for (const t of Object.keys(seeded)) expect(written[t], t).toEqual(seeded[t]);
  });

  it("the rollup diff used by the checks catches a single wrong histogram count or conversation tag", async () => {
    expect((await b.pool.query(rollupDifferencesSql())).rows).toEqual([]);
    await b.pool.query(
      `UPDATE usage_hourly SET latency_hist[5] = latency_hist[5] + 1
        WHERE (bucket, api_key_id, provider, model, status, tags_key) = (SELECT bucket, api_key_id, provider, model, status, tags_key FROM usage_hourly LIMIT 1)`,
    );
    await b.pool.query(`UPDATE conversations SET tags = tags || 'x'::text WHERE conversation_id = (SELECT min(conversation_id) FROM conversations)`);
    const diff = (await b.pool.query<{ side: string; rollup: string }>(rollupDifferencesSql())).rows;
    expect(diff.map((d) => `${d.rollup}: ${d.side}`).sort()).toEqual([
      "conversations: only in rebuild",
      "conversations: only in stored",
      "usage_hourly: only in rebuild",
      "usage_hourly: only in stored",
    ]);
  });
});

describe("volume seeder data shape", () => {
  let b: Backend;
  beforeAll(async () => {
    b = await postgres();
    await seedVolume(b.pool, { rows: 60_000, days: 90, end: END, workers: 2 });
  }, 120_000);
  afterAll(async () => {
    await b?.close();
  });

  it("spreads 20 keys, every catalog model, tags, ~1 % errors and 1–30-turn conversations over 90 days", async () => {
    const q = async <T extends Row>(sql: string) => (await b.pool.query<T>(sql)).rows;
    const [shape] = await q<{ n: string; keys: string; days: string; errors: string; first: Date; last: Date }>(
      `SELECT count(*) AS n, count(DISTINCT api_key_id) AS keys, count(DISTINCT date_trunc('day', created_at)) AS days,
              avg((status = 'error')::int) AS errors, min(created_at) AS first, max(created_at) AS last FROM request_log`,
    );
    expect(Number(shape!.n)).toBe(60_000);
    expect(Number(shape!.keys)).toBe(20);
    expect(Number(shape!.days)).toBeGreaterThanOrEqual(90);
    expect(Number(shape!.errors)).toBeGreaterThan(0.005);
    expect(Number(shape!.errors)).toBeLessThan(0.02);
    expect(shape!.first.getTime()).toBeGreaterThanOrEqual(END.getTime() - 90 * 86_400_000);
    expect(shape!.last.getTime()).toBeLessThan(END.getTime());

    const models = (await q<{ model: string }>(`SELECT DISTINCT model FROM request_log`)).map((r) => r.model).sort();
    expect(models).toEqual([...modelCatalog.map((m) => m.id), UNPRICED_MODEL].sort());
    // Skewed: the busiest model carries far more than an even share.
    const [top] = await q<{ share: string }>(`SELECT max(n)::float / sum(n) AS share FROM (SELECT count(*) AS n FROM request_log GROUP BY model) t`);
    expect(Number(top!.share)).toBeGreaterThan(3 / models.length);

    const tagKeys = await q<{ k: string }>(`SELECT DISTINCT split_part(t, ':', 1) AS k FROM request_log, unnest(tags) t WHERE t LIKE '%:%' ORDER BY 1`);
    expect(tagKeys.map((r) => r.k)).toEqual(["env", "feature", "team"]);

    const [conv] = await q<{ min: string; max: string; n: string }>(`SELECT min(requests) AS min, max(requests) AS max, count(*) AS n FROM conversations`);
    expect(Number(conv!.min)).toBe(1);
    expect(Number(conv!.max)).toBe(30);
    expect(Number(conv!.n)).toBeGreaterThan(1_000);

    // Priced rows carry an exact cost; the fine-tune is unpriced.
    const [pricing] = await q<{ unpriced_wrong: string; priced_null: string }>(
      `SELECT count(*) FILTER (WHERE model = '${UNPRICED_MODEL}' AND status <> 'error' AND cost_nano_usd IS NOT NULL) AS unpriced_wrong,
              count(*) FILTER (WHERE pricing_status = 'priced' AND cost_nano_usd IS NULL) AS priced_null FROM request_log`,
    );
    expect(pricing).toEqual({ unpriced_wrong: "0", priced_null: "0" });
    expect((await b.pool.query(rollupDifferencesSql())).rows).toEqual([]);
  });
});
