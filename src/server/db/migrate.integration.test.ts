import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createEmptyDatabase } from "@/testing/test-database";
import { applyMigrations, MigrationError } from "./migrate";

const migrationsDir = path.join(import.meta.dirname, "../../../prisma/migrations");
const INIT = "20261204000000_init";
const TIMESCALE = "20261204000100_timescaledb";
const ID_INDEX = "20261204000200_request_log_id_index";
const MODEL_INDEXES = "20261204000300_request_log_model_conversation_models_indexes";
const USAGE_DAILY = "20261204000400_usage_daily";
const USAGE_DAILY_TAG = "20261204000500_usage_daily_tag";
const USAGE_HOURLY_PROVIDER = "20261204000600_usage_hourly_provider";
const ALL = [INIT, TIMESCALE, ID_INDEX, MODEL_INDEXES, USAGE_DAILY, USAGE_DAILY_TAG, USAGE_HOURLY_PROVIDER];

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** An empty database (no migrations), dropped after the test. */
async function emptyDatabase(): Promise<string> {
  const db = await createEmptyDatabase("sy_migrate");
  cleanups.push(() => db.drop());
  return db.url;
}

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  cleanups.push(() => c.end());
  return c;
}

function copyOfMigrations(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "sy-migrations-"));
  cpSync(migrationsDir, dir, { recursive: true });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

async function migrationRows(c: pg.Client): Promise<MigrationRow[]> {
  return (await c.query<MigrationRow>(`SELECT * FROM _prisma_migrations ORDER BY started_at, migration_name`)).rows;
}

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

