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
  createdByUserId: z.string().nullable(),
  /** Email of the dashboard user who created it; null for keys made by the CLI or by a removed user. */
  createdBy: z.string().nullable(),
});
export type ApiKeySummary = z.infer<typeof apiKeySummarySchema>;

export async function listApiKeys(db: Queryable, input: { includeRevoked?: boolean } = {}): Promise<ApiKeySummary[]> {
  const res = await db.query<{
    id: string; name: string; role: ApiKeySummary["role"]; prefix: string; created_at: Date;
    last_used_at: Date | null; revoked_at: Date | null; created_by_user_id: string | null; email: string | null;
  }>(
    `SELECT k.id, k.name, k.role, k.prefix, k.created_at, k.last_used_at, k.revoked_at, k.created_by_user_id, u.email
       FROM api_keys k LEFT JOIN users u ON u.id = k.created_by_user_id
      ${input.includeRevoked ? "" : "WHERE k.revoked_at IS NULL"} ORDER BY k.created_at DESC`,
  );
  return res.rows.map((r) => ({
    id: r.id, name: r.name, role: r.role, prefix: r.prefix, createdAt: r.created_at, lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at, createdByUserId: r.created_by_user_id, createdBy: r.email,
  }));
}
