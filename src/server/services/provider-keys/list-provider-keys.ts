import { z } from "zod";
import { adapters } from "@/gateway/providers/registry";
import { providerIds, type ProviderId } from "@/gateway/providers/types";
import type { Queryable } from "@/server/db/queryable";
import type { ProviderKeyDeps } from "./provider-key-deps";
import { providerIdSchema, providerKeyFormats } from "./provider-key-format";

export const providerKeySchema = z.object({
  id: z.string(),
  provider: providerIdSchema,
  name: z.string(),
  /** Display form only, e.g. "sk-pro…wxyz". */
  masked: z.string(),
  baseUrl: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  /** The key the gateway uses for its provider (the most recently saved one). */
  active: z.boolean(),
});
export type ProviderKey = z.infer<typeof providerKeySchema>;

export const providerStatusSchema = z.object({
  provider: providerIdSchema,
  displayName: z.string(),
  /** Where the key in use comes from. */
  source: z.enum(["dashboard", "environment", "none"]),
  /** The base URL requests go to. */
  baseUrl: z.string(),
  keyExample: z.string(),
});

export const listProviderKeysOutput = z.object({ providers: z.array(providerStatusSchema), keys: z.array(providerKeySchema) });
export type ProviderKeyList = z.infer<typeof listProviderKeysOutput>;

interface Row extends Record<string, unknown> {
  id: string;
  provider: string;
  name: string;
  masked: string;
  base_url: string | null;
  created_at: Date;
  updated_at: Date;
  active: boolean;
}

const isProvider = (p: string): p is ProviderId => (providerIds as readonly string[]).includes(p);

/** Masked keys plus, per provider, which source the gateway uses — the same precedence as ProviderKeyStore. */
export async function listProviderKeys(db: Queryable, deps: Pick<ProviderKeyDeps, "configuredBaseUrl" | "hasEnvKey">): Promise<ProviderKeyList> {
  const res = await db.query<Row>(
    `SELECT id, provider, name, masked, base_url, created_at, updated_at,
            row_number() OVER (PARTITION BY provider ORDER BY updated_at DESC) = 1 AS active
       FROM provider_keys ORDER BY provider, updated_at DESC`,
  );
  const keys: ProviderKey[] = res.rows.flatMap((r) =>
    isProvider(r.provider)
      ? [{ id: r.id, provider: r.provider, name: r.name, masked: r.masked, baseUrl: r.base_url, createdAt: r.created_at, updatedAt: r.updated_at, active: r.active }]
      : [],
  );
  const providers = providerIds.map((provider) => {
    const active = keys.find((k) => k.provider === provider && k.active);
    return {
      provider,
      displayName: adapters[provider].displayName,
      source: active ? ("dashboard" as const) : deps.hasEnvKey(provider) ? ("environment" as const) : ("none" as const),
      baseUrl: active?.baseUrl ?? deps.configuredBaseUrl(provider),
      keyExample: providerKeyFormats[provider].example,
    };
  });
  return { providers, keys };
}
