import { roleAllows, type Role } from "@/server/keys/roles";

/**
 * Logged prompts and responses are more sensitive than costs: the read role (e.g. finance) sees
 * usage and metadata; execute and admin also see message contents.
 */
export function canViewPayloads(role: Role): boolean {
  return roleAllows(role, "execute");
}
