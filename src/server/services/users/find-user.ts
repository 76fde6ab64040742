import type { Queryable } from "@/server/db/queryable";
import type { SessionUser } from "@/server/auth/session-user";
import { USER_COLUMNS, type UserRow } from "./user-row";

const toSessionUser = (r: UserRow): SessionUser => ({ id: r.id, email: r.email, name: r.name, role: r.role });

export async function findUserById(db: Queryable, id: string): Promise<SessionUser | null> {
  // A token from an older installation may carry a non-uuid subject; that is "no user", not a 500.
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const res = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  return res.rows[0] ? toSessionUser(res.rows[0]) : null;
}

export async function findUserByEmail(db: Queryable, email: string): Promise<SessionUser | null> {
  const res = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE email = $1`, [email.trim().toLowerCase()]);
  return res.rows[0] ? toSessionUser(res.rows[0]) : null;
}
