import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/**
 * Applies prisma/migrations/<name>/migration.sql without Prisma's schema-engine binary (which cannot
 * be downloaded offline), bookkeeping in `_prisma_migrations` exactly as `prisma migrate deploy`
 * does, so either tool can take over from the other:
 * - same lock: session advisory lock 72707369, the key Prisma's schema engine takes;
 * - same row: id (uuid), checksum (sha256 hex of the file), started_at, finished_at,
 *   migration_name, logs, rolled_back_at, applied_steps_count (1 per applied script).
 * Differences, both on the safe side: each file runs in ONE transaction (Prisma runs it without
 * one), so a failure leaves nothing half-applied; the failed attempt is then recorded with
 * rolled_back_at set, which both tools treat as "not applied, retry". A row Prisma left failed
 * (finished_at and rolled_back_at NULL) blocks us like it blocks Prisma (its error P3009).
 */

/** A single connection (pg.Client, PoolClient) or a pg.Pool, from which one connection is taken. */
export interface MigrationClient {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}
interface PoolLike extends MigrationClient {
  connect(): Promise<MigrationClient & { release(err?: Error | boolean): void }>;
}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface ApplyMigrationsOptions {
  /** Defaults to `<cwd>/prisma/migrations`. */
  migrationsDir?: string;
  log?: (message: string) => void;
}

export interface ApplyMigrationsResult {
  /** Names applied by this call, in order. */
  applied: string[];
  /** Names that were already applied. */
  alreadyApplied: string[];
  /** Applied in the database but absent from the directory (a newer release ran here). */
  unknownApplied: string[];
}

export class MigrationError extends Error {
  override readonly name = "MigrationError";
}

/** Prisma's schema engine takes this advisory lock around `migrate deploy`. */
export const PRISMA_MIGRATION_LOCK_KEY = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export function migrationChecksum(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}

/** Prisma accepts a checksum taken with either line ending (a checkout on Windows rewrites them). */
function checksumMatches(sql: string, recorded: string): boolean {
  if (migrationChecksum(sql) === recorded) return true;
  const lf = sql.replace(/\r\n/g, "\n");
  return migrationChecksum(lf) === recorded || migrationChecksum(lf.replace(/\n/g, "\r\n")) === recorded;
}

export function defaultMigrationsDir(): string {
  return path.join(process.cwd(), "prisma", "migrations");
}

/** The migration directories in apply order (Prisma sorts them by name). */
export async function readMigrations(dir: string = defaultMigrationsDir()): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    let sql: string;
    try {
      sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") continue; // Prisma skips such folders too
      throw err;
    }
    files.push({ name, sql, checksum: migrationChecksum(sql) });
  }
  return files;
}

interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

function isPool(client: MigrationClient): client is PoolLike {
  // A pool would run each statement on whichever connection is free, splitting the lock and the
  // transactions across sessions; check one connection out instead.
  return typeof (client as Partial<PoolLike>).connect === "function" && "totalCount" in client;
}

export async function applyMigrations(
  client: MigrationClient,
  options: ApplyMigrationsOptions = {},
): Promise<ApplyMigrationsResult> {
  if (isPool(client)) {
    const conn = await client.connect();
    try {
      return await applyMigrations(conn, options);
    } finally {
      conn.release();
    }
  }
  const log = options.log ?? (() => {});
  const migrations = await readMigrations(options.migrationsDir ?? defaultMigrationsDir());

  await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATION_LOCK_KEY]);
  try {
    await client.query(CREATE_MIGRATIONS_TABLE);
    const rows = await appliedRows(client);

    const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed) {
      throw new MigrationError(
        `Migration ${failed.migration_name} failed earlier and was not rolled back. Repair the database, then run ` +
          `\`prisma migrate resolve --rolled-back ${failed.migration_name}\` (or --applied) before migrating again.`,
      );
    }

    const done = new Map<string, MigrationRow>();
    for (const r of rows) if (r.finished_at !== null && r.rolled_back_at === null) done.set(r.migration_name, r);

    const changed = migrations.filter((m) => {
      const row = done.get(m.name);
      return row !== undefined && !checksumMatches(m.sql, row.checksum);
    });
    if (changed.length > 0) {
      throw new MigrationError(
        `Refusing to migrate: already applied migration(s) were modified after they ran: ${changed
          .map((m) => `${m.name} (database ${done.get(m.name)?.checksum}, file ${m.checksum})`)
          .join(", ")}. Restore the original files and add a new migration instead.`,
      );
    }

    const result: ApplyMigrationsResult = {
      applied: [],
      alreadyApplied: migrations.filter((m) => done.has(m.name)).map((m) => m.name),
      unknownApplied: [...done.keys()].filter((n) => !migrations.some((m) => m.name === n)),
    };
    for (const name of result.unknownApplied) log(`migration ${name} is applied but not in the migrations directory`);

    for (const m of migrations) {
      if (done.has(m.name)) continue;
      if (await applyOne(client, m)) {
        result.applied.push(m.name);
        log(`applied migration ${m.name}`);
      } else {
        result.alreadyApplied.push(m.name);
      }
    }
    return result;
  } finally {
    // If the connection broke, the session and its lock are gone anyway; keep the original error.
    await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATION_LOCK_KEY]).catch(() => {});
  }
}

async function appliedRows(client: MigrationClient): Promise<MigrationRow[]> {
  const res = await client.query(
    `SELECT id, checksum, migration_name, finished_at, rolled_back_at
       FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  );
  return res.rows as MigrationRow[];
}

/** Returns false when another migrator committed the same migration meanwhile. */
async function applyOne(client: MigrationClient, m: MigrationFile): Promise<boolean> {
  const id = randomUUID();
  await client.query("BEGIN");
  try {
    // Re-checked inside the transaction: on the embedded server all connections share one session,
    // so the advisory lock does not exclude a second migrator there; transactions still serialise.
    const again = await client.query(
      `SELECT 1 FROM "_prisma_migrations"
        WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      [m.name],
    );
    if (again.rows.length > 0) {
      await client.query("ROLLBACK");
      return false;
    }
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 0)`,
      [id, m.checksum, m.name],
    );
    // One simple-protocol query: the whole file, DO $$ … $$ blocks included, as psql would send it.
    await client.query(m.sql);
    await client.query(
      `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    await client.query("COMMIT");
    return true;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    const message = err instanceof Error ? err.message : String(err);
    // Keep a trace of the attempt, marked rolled back so that neither tool treats it as blocking.
    await client
      .query(
        `INSERT INTO "_prisma_migrations"
           (id, checksum, migration_name, logs, started_at, rolled_back_at, applied_steps_count)
         VALUES ($1, $2, $3, $4, now(), now(), 0)`,
        [randomUUID(), m.checksum, m.name, message],
      )
      .catch(() => {});
    throw new MigrationError(`Migration ${m.name} failed and was rolled back: ${message}`, { cause: err });
  }
}
