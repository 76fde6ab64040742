import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { generateApiKey } from "@/server/keys/api-key-auth";
import { roleSchema } from "@/server/keys/roles";

export const createApiKeyInput = z.object({
  name: z.string().trim().min(1).max(100),
  role: roleSchema,
  createdByUserId: z.uuid().nullable().default(null),
});

export const createdApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  prefix: z.string(),
  /** The full key: returned once, never stored. */
  key: z.string(),
  createdAt: z.date(),
});
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;

export async function createApiKey(db: Queryable, input: z.input<typeof createApiKeyInput>): Promise<CreatedApiKey> {
  const { name, role, createdByUserId } = createApiKeyInput.parse(input);
  const { key, prefix, hash } = generateApiKey();
  const res = await db.query<{ id: string; created_at: Date }>(
    `INSERT INTO api_keys (name, prefix, key_hash, role, created_by_user_id) VALUES ($1, $2, $3, $4::role, $5) RETURNING id, created_at`,
    [name, prefix, hash, role, createdByUserId],
  );
  const row = res.rows[0]!;
  return { id: row.id, name, role, prefix, key, createdAt: row.created_at };
}
