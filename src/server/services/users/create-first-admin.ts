import { z } from "zod";
import type pg from "pg";
import { hashPassword } from "@/server/auth/password";
import { ServiceError } from "../service-error";
import { withUsersLock } from "./admin-lock";
import { emailSchema, passwordSchema, toUserSummary, USER_COLUMNS, userSummarySchema, type UserRow, type UserSummary } from "./user-row";

export const createFirstAdminInput = z.object({
  email: emailSchema,
  name: z.string().trim().min(1, "Enter a name.").max(100),
  password: passwordSchema,
});
export const createFirstAdminOutput = userSummarySchema;

/**
 * The /setup use case: creates the first user, as admin, only while no user exists. Two browsers
 * submitting at once cannot both win: the check and the insert run under one lock.
 */
export async function createFirstAdmin(pool: pg.Pool, input: z.input<typeof createFirstAdminInput>): Promise<UserSummary> {
  const { email, name, password } = createFirstAdminInput.parse(input);
  const hash = await hashPassword(password); // slow: outside the lock
  return withUsersLock(pool, async (tx) => {
    const existing = await tx.query("SELECT 1 FROM users LIMIT 1");
    if (existing.rows.length > 0) throw new ServiceError("PRECONDITION_FAILED", "Setup is already complete. Sign in instead.");
    const res = await tx.query<UserRow>(
      `INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, $3, 'admin') RETURNING ${USER_COLUMNS}`,
      [email, name, hash],
    );
    return toUserSummary(res.rows[0]!);
  });
}
