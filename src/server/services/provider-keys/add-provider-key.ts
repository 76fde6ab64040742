import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { encryptSecret, maskSecret } from "@/server/keys/provider-key-crypto";
import { ServiceError } from "../service-error";
import { checkProviderKey, checkProviderKeyInput, keyCheckResultSchema } from "./check-provider-key";
import type { ProviderKeyDeps } from "./provider-key-deps";

export const savedProviderKeySchema = z.object({ id: z.string(), masked: z.string(), check: keyCheckResultSchema });
export type SavedProviderKey = z.infer<typeof savedProviderKeySchema>;

/** A failed live check is the user's problem to fix (wrong key, wrong base URL), not a server error. */
export function refuseUnchecked(message: string): never {
  throw new ServiceError("BAD_REQUEST", `Not saved: ${message}`, "apiKey");
}

export const addProviderKeyInput = checkProviderKeyInput.extend({
  name: z.string().trim().min(1, "Give the key a name.").max(100),
});

/**
 * Adds a provider key only after it passed the live check; the plaintext is encrypted (AES-256-GCM,
 * provider id as associated data) before it touches the database. The newest key of a provider is
 * the one the gateway uses, so adding one takes over at once.
 */
export async function addProviderKey(db: Queryable, deps: ProviderKeyDeps, input: z.input<typeof addProviderKeyInput>): Promise<SavedProviderKey> {
  const { provider, name, apiKey, baseUrl } = addProviderKeyInput.parse(input);
  const check = await checkProviderKey(deps, { provider, apiKey, baseUrl });
  if (!check.ok) refuseUnchecked(check.message);
  const masked = maskSecret(apiKey);
  const enc = encryptSecret(deps.masterKey, apiKey, provider);
  const res = await db.query<{ id: string }>(
    `INSERT INTO provider_keys (provider, name, ciphertext, iv, auth_tag, masked, base_url) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [provider, name, enc.ciphertext, enc.iv, enc.authTag, masked, baseUrl ?? null],
  );
  await deps.refreshKeys();
  return { id: res.rows[0]!.id, masked, check };
}
