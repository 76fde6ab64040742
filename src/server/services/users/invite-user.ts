import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { hashPassword } from "@/server/auth/password";
import { roleSchema } from "@/server/keys/roles";
import { ServiceError } from "../service-error";
import { emailSchema, toUserSummary, USER_COLUMNS, userSummarySchema, type UserRow, type UserSummary } from "./user-row";

export const inviteUserInput = z.object({
  email: emailSchema,
  name: z.string().trim().max(100).default(""),
  role: roleSchema,
});
export const inviteUserOutput = z.object({
  user: userSummarySchema,
  /** Shown to the admin once; only its hash is stored. */
  temporaryPassword: z.string(),
});

/**
 * An admin adds a user with a temporary password to pass on. The same row lets the person sign in
 * with GitHub/OIDC when those are configured (matched by email).
 */
export async function inviteUser(db: Queryable, input: z.input<typeof inviteUserInput>): Promise<{ user: UserSummary; temporaryPassword: string }> {
  const { email, name, role } = inviteUserInput.parse(input);
  const temporaryPassword = randomBytes(12).toString("base64url");
  const res = await db.query<UserRow>(
    `INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, $3, $4::role)
     ON CONFLICT (email) DO NOTHING RETURNING ${USER_COLUMNS}`,
    [email, name || email.split("@")[0], await hashPassword(temporaryPassword), role],
  );
  const row = res.rows[0];
  if (!row) throw new ServiceError("CONFLICT", `${email} already has an account.`, "email");
  return { user: toUserSummary(row), temporaryPassword };
}
