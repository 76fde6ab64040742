import { z } from "zod";
import type pg from "pg";
import { ServiceError } from "../service-error";
import { countAdmins, withUsersLock } from "./admin-lock";
import type { UserRow } from "./user-row";

export const removeUserInput = z.object({ id: z.uuid() });
export const removeUserOutput = z.object({ removed: z.boolean() });

/**
 * Deletes a user. Never the acting admin themself, never the last admin. Gateway keys they created
 * stay valid (they belong to services, not people) and show no creator afterwards.
 */
export async function removeUser(pool: pg.Pool, actorId: string, input: z.input<typeof removeUserInput>): Promise<{ removed: boolean }> {
  const { id } = removeUserInput.parse(input);
  if (id === actorId) throw new ServiceError("FORBIDDEN", "You cannot remove yourself. Ask another admin.");
  return withUsersLock(pool, async (tx) => {
    const cur = await tx.query<Pick<UserRow, "role">>("SELECT role FROM users WHERE id = $1", [id]);
    const user = cur.rows[0];
    if (!user) return { removed: false };
    if (user.role === "admin" && (await countAdmins(tx)) <= 1) {
      throw new ServiceError("PRECONDITION_FAILED", "This is the last admin and cannot be removed.");
    }
    await tx.query("DELETE FROM users WHERE id = $1", [id]);
    return { removed: true };
  });
}
