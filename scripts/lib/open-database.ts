import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../../src/server/db/embedded";
import { applyMigrations } from "../../src/server/db/migrate";

export interface OpenDatabase {
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

const infoFile = (dataDir: string) => path.join(dataDir, "embedded.json");

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * `DATABASE_URL` when set; otherwise the embedded PGlite database in `dataDir`. PGlite allows one
 * process per directory, so when `npm start` already serves it, scripts connect to that server.
 */
export async function openDatabase(opts: { dataDir: string; databaseUrl?: string; serve?: boolean; port?: number }): Promise<OpenDatabase> {
  if (opts.databaseUrl) return { url: opts.databaseUrl, embedded: false, close: async () => {} };
  const file = infoFile(opts.dataDir);
  if (existsSync(file)) {
    const info = JSON.parse(readFileSync(file, "utf8")) as { url: string; pid: number };
    if (processAlive(info.pid) && info.pid !== process.pid) return { url: info.url, embedded: true, close: async () => {} };
    rmSync(file, { force: true });
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const db = await startEmbeddedPostgres(path.join(opts.dataDir, "pglite"), opts.port === undefined ? undefined : { port: opts.port });
  if (opts.serve) writeFileSync(file, JSON.stringify({ url: db.url, pid: process.pid }) + "\n");
  return {
    url: db.url,
    embedded: true,
    async close() {
      if (opts.serve) rmSync(file, { force: true });
      await db.close();
    },
  };
}

const migrationsDir = path.resolve(import.meta.dirname, "..", "..", "prisma", "migrations");

export async function migrate(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await applyMigrations(client, { migrationsDir })).applied;
  } finally {
    await client.end();
  }
}
