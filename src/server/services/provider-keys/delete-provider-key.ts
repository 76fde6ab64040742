import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import type { ProviderKeyDeps } from "./provider-key-deps";

export const deleteProviderKeyInput = z.object({ id: z.uuid() });
export const deleteProviderKeyOutput = z.object({ deleted: z.boolean() });

/** After deletion the provider falls back to its previous dashboard key, then to the env var. */
export async function deleteProviderKey(db: Queryable, deps: Pick<ProviderKeyDeps, "refreshKeys">, input: z.input<typeof deleteProviderKeyInput>): Promise<{ deleted: boolean }> {
  const { id } = deleteProviderKeyInput.parse(input);
  const res = await db.query("DELETE FROM provider_keys WHERE id = $1", [id]);
  await deps.refreshKeys();
  return { deleted: (res.rowCount ?? 0) > 0 };
}
