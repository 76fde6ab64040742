import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import type { SessionUser } from "@/server/auth/session-user";
import { revokeApiKey } from "../revoke-api-key";
import { ServiceError } from "../service-error";

export const revokeGatewayKeyInput = z.object({ id: z.uuid() });
export const revokeGatewayKeyOutput = z.object({ revoked: z.boolean() });

export interface KeyCache {
  invalidateById(id: string): void;
}

/**
 * Admins revoke any key, others only keys they created. The authenticator's cache entry is dropped
 * too, so this process answers 401 for the key at once instead of after the cache TTL.
 */
export async function revokeGatewayKey(
  db: Queryable,
  cache: KeyCache,
  actor: SessionUser,
  input: z.input<typeof revokeGatewayKeyInput>,
): Promise<{ revoked: boolean }> {
  const { id } = revokeGatewayKeyInput.parse(input);
  const res = await db.query<{ created_by_user_id: string | null }>("SELECT created_by_user_id FROM api_keys WHERE id = $1", [id]);
  const key = res.rows[0];
  if (!key) throw new ServiceError("NOT_FOUND", "No such key.");
  if (actor.role !== "admin" && key.created_by_user_id !== actor.id) {
    throw new ServiceError("FORBIDDEN", "Only an admin can revoke keys created by someone else.");
  }
  const revoked = await revokeApiKey(db, { id });
  cache.invalidateById(id);
  return { revoked };
}
