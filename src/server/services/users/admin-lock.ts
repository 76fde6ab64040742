import type pg from "pg";

/** Serialises every change that could leave the installation without an admin (or with two first admins). */
const USERS_LOCK_KEY = 0x5359_5553; // "SYUS"

/** Runs `fn` in one transaction holding the users lock; rolls back on any error. */
export async function withUsersLock<T>(pool: pg.Pool, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const tx = await pool.connect();
  try {
    await tx.query("BEGIN");
    await tx.query("SELECT pg_advisory_xact_lock($1)", [USERS_LOCK_KEY]);
    const result = await fn(tx);
    await tx.query("COMMIT");
    return result;
  } catch (e) {
    await tx.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    tx.release();
  }
}

export async function countAdmins(tx: pg.PoolClient): Promise<number> {
  const res = await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE role = 'admin'");
  return res.rows[0]?.n ?? 0;
}