describe("applyMigrations on PostgreSQL", () => {
  it("creates the schema from scratch and records each migration the way Prisma does", async () => {
    const c = await connect(await emptyDatabase());
    const result = await applyMigrations(c, { migrationsDir });
    expect(result.applied).toEqual(ALL);

    const rows = await migrationRows(c);
    expect(rows.map((r) => r.migration_name)).toEqual(ALL);
    for (const r of rows) {
      expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(r.checksum).toBe(sha256(path.join(migrationsDir, r.migration_name, "migration.sql")));
      expect(r.finished_at).toBeInstanceOf(Date);
      expect(r.finished_at!.getTime()).toBeGreaterThanOrEqual(r.started_at.getTime());
      expect(r.rolled_back_at).toBeNull();
      expect(r.logs).toBeNull();
      expect(r.applied_steps_count).toBe(1);
    }
    // The bookkeeping table has Prisma's exact shape.
    const cols = await c.query<{ column_name: string; data_type: string; is_nullable: string }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(cols.rows.map((r) => `${r.column_name} ${r.data_type} ${r.is_nullable}`)).toEqual([
      "id character varying NO",
      "checksum character varying NO",
      "finished_at timestamp with time zone YES",
      "migration_name character varying NO",
      "logs text YES",
      "rolled_back_at timestamp with time zone YES",
      "started_at timestamp with time zone NO",
      "applied_steps_count integer NO",
    ]);

    const tables = await c.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual([
      "_prisma_migrations",
      "api_keys",
      "conversations",
      "provider_keys",
      "request_log",
      "settings",
      "usage_daily",
      "usage_daily_tag",
      "usage_hourly",
      "usage_hourly_provider",
      "usage_hourly_tag",
      "users",
    ]);
  });

  it("is idempotent: a second run applies nothing and changes no row", async () => {
    const c = await connect(await emptyDatabase());
    await applyMigrations(c, { migrationsDir });
    const before = await migrationRows(c);
    const again = await applyMigrations(c, { migrationsDir });
    expect(again).toEqual({ applied: [], alreadyApplied: ALL, unknownApplied: [] });
    expect(await migrationRows(c)).toEqual(before);
  });

  it("leaves plain PostgreSQL plain: the TimescaleDB migration is recorded but changes nothing", async () => {
    const c = await connect(await emptyDatabase());
    await applyMigrations(c, { migrationsDir });
    const ext = await c.query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`);
    expect(ext.rows).toEqual([]);
    const kind = await c.query<{ relkind: string }>(`SELECT relkind FROM pg_class WHERE relname = 'request_log'`);
    expect(kind.rows).toEqual([{ relkind: "r" }]);
    const inherits = await c.query(`SELECT 1 FROM pg_inherits WHERE inhparent = 'request_log'::regclass`);
    expect(inherits.rows).toEqual([]);
  });

  it("refuses to run when an applied migration file was modified", async () => {
    const dir = copyOfMigrations();
    const c = await connect(await emptyDatabase());
    await applyMigrations(c, { migrationsDir: dir });
    appendFileSync(path.join(dir, INIT, "migration.sql"), "\n-- edited after the fact\n");
    await expect(applyMigrations(c, { migrationsDir: dir })).rejects.toThrow(MigrationError);
    await expect(applyMigrations(c, { migrationsDir: dir })).rejects.toThrow(/20261204000000_init .*modified|modified.*20261204000000_init/);
  });

  it("accepts a file whose only change is CRLF line endings, as Prisma does", async () => {
    const dir = copyOfMigrations();
    const c = await connect(await emptyDatabase());
    await applyMigrations(c, { migrationsDir: dir });
    const file = path.join(dir, INIT, "migration.sql");
    writeFileSync(file, readFileSync(file, "utf8").replace(/\n/g, "\r\n"));
    await expect(applyMigrations(c, { migrationsDir: dir })).resolves.toMatchObject({ applied: [] });
  });

  it("applies only the new migration, and rolls a failing one back completely, recording the attempt", async () => {
    const dir = copyOfMigrations();
    const c = await connect(await emptyDatabase());
    await applyMigrations(c, { migrationsDir: dir });

    const next = "20261205000000_add_note";
    mkdirSync(path.join(dir, next));
    // Creates a table, then fails: nothing of it may remain.
    writeFileSync(path.join(dir, next, "migration.sql"), `CREATE TABLE note (id INT);\nSELECT 1/0;\n`);
    await expect(applyMigrations(c, { migrationsDir: dir })).rejects.toThrow(/add_note failed and was rolled back: division by zero/);
    expect((await c.query(`SELECT to_regclass('note') AS t`)).rows).toEqual([{ t: null }]);
    const failed = (await migrationRows(c)).filter((r) => r.migration_name === next);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.rolled_back_at).toBeInstanceOf(Date);
    expect(failed[0]?.finished_at).toBeNull();
    expect(failed[0]?.logs).toMatch(/division by zero/);

    // Fixed file: applied on the next run, the rolled-back attempt does not block it.
    writeFileSync(path.join(dir, next, "migration.sql"), `CREATE TABLE note (id INT);\nDO $$ BEGIN INSERT INTO note VALUES (1); END $$;\n`);
    const result = await applyMigrations(c, { migrationsDir: dir });
    expect(result.applied).toEqual([next]);
    expect((await c.query(`SELECT id FROM note`)).rows).toEqual([{ id: 1 }]);
  });

  it("refuses to continue after a failed migration left by Prisma (finished_at and rolled_back_at NULL)", async () => {
    const dir = copyOfMigrations();
    const c = await connect(await emptyDatabase());
    await applyMigrations(c, { migrationsDir: dir });
    await c.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, started_at, applied_steps_count)
       VALUES (gen_random_uuid()::text, repeat('0', 64), '20261206000000_broken', 'boom', now(), 0)`,
    );
    await expect(applyMigrations(c, { migrationsDir: dir })).rejects.toThrow(/20261206000000_broken failed earlier/);
  });

  it("lets concurrent migrators apply each migration exactly once (advisory lock)", async () => {
    const url = await emptyDatabase();
    const clients = await Promise.all([connect(url), connect(url), connect(url)]);
    const results = await Promise.all(clients.map((c) => applyMigrations(c, { migrationsDir })));
    expect(results.flatMap((r) => r.applied).sort()).toEqual(ALL);
    const rows = await migrationRows(clients[0]!);
    expect(rows.map((r) => r.migration_name)).toEqual(ALL);
  });

  it("accepts a pool, running everything on one connection checked out of it", async () => {
    const pool = new pg.Pool({ connectionString: await emptyDatabase(), max: 3 });
    cleanups.push(() => pool.end());
    const result = await applyMigrations(pool, { migrationsDir });
    expect(result.applied).toEqual(ALL);
    expect(pool.totalCount).toBe(1);
    expect(pool.idleCount).toBe(1); // released again
  });
});
