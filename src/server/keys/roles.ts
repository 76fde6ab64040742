import { z } from "zod";

export const roleSchema = z.enum(["read", "execute", "admin"]);
export type Role = z.infer<typeof roleSchema>;

const rank: Record<Role, number> = { read: 0, execute: 1, admin: 2 };

/** Roles are ordered: admin can do everything execute can, execute everything read can. */
export function roleAllows(have: Role, need: Role): boolean {
  return rank[have] >= rank[need];
}
