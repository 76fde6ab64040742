import { z } from "zod";
import type pg from "pg";
import { roleSchema } from "@/server/keys/roles";
import { ServiceError } from "../service-error";
import { countAdmins, withUsersLock } from "./admin-lock";
import { toUserSummary, USER_COLUMNS, userSummarySchema, type UserRow, type UserSummary } from "./user-row";

export const changeUserRoleInput = z.object({ id: z.uuid(), role: roleSchema });
export const changeUserRoleOutput = userSummarySchema;

/** Refuses to demote the last admin (checked under the users lock, so two demotions cannot race). */
export async function changeUserRole(pool: pg.Pool, input: z.input<typeof changeUserRoleInput>): Promise<UserSummary> {
  const { id, role } = changeUserRoleInput.parse(input);
  return withUsersLock(pool, async (tx) => {
    const cur = await tx.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    const user = cur.rows[0];
    if (!user) throw new ServiceError("NOT_FOUND", "That user no longer exists.");
    if (user.role === "admin" && role !== "admin" && (await countAdmins(tx)) <= 1) {
      throw new ServiceError("PRECONDITION_FAILED", "This is the last admin. Make someone else admin first.", "role");
    }
    const res = await tx.query<UserRow>(`UPDATE users SET role = $2::role, updated_at = now() WHERE id = $1 RETURNING ${USER_COLUMNS}`, [id, role]);
    return toUserSummary(res.rows[0]!);
  });
}
