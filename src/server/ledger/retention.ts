import type { Queryable } from "@/server/db/queryable";

export interface RetentionResult {
  mode: "off" | "delete" | "timescale-policy";
  deletedRows: number;
}

async function isHypertable(db: Queryable): Promise<boolean> {
  const res = await db.query<{ h: boolean }>(
    `SELECT to_regclass('timescaledb_information.hypertables') IS NOT NULL AS h`,
  );
  if (!res.rows[0]?.h) return false;
  const ht = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM timescaledb_information.hypertables WHERE hypertable_name = 'request_log'`,
  );
  return (ht.rows[0]?.n ?? 0) > 0;
}

/**
 * Applies the ledger retention setting to the raw `request_log` (rollups are kept forever, so the
 * dashboard's history survives). 0 = keep raw rows; on TimescaleDB the hypertable's own retention
 * policy (90 days, from the migration) then stays in charge. N > 0: on TimescaleDB the policy is set
 * to N days and whole chunks are dropped; on plain PostgreSQL old rows are deleted in bounded
 * batches along the primary key (created_at first), so no long lock and no table scan.
 */
export async function applyRetention(db: Queryable, retentionDays: number, now: Date = new Date(), batch = 10_000): Promise<RetentionResult> {
  if (retentionDays <= 0) return { mode: "off", deletedRows: 0 };
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  let mode: RetentionResult["mode"] = "delete";
  if (await isHypertable(db)) {
    mode = "timescale-policy";
    await db.query(`SELECT remove_retention_policy('request_log', if_exists => TRUE)`);
    await db.query(`SELECT add_retention_policy('request_log', make_interval(days => $1::int))`, [retentionDays]);
    await db.query(`SELECT drop_chunks('request_log', older_than => $1::timestamptz)`, [cutoff.toISOString()]);
  }
  // Rows older than the cutoff in a chunk that also holds newer rows (or every old row on plain PostgreSQL).
  let deletedRows = 0;
  for (;;) {
    const res = await db.query(
      `DELETE FROM request_log WHERE (created_at, id) IN (
         SELECT created_at, id FROM request_log WHERE created_at < $1 ORDER BY created_at LIMIT $2)`,
      [cutoff.toISOString(), batch],
    );
    deletedRows += res.rowCount ?? 0;
    if ((res.rowCount ?? 0) < batch) break;
  }
  return { mode, deletedRows };
}
