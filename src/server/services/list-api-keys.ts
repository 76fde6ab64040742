import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { roleSchema } from "@/server/keys/roles";

export const apiKeySummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  prefix: z.string(),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});
export type ApiKeySummary = z.infer<typeof apiKeySummarySchema>;

export async function listApiKeys(db: Queryable, input: { includeRevoked?: boolean } = {}): Promise<ApiKeySummary[]> {
  const res = await db.query<{ id: string; name: string; role: ApiKeySummary["role"]; prefix: string; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }>(
    `SELECT id, name, role, prefix, created_at, last_used_at, revoked_at FROM api_keys
      ${input.includeRevoked ? "" : "WHERE revoked_at IS NULL"} ORDER BY created_at DESC`,
  );
  return res.rows.map((r) => ({ id: r.id, name: r.name, role: r.role, prefix: r.prefix, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }));
}
