import type { UpstreamClient } from "@/gateway/core/types";
import type { ProviderId } from "@/gateway/providers/types";

/** What the provider-key use cases need from the running gateway (built from GatewayRuntime). */
export interface ProviderKeyDeps {
  masterKey: Buffer;
  upstream: UpstreamClient;
  /** The base URL from env, or the adapter's default, without a trailing slash. */
  configuredBaseUrl(provider: ProviderId): string;
  /** Whether an env var supplies a key for the provider (shown as the fallback source). */
  hasEnvKey(provider: ProviderId): boolean;
  /** Reloads the request path's credentials after a change. */
  refreshKeys(): Promise<void>;
}
