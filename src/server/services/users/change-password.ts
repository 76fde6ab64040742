import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { ServiceError } from "../service-error";
import { passwordSchema } from "./user-row";

export const changePasswordInput = z
  .object({ currentPassword: z.string().min(1, "Enter your current password.").max(200), newPassword: passwordSchema })
  .refine((v) => v.currentPassword !== v.newPassword, { message: "Choose a password different from the current one.", path: ["newPassword"] });
export const changePasswordOutput = z.object({ changed: z.literal(true) });

/** A signed-in user replaces their (e.g. temporary) password; the current one must be given. */
export async function changePassword(db: Queryable, userId: string, input: z.input<typeof changePasswordInput>): Promise<{ changed: true }> {
  const { currentPassword, newPassword } = changePasswordInput.parse(input);
  const res = await db.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE id = $1", [userId]);
  const row = res.rows[0];
  if (!row || !(await verifyPassword(currentPassword, row.password_hash))) {
    throw new ServiceError("BAD_REQUEST", "The current password is not correct.", "currentPassword");
  }
  await db.query("UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1", [userId, await hashPassword(newPassword)]);
  return { changed: true };
}
