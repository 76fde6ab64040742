import { z } from "zod";
import type { ProviderId } from "@/gateway/providers/types";
import type { Queryable } from "@/server/db/queryable";
import { encryptSecret, maskSecret } from "@/server/keys/provider-key-crypto";
import { ServiceError } from "../service-error";
import { probe } from "./check-provider-key";
import { refuseUnchecked, type SavedProviderKey } from "./add-provider-key";
import type { ProviderKeyDeps } from "./provider-key-deps";
import { providerKeyFormatError } from "./provider-key-format";

export const rotateProviderKeyInput = z.object({ id: z.uuid(), apiKey: z.string().trim() });

/** Replaces the secret of an existing key (same provider and base URL), again only after a passing check. */
export async function rotateProviderKey(db: Queryable, deps: ProviderKeyDeps, input: z.input<typeof rotateProviderKeyInput>): Promise<SavedProviderKey> {
  const { id, apiKey } = rotateProviderKeyInput.parse(input);
  const cur = await db.query<{ provider: ProviderId; base_url: string | null }>("SELECT provider, base_url FROM provider_keys WHERE id = $1", [id]);
  const row = cur.rows[0];
  if (!row) throw new ServiceError("NOT_FOUND", "That provider key no longer exists.");
  const formatError = providerKeyFormatError(row.provider, apiKey);
  if (formatError) throw new ServiceError("BAD_REQUEST", formatError, "apiKey");
  const check = await probe(deps, row.provider, apiKey, row.base_url ?? deps.configuredBaseUrl(row.provider));
  if (!check.ok) refuseUnchecked(check.message);
  const masked = maskSecret(apiKey);
  const enc = encryptSecret(deps.masterKey, apiKey, row.provider);
  await db.query(
    `UPDATE provider_keys SET ciphertext = $2, iv = $3, auth_tag = $4, masked = $5, updated_at = now() WHERE id = $1`,
    [id, enc.ciphertext, enc.iv, enc.authTag, masked],
  );
  await deps.refreshKeys();
  return { id, masked, check };
}
