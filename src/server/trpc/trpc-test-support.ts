import { randomBytes } from "node:crypto";
import type pg from "pg";
import type { UpstreamClient, UpstreamResponse } from "@/gateway/core/types";
import { adapters } from "@/gateway/providers/registry";
import { providerIds, type ProviderId } from "@/gateway/providers/types";
import { hashPassword } from "@/server/auth/password";
import type { SessionUser } from "@/server/auth/session-user";
import { ApiKeyAuthenticator } from "@/server/keys/api-key-auth";
import { ProviderKeyStore } from "@/server/keys/provider-key-store";
import type { Role } from "@/server/keys/roles";
import { SettingsCache } from "@/server/settings/settings-cache";
import type { DashboardRuntime } from "./dashboard-runtime";
import { createInnerContext } from "./init";
import { createCaller } from "./root";

/** An upstream that answers every request with `status` (no network): for access tests. */
export function fixedUpstream(status = 200): UpstreamClient & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    async send(req): Promise<UpstreamResponse> {
      sent.push(req.url);
      const body = status < 300 ? `{"data":[]}` : `{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}`;
      return {
        status,
        headers: new Headers({ "content-type": "application/json" }),
        body: (async function* () {
          yield new TextEncoder().encode(body);
        })(),
        text: async () => body,
        discard: () => {},
      };
    },
  };
}

export interface TestRuntime extends DashboardRuntime {
  auth: ApiKeyAuthenticator;
  store: ProviderKeyStore;
  settings: SettingsCache;
  masterKey: Buffer;
}

/** The dashboard runtime built from the real gateway parts over a test database. */
export function createTestRuntime(pool: pg.Pool, opts: { upstream: UpstreamClient; baseUrls?: Partial<Record<ProviderId, string>> }): TestRuntime {
  const masterKey = randomBytes(32);
  const baseUrl = (p: ProviderId) => opts.baseUrls?.[p] ?? adapters[p].defaultBaseUrl;
  const env = Object.fromEntries(providerIds.map((p) => [p, { apiKey: undefined, baseUrl: baseUrl(p), defaultBaseUrl: adapters[p].defaultBaseUrl }])) as Record<
    ProviderId,
    { apiKey: undefined; baseUrl: string; defaultBaseUrl: string }
  >;
  const store = new ProviderKeyStore(pool, masterKey, env);
  const auth = new ApiKeyAuthenticator(pool, { ttlMs: 60_000 });
  const settings = new SettingsCache(pool);
  return {
    auth,
    store,
    settings,
    masterKey,
    providerKeys: {
      masterKey,
      upstream: opts.upstream,
      configuredBaseUrl: baseUrl,
      hasEnvKey: () => false,
      refreshKeys: () => store.refresh(),
    },
    apiKeyCache: auth,
    refreshSettings: () => settings.refresh(),
  };
}

export async function insertUser(pool: pg.Pool, role: Role, password = "correct horse battery"): Promise<SessionUser> {
  const email = `${role}-${randomBytes(4).toString("hex")}@example.test`;
  const res = await pool.query<{ id: string }>(
    "INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, $3, $4::role) RETURNING id",
    [email, `${role} user`, await hashPassword(password), role],
  );
  return { id: res.rows[0]!.id, email, name: `${role} user`, role };
}

export function callerFor(pool: pg.Pool, runtime: DashboardRuntime, session: SessionUser | null) {
  return createCaller(createInnerContext({ session, db: pool, runtime }));
}
