import type { Queryable } from "@/server/db/queryable";

/** True while no user exists: the one-time /setup page is only reachable then. */
export async function needsSetup(db: Queryable): Promise<boolean> {
  const res = await db.query<{ any: boolean }>("SELECT EXISTS (SELECT 1 FROM users) AS any");
  return !res.rows[0]?.any;
}
