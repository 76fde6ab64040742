import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import type { UsageEvent } from "../../src/gateway/usage-event";
import { createPool } from "../../src/server/db/pool";
import type { Queryable } from "../../src/server/db/queryable";
import { toLedgerRow } from "../../src/server/ledger/ledger-row";
import { INSERT_BATCH_SQL, batchParams } from "../../src/server/ledger/ledger-sql";
import { LedgerWriter } from "../../src/server/ledger/ledger-writer";
import { databaseUrl, dropDatabase, parseArgs, recreateDatabase } from "../volume/bench-database";
import { liveEventSource } from "./live-events";

/**
 * npm run bench:ledger [-- --rate 10000 --seconds 8 --batches 100,500,1000,2000 --intervals 50,250,1000]
 *
 * Ledger ingest through the real LedgerWriter into the local PostgreSQL (its own throwaway
 * database, dropped at the end), with live-looking events (bench/ledger/live-events.ts):
 * 1. sustained throughput per batch size: the producer keeps the queue full, the database is the
 *    bottleneck; rows/s committed, with rollups;
 * 2. rollup cost: the same batches as the writer's statement with and without its rollup upserts;
 * 3. time in queue (record() → batch committed) at a fixed offered rate, per batch size and flush
 *    interval: the latency/throughput trade-off.
 */

const args = parseArgs(process.argv.slice(2));
const list = (name: string, dflt: string) => (args.get(name) ?? dflt).split(",").map(Number);
const BATCHES = list("batches", "100,500,1000,2000");
const INTERVALS = list("intervals", "50,250,1000");
const RATE = Number(args.get("rate") ?? 10_000);
const SECONDS = Number(args.get("seconds") ?? 8);
const SATURATION_SECONDS = Number(args.get("saturation-seconds") ?? 10);

const url = databaseUrl(`sy_bench_ledger_${process.pid}`);
// Events are drawn ahead of time and stamped at record(): the benchmark measures the ledger, not
// the event generator (the gateway builds its event anyway).
const drawn = Array.from({ length: 50_000 }, liveEventSource(42));
let drawIndex = 0;
const nextEvent = (): UsageEvent => ({ ...drawn[drawIndex++ % drawn.length]!, id: randomUUID(), createdAt: new Date() });

