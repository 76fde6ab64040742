import { z } from "zod";
import { roleAllows, roleSchema, type Role } from "@/server/keys/roles";
import { canViewPayloads } from "@/server/services/ledger-view/payload-access";
import { sessionUserSchema, type SessionUser } from "./session-user";

/**
 * What the dashboard may offer a user, derived from the role in one place. The UI hides what a
 * role cannot do; the procedures enforce it regardless.
 */
export const capabilitiesSchema = z.object({
  createKeys: z.boolean(),
  /** Strongest role a gateway key this user creates may have. */
  maxKeyRole: roleSchema,
  revokeAnyKey: z.boolean(),
  viewPayloads: z.boolean(),
  manageProviderKeys: z.boolean(),
  editSettings: z.boolean(),
  manageUsers: z.boolean(),
});
export type Capabilities = z.infer<typeof capabilitiesSchema>;

export function capabilitiesOf(role: Role): Capabilities {
  const admin = roleAllows(role, "admin");
  return {
    createKeys: roleAllows(role, "execute"),
    maxKeyRole: role,
    revokeAnyKey: admin,
    viewPayloads: canViewPayloads(role),
    manageProviderKeys: admin,
    editSettings: admin,
    manageUsers: admin,
  };
}

export const viewerSchema = z.object({ user: sessionUserSchema, can: capabilitiesSchema });
export type Viewer = z.infer<typeof viewerSchema>;

export function describeViewer(user: SessionUser | null): Viewer | null {
  return user ? { user, can: capabilitiesOf(user.role) } : null;
}
