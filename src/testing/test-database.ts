import { randomBytes } from "node:crypto";
import pg from "pg";
import { applyMigrations } from "../server/db/migrate";
import path from "node:path";
import { projectRoot } from "./build-once";

export const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A throwaway, empty database on the real PostgreSQL server. */
export async function createEmptyDatabase(prefix = "sy_it"): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      // Let clients that are still closing finish first: terminating them mid-close (FORCE) makes
      // their pool emit an error nobody listens to any more. FORCE only for what is left after 5 s.
      for (let i = 0; i < 50; i++) {
        const open = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [name]);
        if (open.rows[0]!.n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A throwaway, migrated database on the real PostgreSQL server. */
export async function createTestDatabase(prefix = "sy_it"): Promise<TestDatabase> {
  const db = await createEmptyDatabase(prefix);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await applyMigrations(client, { migrationsDir: path.join(projectRoot, "prisma", "migrations") });
  } finally {
    await client.end();
  }
  return db;
}
