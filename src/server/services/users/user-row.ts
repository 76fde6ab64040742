import { z } from "zod";
import { roleSchema } from "@/server/keys/roles";

export const userSummarySchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  createdAt: z.date(),
});
export type UserSummary = z.infer<typeof userSummarySchema>;

export interface UserRow extends Record<string, unknown> {
  id: string;
  email: string;
  name: string;
  role: UserSummary["role"];
  created_at: Date;
}

export const USER_COLUMNS = "id, email, name, role, created_at";

export function toUserSummary(r: UserRow): UserSummary {
  return { id: r.id, email: r.email, name: r.name, role: r.role, createdAt: r.created_at };
}

/** Emails are compared case-insensitively: stored lower-cased (as bootstrap-admin does). */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "Enter a valid email address." }).max(254));

export const passwordSchema = z.string().min(8, "Use at least 8 characters.").max(200);
