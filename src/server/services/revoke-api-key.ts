import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";

export const revokeApiKeyInput = z.object({ id: z.uuid() });

/** Returns false when no active key has that id. Revocation is immediate in this process (cache dropped by the caller). */
export async function revokeApiKey(db: Queryable, input: z.input<typeof revokeApiKeyInput>): Promise<boolean> {
  const { id } = revokeApiKeyInput.parse(input);
  const res = await db.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
  return (res.rowCount ?? 0) > 0;
}
