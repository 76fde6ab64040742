import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { apiKeySummarySchema, listApiKeys } from "../list-api-keys";

export const listGatewayKeysInput = z.object({ includeRevoked: z.boolean().default(false) });
export const gatewayKeySchema = apiKeySummarySchema.extend({
  createdByUserId: z.string().nullable(),
  /** Email of the dashboard user who created it; null for keys made by the CLI or by a removed user. */
  createdBy: z.string().nullable(),
});
export type GatewayKey = z.infer<typeof gatewayKeySchema>;

/** The key list of list-api-keys.ts plus who created each key (the dashboard lets people revoke their own). */
export async function listGatewayKeys(db: Queryable, input: z.input<typeof listGatewayKeysInput>): Promise<GatewayKey[]> {
  const { includeRevoked } = listGatewayKeysInput.parse(input);
  const keys = await listApiKeys(db, { includeRevoked });
  if (keys.length === 0) return [];
  const res = await db.query<{ id: string; user_id: string | null; email: string | null }>(
    `SELECT k.id, k.created_by_user_id AS user_id, u.email FROM api_keys k LEFT JOIN users u ON u.id = k.created_by_user_id WHERE k.id = ANY($1::uuid[])`,
    [keys.map((k) => k.id)],
  );
  const creators = new Map(res.rows.map((r) => [r.id, r]));
  return keys.map((k) => ({ ...k, createdByUserId: creators.get(k.id)?.user_id ?? null, createdBy: creators.get(k.id)?.email ?? null }));
}
