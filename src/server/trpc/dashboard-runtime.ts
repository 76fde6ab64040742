import { adapters } from "@/gateway/providers/registry";
import type { ProviderId } from "@/gateway/providers/types";
import type { GatewayRuntime } from "@/server/composition/gateway-runtime";
import type { KeyCache } from "@/server/services/gateway-keys/revoke-gateway-key";
import type { ProviderKeyDeps } from "@/server/services/provider-keys/provider-key-deps";
import { normalizeBaseUrl } from "@/server/services/provider-keys/provider-key-format";

/**
 * The slice of the running gateway the dashboard's use cases touch. Tests build one from real
 * parts (or fakes) without starting the whole gateway.
 */
export interface DashboardRuntime {
  providerKeys: ProviderKeyDeps;
  /** The gateway's API-key authenticator cache (revocation drops the key at once). */
  apiKeyCache: KeyCache;
  /** Reloads the request path's settings cache. */
  refreshSettings(): Promise<void>;
}

export function dashboardRuntimeFrom(rt: GatewayRuntime): DashboardRuntime {
  const envBase: Record<ProviderId, string | undefined> = {
    openai: rt.env.OPENAI_BASE_URL,
    anthropic: rt.env.ANTHROPIC_BASE_URL,
    gemini: rt.env.GEMINI_BASE_URL,
    xai: rt.env.XAI_BASE_URL,
  };
  const envKey: Record<ProviderId, string | undefined> = {
    openai: rt.env.OPENAI_API_KEY,
    anthropic: rt.env.ANTHROPIC_API_KEY,
    gemini: rt.env.GEMINI_API_KEY,
    xai: rt.env.XAI_API_KEY,
  };
  return {
    providerKeys: {
      masterKey: rt.masterKey,
      upstream: rt.deps.upstream,
      configuredBaseUrl: (p) => normalizeBaseUrl(envBase[p] ?? adapters[p].defaultBaseUrl),
      hasEnvKey: (p) => Boolean(envKey[p]),
      refreshKeys: () => rt.keys.refresh(),
    },
    apiKeyCache: rt.auth,
    refreshSettings: () => rt.settings.refresh(),
  };
}
