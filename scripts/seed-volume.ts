import pg from "pg";
import { parseArgs, parseCount, recreateDatabase, migrateDatabase, VOLUME_DATABASE_URL } from "../bench/volume/bench-database";
import { seedVolume } from "../bench/volume/volume-seeder";

/**
 * npm run seed:volume -- --rows 10000000 [--days 90] [--workers 2] [--database-url URL] [--append]
 *
 * Fills a ledger with a realistic spread of requests (bench/volume/volume-profile.ts) for the
 * dashboard query benchmark (`npm run bench:queries`). By default it (re)creates its own database
 * `switchyard_volume` on the local PostgreSQL (VOLUME_DATABASE_URL overrides); with
 * --database-url it migrates and seeds that database instead, recreating it only with --fresh.
 */
const args = parseArgs(process.argv.slice(2));
const rows = parseCount(args.get("rows") ?? "1000000");
const days = Number(args.get("days") ?? 90);
const workers = Number(args.get("workers") ?? 2);
const url = args.get("database-url") ?? VOLUME_DATABASE_URL;
const fresh = args.has("fresh") || (!args.has("database-url") && !args.has("append"));

const t0 = performance.now();
if (fresh) {
  console.log(`[seed] recreating ${new URL(url).pathname.slice(1)} and applying migrations`);
  await recreateDatabase(url);
} else {
  await migrateDatabase(url);
}
const pool = new pg.Pool({ connectionString: url, max: workers + 1 });
try {
  console.log(`[seed] ${rows.toLocaleString("en-US")} rows over ${days} days, ${workers} worker(s)`);
  const r = await seedVolume(pool, { rows, days, workers, log: (m) => console.log(`[seed] ${m}`) });
  const sizes = await pool.query<{ t: string; rows: string; size: string }>(
    `SELECT c.relname AS t, c.reltuples::bigint::text AS rows, pg_size_pretty(pg_total_relation_size(c.oid)) AS size
       FROM pg_class c WHERE c.relname IN ('request_log', 'usage_hourly', 'usage_daily', 'usage_hourly_provider', 'usage_hourly_tag', 'usage_daily_tag', 'conversations') ORDER BY 1`,
  );
  for (const s of sizes.rows) console.log(`[seed] ${s.t.padEnd(17)} ${Number(s.rows).toLocaleString("en-US").padStart(12)} rows  ${s.size}`);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `[seed] done: ${r.from.toISOString()} .. ${r.to.toISOString()}; load ${s(r.loadMs)} (${Math.round(rows / (r.loadMs / 1000)).toLocaleString("en-US")} rows/s incl. rollups), ` +
      `indexes ${s(r.indexMs)}, vacuum/analyze ${s(r.analyzeMs)}, total ${s(performance.now() - t0)}`,
  );
} finally {
  await pool.end();
}
