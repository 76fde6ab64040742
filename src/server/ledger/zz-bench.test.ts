import { test } from "vitest";
import pg from "pg";
import { createTestDatabase } from "@/testing/test-database";
import { INSERT_BATCH_SQL, batchParams } from "./ledger-sql";
import { toLedgerRow } from "./ledger-row";
import { randomEvents } from "./test-usage-events";

test("bench", async () => {
  const db = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  try {
    const rows = randomEvents(20000, 9, { hours: 24 }).map(toLedgerRow);
    const variants: Record<string, string> = {
      full: INSERT_BATCH_SQL,
      rawOnly: INSERT_BATCH_SQL.replace(/,\nhourly AS[\s\S]*RETURNING 1\n\)\n/, "\n"),
      noTag: INSERT_BATCH_SQL.replace(/hourly_tag AS \([\s\S]*?RETURNING 1\n\),\n/, ""),
      noHist: INSERT_BATCH_SQL.split('"ledger_hist_sum"("ledger_latency_hist_one"(latency_ms))').join("ARRAY[]::int[]"),
      noConv: INSERT_BATCH_SQL.replace(/,\nconversation_tags AS[\s\S]*RETURNING 1\n\)\n/, "\n"),
    };
    for (const [name, sql] of Object.entries(variants)) {
      await pool.query("TRUNCATE request_log, usage_hourly, usage_hourly_tag, conversations");
      const t0 = performance.now();
      for (let i = 0; i < rows.length; i += 500) await pool.query(sql, batchParams(rows.slice(i, i + 500)));
      const t = performance.now() - t0;
      console.log(name, Math.round(rows.length / (t / 1000)), "rows/s");
    }
    // params building cost
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += 500) batchParams(rows.slice(i, i + 500));
    console.log("batchParams ms total", performance.now() - t0);
    return;
    const ex = await pool.query("EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) " + INSERT_BATCH_SQL, batchParams(rows.slice(0, 500)));
    console.log(ex.rows.map((r) => r["QUERY PLAN"]).join("\n"));
  } finally { await pool.end(); await db.drop(); }
}, 120000);
