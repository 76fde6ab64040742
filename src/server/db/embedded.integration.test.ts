import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded";
import { applyMigrations, readMigrations } from "./migrate";
import { createPool } from "./pool";
import { createPrisma } from "./prisma";
import { LedgerWriter } from "@/server/ledger/ledger-writer";
import { randomEvents } from "@/server/ledger/test-usage-events";

const migrationsDir = path.join(import.meta.dirname, "../../../prisma/migrations");

describe("embedded PostgreSQL (PGlite over the wire protocol)", () => {
  let root: string;
  let dataDir: string;
  let server: EmbeddedPostgres;
  let pool: pg.Pool;

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "sy-embedded-"));
    dataDir = path.join(root, "pgdata");
    server = await startEmbeddedPostgres(dataDir);
    pool = createPool(server.url, { max: 4 });
    await applyMigrations(pool, { migrationsDir });
    await pool.query("CREATE TABLE t (id INT PRIMARY KEY, v TEXT)");
  });

  afterAll(async () => {
    await pool?.end();
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("applies the migrations (multi-statement files, DO $$ blocks) and records them", async () => {
    const { rows } = await pool.query<{ migration_name: string }>(
      `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual((await readMigrations(migrationsDir)).map((m) => m.name));
    const again = await applyMigrations(pool, { migrationsDir });
    expect(again.applied).toEqual([]);
  });

  it("runs concurrent parameterised queries of different shapes on a pool of 4 without mixing them up", async () => {
    const jobs = Array.from({ length: 300 }, async (_, i) => {
      if (i % 3 === 0) {
        const r = await pool.query<{ x: number; k: string }>("SELECT $1::int + 1 AS x, 'a' AS k", [i]);
        return r.rows[0]?.x === i + 1 && r.rows[0]?.k === "a";
      }
      if (i % 3 === 1) {
        const r = await pool.query<{ y: string; n: number }>("SELECT $1::text || 'z' AS y, $2::int AS n", [String(i), i]);
        return r.rows[0]?.y === `${i}z` && r.rows[0]?.n === i;
      }
      const c = await pool.connect();
      try {
        await c.query("BEGIN");
        await c.query("INSERT INTO t VALUES ($1, $2)", [i, `v${i}`]);
        await c.query(i % 2 === 0 ? "ROLLBACK" : "COMMIT");
        return true;
      } finally {
        c.release();
      }
    });
    const results = await Promise.all(jobs);
    expect(results.every(Boolean)).toBe(true);
    const committed = Array.from({ length: 300 }, (_, i) => i).filter((i) => i % 3 === 2 && i % 2 === 1);
    const { rows } = await pool.query<{ id: number }>("SELECT id FROM t ORDER BY id");
    expect(rows.map((r) => r.id)).toEqual(committed);
  });

  it("keeps another connection's statements out of an open transaction", async () => {
    const a = await pool.connect();
    const b = await pool.connect();
    try {
      await a.query("BEGIN");
      await a.query("INSERT INTO t VALUES (100001, 'from a')");
      // b's insert must wait for a's transaction instead of running inside it.
      const bInsert = b.query("INSERT INTO t VALUES (100002, 'from b')");
      await new Promise((r) => setTimeout(r, 50));
      await a.query("ROLLBACK");
      await bInsert;
      const { rows } = await pool.query<{ id: number }>("SELECT id FROM t WHERE id > 100000 ORDER BY id");
      expect(rows.map((r) => r.id)).toEqual([100002]);
    } finally {
      a.release();
      b.release();
    }
  });

  it("rolls back the transaction of a client that disconnects in the middle of it", async () => {
    const c = new pg.Client({ connectionString: server.url });
    c.on("error", () => {}); // the abrupt close below is the point of the test
    await c.connect();
    await c.query("BEGIN");
    await c.query("INSERT INTO t VALUES (200001, 'abandoned')");
    const gone = new Promise((r) => c.once("end", r));
    (c as unknown as { connection: { stream: net.Socket } }).connection.stream.destroy();
    await gone;
    const { rows } = await pool.query("SELECT 1 FROM t WHERE id = 200001");
    expect(rows).toEqual([]);
    const { rows: tx } = await pool.query<{ n: number }>("SELECT 1 AS n");
    expect(tx[0]?.n).toBe(1);
  });

  it("serves Prisma through the pg adapter", async () => {
    const prisma = createPrisma(pool);
    try {
      const user = await prisma.user.create({
        data: { email: "embedded@example.com", name: "E", passwordHash: "x", role: "admin" },
      });
      expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
      const found = await prisma.user.findUnique({ where: { email: "embedded@example.com" } });
      expect(found?.role).toBe("admin");
    } finally {
      await prisma.$disconnect();
    }
  });

  it("takes ledger batches (unnest insert + rollup upserts) with exact rollups", async () => {
    const events = randomEvents(3_000, 11);
    const w = new LedgerWriter({ pool, spoolDir: path.join(root, "spool"), log: () => {} });
    const t0 = performance.now();
    for (const e of events) w.record(e);
    await w.flush();
    const ms = performance.now() - t0;
    await w.close();
    expect(w.stats()).toMatchObject({ written: 3_000, spooled: 0, dropped: 0 });
    console.log(`[embedded] ledger ingest: ${Math.round(3_000 / (ms / 1000))} rows/s (rollups included)`);
    const { rows } = await pool.query<{ n: string; cost: string; tagged: string }>(
      `SELECT (SELECT sum(requests) FROM usage_hourly)::text AS n, (SELECT sum(cost_nano_usd) FROM usage_hourly)::text AS cost,
              (SELECT sum(requests) FROM usage_hourly_tag WHERE tag = 'env:prod')::text AS tagged`,
    );
    expect(rows[0]).toEqual({
      n: "3000",
      cost: events.reduce((s, e) => s + (e.costNanoUsd ?? 0n), 0n).toString(),
      tagged: String(events.filter((e) => e.tags.includes("env:prod")).length),
    });
  });

  it("refuses a second opener of the same data directory", async () => {
    await expect(startEmbeddedPostgres(dataDir)).rejects.toThrow(/has this data directory open/);
  });

  it("keeps the data across close and reopen of the directory", async () => {
    await pool.query("INSERT INTO t VALUES (300001, 'persisted')");
    await pool.end();
    await server.close();
    server = await startEmbeddedPostgres(dataDir);
    pool = createPool(server.url, { max: 4 });
    const { rows } = await pool.query<{ v: string }>("SELECT v FROM t WHERE id = 300001");
    expect(rows).toEqual([{ v: "persisted" }]);
    const users = await pool.query("SELECT email FROM users");
    expect(users.rows).toEqual([{ email: "embedded@example.com" }]);
  });
});
