import type { Queryable } from "@/server/db/queryable";
import type { ProviderId } from "@/gateway/providers/types";
import { providerIds } from "@/gateway/providers/types";
import { decryptSecret } from "./provider-key-crypto";

interface Row {
  provider: string;
  ciphertext: Buffer;
  iv: Buffer;
  auth_tag: Buffer;
  base_url: string | null;
}

export interface ProviderEnvConfig {
  apiKey: string | undefined;
  baseUrl: string | undefined;
  defaultBaseUrl: string;
}

/**
 * Provider credentials held in memory for the request path. A key stored in the database (added
 * in the dashboard) takes precedence over the env var, so an admin can rotate without a restart.
 * Refreshed on change in this process and every `refreshMs` for other processes.
 */
export class ProviderKeyStore {
  private fromDb = new Map<ProviderId, { apiKey: string; baseUrl: string | null }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly masterKey: Buffer,
    private readonly env: Readonly<Record<ProviderId, ProviderEnvConfig>>,
    private readonly log: (msg: string) => void = () => {},
  ) {}

  async refresh(): Promise<void> {
    const res = await this.db.query<Row & Record<string, unknown>>(
      "SELECT DISTINCT ON (provider) provider, ciphertext, iv, auth_tag, base_url FROM provider_keys ORDER BY provider, updated_at DESC",
    );
    const next = new Map<ProviderId, { apiKey: string; baseUrl: string | null }>();
    for (const row of res.rows) {
      if (!(providerIds as readonly string[]).includes(row.provider)) continue;
      try {
        const apiKey = decryptSecret(this.masterKey, { ciphertext: row.ciphertext, iv: row.iv, authTag: row.auth_tag }, row.provider);
        next.set(row.provider as ProviderId, { apiKey, baseUrl: row.base_url });
      } catch {
        this.log(`provider key for ${row.provider} cannot be decrypted with the current master key; ignoring it`);
      }
    }
    this.fromDb = next;
  }

  credentials(provider: ProviderId): { apiKey: string | undefined; baseUrl: string } {
    const env = this.env[provider];
    const stored = this.fromDb.get(provider);
    return {
      apiKey: stored?.apiKey ?? env.apiKey,
      baseUrl: stored?.baseUrl ?? env.baseUrl ?? env.defaultBaseUrl,
    };
  }

  isConfigured(provider: ProviderId): boolean {
    return this.credentials(provider).apiKey !== undefined;
  }

  startBackgroundRefresh(refreshMs = 30_000): void {
    this.timer = setInterval(() => void this.refresh().catch(() => {}), refreshMs);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
