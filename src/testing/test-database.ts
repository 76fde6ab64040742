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

/** A throwaway, migrated database on the real PostgreSQL server. */
export async function createTestDatabase(prefix = "sy_it"): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await applyMigrations(client, { migrationsDir: path.join(projectRoot, "prisma", "migrations") });
  } finally {
    await client.end();
  }
  return {
    url,
    name,
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
