import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import type { SessionUser } from "@/server/auth/session-user";
import { USER_COLUMNS, type UserRow } from "./user-row";

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(200),
});

let dummyHash: Promise<string> | undefined;

/**
 * The signed-in user for a correct email and password, otherwise null. An unknown email still
 * costs one scrypt so response time does not reveal which emails exist.
 */
export async function verifyCredentials(db: Queryable, input: unknown): Promise<SessionUser | null> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const res = await db.query<UserRow & { password_hash: string }>(`SELECT ${USER_COLUMNS}, password_hash FROM users WHERE email = $1`, [email]);
  const row = res.rows[0];
  if (!row) {
    dummyHash ??= hashPassword("not-a-real-password");
    await verifyPassword(password, await dummyHash);
    return null;
  }
  if (!(await verifyPassword(password, row.password_hash))) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}
