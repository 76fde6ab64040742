import path from "node:path";
import pg from "pg";
import { applyMigrations } from "../../src/server/db/migrate";

/** Where the benchmarks put their own databases: the local PostgreSQL (trust auth), never the app's. */
export const BENCH_ADMIN_URL = process.env.BENCH_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const VOLUME_DATABASE_URL = process.env.VOLUME_DATABASE_URL ?? databaseUrl("switchyard_volume");

const migrationsDir = path.resolve(import.meta.dirname, "..", "..", "prisma", "migrations");

export function databaseUrl(name: string, admin = BENCH_ADMIN_URL): string {
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}

export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`refusing to manage database "${name}": use a plain lower-case name`);
  return name;
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: BENCH_ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Drops (if present) and creates `url`'s database, then applies the project's migrations. */
export async function recreateDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  await migrateDatabase(url);
}

export async function migrateDatabase(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await applyMigrations(c, { migrationsDir })).applied;
  } finally {
    await c.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** `--name value` / `--name=value` / `--flag` arguments. */
export function parseArgs(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) throw new Error(`unexpected argument ${a}`);
    const eq = a.indexOf("=");
    if (eq > 0) out.set(a.slice(2, eq), a.slice(eq + 1));
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("--")) out.set(a.slice(2), argv[++i]!);
    else out.set(a.slice(2), "true");
  }
  return out;
}

/** "10000000", "10_000_000", "10M", "500k". */
export function parseCount(value: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(value.replace(/_/g, ""));
  if (!m) throw new Error(`not a count: ${value}`);
  const n = Number(m[1]) * (m[2] === "" ? 1 : /k/i.test(m[2]!) ? 1e3 : 1e6);
  if (!Number.isSafeInteger(Math.round(n)) || n <= 0) throw new Error(`not a positive count: ${value}`);
  return Math.round(n);
}