/** A pool wrapper that reports each ledger batch: its row ids and when it committed. */
function observed(pool: pg.Pool, onCommit: (ids: string[], ms: number, at: number) => void): Queryable {
  return {
    async query(text, params) {
      const t = performance.now();
      const res = await pool.query(text, params);
      if (text === INSERT_BATCH_SQL && params) onCommit(params[0] as string[], performance.now() - t, performance.now());
      return res as never;
    },
  };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pad = (s: string | number, w: number) => String(s).padStart(w);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function reset(pool: pg.Pool): Promise<void> {
  await pool.query("TRUNCATE request_log, usage_hourly, usage_daily, usage_hourly_provider, usage_hourly_tag, usage_daily_tag, conversations");
  await pool.query("VACUUM ANALYZE request_log, usage_hourly, usage_daily, usage_hourly_provider, usage_hourly_tag, usage_daily_tag, conversations");
}

/** 1. The producer keeps ~4 batches queued: throughput is what the database sustains. */
async function saturation(pool: pg.Pool, batchSize: number): Promise<{ rowsPerSec: number; msPerBatch: number; recordUs: number }> {
  await reset(pool);
  const spoolDir = mkdtempSync(path.join(os.tmpdir(), "sy-bench-spool-"));
  const batchMs: number[] = [];
  let committed = 0;
  const w = new LedgerWriter({
    pool: observed(pool, (ids, ms) => {
      batchMs.push(ms);
      committed += ids.length;
    }),
    spoolDir,
    batchSize,
    flushIntervalMs: 250,
    log: (m) => console.warn(m),
  });
  let recordNs = 0n;
  let recorded = 0;
  const target = Math.max(4 * batchSize, 2_000);
  const t0 = performance.now();
  try {
    while (performance.now() - t0 < SATURATION_SECONDS * 1000) {
      while (w.stats().queued < target) {
        const e = nextEvent();
        const s = process.hrtime.bigint();
        w.record(e);
        recordNs += process.hrtime.bigint() - s;
        recorded++;
      }
      // A timer, not setImmediate: a spinning producer would take a core from PostgreSQL.
      await sleep(1);
    }
    const countedAt = performance.now();
    const done = committed;
    await w.close();
    if (w.stats().spooled > 0 || w.stats().dropped > 0) throw new Error(`writer spooled/dropped: ${JSON.stringify(w.stats())}`);
    batchMs.sort((a, b) => a - b);
    return { rowsPerSec: done / ((countedAt - t0) / 1000), msPerBatch: quantile(batchMs, 0.5), recordUs: Number(recordNs / BigInt(recorded)) / 1000 };
  } finally {
    rmSync(spoolDir, { recursive: true, force: true });
  }
}

/** The writer's statement cut after its request_log insert: the same rows without rollups. */
function rawOnlySql(): string {
  const cut = INSERT_BATCH_SQL.indexOf("\nhourly_rows AS (");
  if (cut < 0) throw new Error("INSERT_BATCH_SQL changed shape: cannot derive the raw-only statement");
  return `${INSERT_BATCH_SQL.slice(0, cut).replace(/,\s*$/, "")}\nSELECT (SELECT count(*) FROM ins)::INT AS inserted`;
}

/** 2. Median ms per batch of the same rows, with and without the rollup upserts. */
async function rollupCost(pool: pg.Pool, batchSize: number): Promise<{ full: number; raw: number }> {
  const batches = Math.max(20, Math.ceil(40_000 / batchSize));
  const rows = Array.from({ length: batches }, () => Array.from({ length: batchSize }, () => toLedgerRow(nextEvent())));
  const run = async (sql: string) => {
    await reset(pool);
    const times: number[] = [];
    for (const b of rows) {
      const t = performance.now();
      await pool.query(sql, batchParams(b));
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return quantile(times, 0.5);
  };
  const raw = await run(rawOnlySql());
  const full = await run(INSERT_BATCH_SQL);
  return { full, raw };
}

/** 3. Fixed offered rate: time from record() to the commit of the row's batch. */
async function latency(pool: pg.Pool, batchSize: number, flushMs: number) {
  await reset(pool);
  const spoolDir = mkdtempSync(path.join(os.tmpdir(), "sy-bench-spool-"));
  const recordedAt = new Map<string, number>();
  const waits: number[] = [];
  let lastCommit = 0;
  const w = new LedgerWriter({
    pool: observed(pool, (ids, _ms, at) => {
      for (const id of ids) {
        const t = recordedAt.get(id);
        if (t !== undefined) {
          waits.push(at - t);
          recordedAt.delete(id);
        }
      }
      lastCommit = at;
    }),
    spoolDir,
    batchSize,
    flushIntervalMs: flushMs,
    log: (m) => console.warn(m),
  });
  let produced = 0;
  let maxQueued = 0;
  const total = RATE * SECONDS;
  const t0 = performance.now();
  try {
    while (produced < total) {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * RATE));
      for (; produced < due; produced++) {
        const e: UsageEvent = nextEvent();
        recordedAt.set(e.id, performance.now());
        w.record(e);
      }
      maxQueued = Math.max(maxQueued, w.stats().queued);
      await sleep(5);
    }
    await w.close();
    if (w.stats().spooled > 0 || w.stats().dropped > 0) throw new Error(`writer spooled/dropped: ${JSON.stringify(w.stats())}`);
    waits.sort((a, b) => a - b);
    return {
      achieved: waits.length / ((lastCommit - t0) / 1000),
      p50: quantile(waits, 0.5),
      p99: quantile(waits, 0.99),
      max: waits[waits.length - 1]!,
      maxQueued,
    };
  } finally {
    rmSync(spoolDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await recreateDatabase(url);
  const pool = createPool(url, { max: 10, applicationName: "switchyard-bench-ledger" });
  try {
    const info = await pool.query<{ v: string; sc: string }>(`SELECT version() AS v, current_setting('synchronous_commit') AS sc`);
    console.log(`# Ledger ingest benchmark\n${info.rows[0]!.v.split(",")[0]}, synchronous_commit=${info.rows[0]!.sc}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} at start`);
    console.log(`events: live traffic (20 keys, catalog models, env/feature/team tags, ~1 % errors), created "now"\n`);

    console.log(`## 1. Sustained throughput (queue kept full for ${SATURATION_SECONDS} s; rollups included)`);
    console.log(`${pad("batch", 6)} ${pad("rows/s", 9)} ${pad("ms/batch p50", 13)} ${pad("record() µs", 12)}`);
    for (const b of BATCHES) {
      const r = await saturation(pool, b);
      console.log(`${pad(b, 6)} ${pad(fmt(r.rowsPerSec), 9)} ${pad(fmt(r.msPerBatch, 1), 13)} ${pad(fmt(r.recordUs, 1), 12)}`);
    }

    console.log(`\n## 2. Rollup cost (same rows, writer statement with vs. without its rollup upserts; median per batch)`);
    console.log(`${pad("batch", 6)} ${pad("full ms", 8)} ${pad("raw ms", 8)} ${pad("rollups ms", 11)} ${pad("share", 6)} ${pad("µs/row rollup", 14)}`);
    for (const b of BATCHES) {
      const r = await rollupCost(pool, b);
      console.log(
        `${pad(b, 6)} ${pad(fmt(r.full, 1), 8)} ${pad(fmt(r.raw, 1), 8)} ${pad(fmt(r.full - r.raw, 1), 11)} ${pad(`${fmt((100 * (r.full - r.raw)) / r.full)} %`, 6)} ${pad(fmt((1000 * (r.full - r.raw)) / b, 1), 14)}`,
      );
    }

    console.log(`\n## 3. Time in queue (record() → commit) at ${fmt(RATE)} rows/s offered for ${SECONDS} s`);
    console.log(`${pad("batch", 6)} ${pad("flush ms", 9)} ${pad("achieved/s", 11)} ${pad("p50 ms", 8)} ${pad("p99 ms", 8)} ${pad("max ms", 8)} ${pad("max queued", 11)}`);
    for (const b of BATCHES) {
      for (const f of INTERVALS) {
        const r = await latency(pool, b, f);
        console.log(
          `${pad(b, 6)} ${pad(f, 9)} ${pad(fmt(r.achieved), 11)} ${pad(fmt(r.p50, 1), 8)} ${pad(fmt(r.p99, 1), 8)} ${pad(fmt(r.max, 1), 8)} ${pad(fmt(r.maxQueued), 11)}`,
        );
      }
    }
  } finally {
    await pool.end();
    await dropDatabase(url);
  }
}

await main();
