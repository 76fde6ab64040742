import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import type { SessionUser } from "@/server/auth/session-user";
import { roleAllows, roleSchema } from "@/server/keys/roles";
import { createApiKey, createdApiKeySchema, type CreatedApiKey } from "../create-api-key";
import { ServiceError } from "../service-error";

export const issueGatewayKeyInput = z.object({
  name: z.string().trim().min(1, "Give the key a name.").max(100),
  role: roleSchema,
});
export const issueGatewayKeyOutput = createdApiKeySchema;

/** A dashboard user creates a gateway key; nobody can mint a key stronger than their own role. */
export async function issueGatewayKey(db: Queryable, actor: SessionUser, input: z.input<typeof issueGatewayKeyInput>): Promise<CreatedApiKey> {
  const { name, role } = issueGatewayKeyInput.parse(input);
  if (!roleAllows(actor.role, role)) {
    throw new ServiceError("FORBIDDEN", `Your role (${actor.role}) cannot create ${role} keys.`, "role");
  }
  return createApiKey(db, { name, role, createdByUserId: actor.id });
}
