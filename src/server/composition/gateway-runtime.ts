import { randomUUID } from "node:crypto";
import type pg from "pg";
import { adapters } from "@/gateway/providers/registry";
import { providerIds, type ProviderId } from "@/gateway/providers/types";
import { createReasoningCache } from "@/gateway/core/reasoning-cache";
import type { GatewayDeps } from "@/gateway/core/types";
import { GatewayError } from "@/gateway/errors";
import { getEnv, type Env } from "@/server/env";
import { createPool } from "@/server/db/pool";
import { LedgerWriter } from "@/server/ledger/ledger-writer";
import { ApiKeyAuthenticator } from "@/server/keys/api-key-auth";
import { loadMasterKey } from "@/server/keys/provider-key-crypto";
import { ProviderKeyStore, type ProviderEnvConfig } from "@/server/keys/provider-key-store";
import { createUpstreamClient } from "@/server/http/upstream-client";
import { createAssetFetcher } from "@/server/http/fetch-asset";
import { SettingsCache } from "@/server/settings/settings-cache";
import { log } from "@/server/log";
import { applyRetention } from "@/server/ledger/retention";
import { flushOnSignal } from "./shutdown";
import { createOtelTracer } from "@/server/telemetry/otel-tracer";

export interface GatewayRuntime {
  env: Env;
  pool: pg.Pool;
  deps: GatewayDeps;
  auth: ApiKeyAuthenticator;
  keys: ProviderKeyStore;
  ledger: LedgerWriter;
  settings: SettingsCache;
  masterKey: Buffer;
  close(): Promise<void>;
}

function providerEnv(env: Env): Record<ProviderId, ProviderEnvConfig> {
  return {
    openai: { apiKey: env.OPENAI_API_KEY, baseUrl: env.OPENAI_BASE_URL, defaultBaseUrl: adapters.openai.defaultBaseUrl },
    anthropic: { apiKey: env.ANTHROPIC_API_KEY, baseUrl: env.ANTHROPIC_BASE_URL, defaultBaseUrl: adapters.anthropic.defaultBaseUrl },
    gemini: { apiKey: env.GEMINI_API_KEY, baseUrl: env.GEMINI_BASE_URL, defaultBaseUrl: adapters.gemini.defaultBaseUrl },
    xai: { apiKey: env.XAI_API_KEY, baseUrl: env.XAI_BASE_URL, defaultBaseUrl: adapters.xai.defaultBaseUrl },
  };
}

async function createRuntime(): Promise<GatewayRuntime> {
  const env = getEnv();
  if (!env.DATABASE_URL) {
    throw new GatewayError("service_unavailable", "The gateway has no database configured. Start it with `npm start` (embedded database) or set DATABASE_URL.");
  }
  const pool = createPool(env.DATABASE_URL);
  const masterKey = loadMasterKey(env.SWITCHYARD_MASTER_KEY, env.dataDir, (m) => log.warn(m));
  const keys = new ProviderKeyStore(pool, masterKey, providerEnv(env), (m) => log.warn(m));
  const settings = new SettingsCache(pool);
  // A database that is down at boot must not stop the gateway: env keys and cached auth still work.
  await Promise.all([
    keys.refresh().catch((e: unknown) => log.warn(`could not load provider keys: ${String(e)}`)),
    settings.refresh().catch((e: unknown) => log.warn(`could not load settings: ${String(e)}`)),
  ]);
  keys.startBackgroundRefresh();
  settings.startBackgroundRefresh();
  // Ledger retention (Settings page): a minute after start, then hourly; off the request path.
  const runRetention = () =>
    void applyRetention(pool, settings.get().retentionDays)
      .then((r) => r.deletedRows > 0 && log.info(`retention: deleted ${r.deletedRows} ledger rows older than ${settings.get().retentionDays} days`))
      .catch((e: unknown) => log.warn(`retention run failed: ${String(e)}`));
  const retentionStart = setTimeout(runRetention, 60_000);
  const retentionTimer = setInterval(runRetention, 3_600_000);
  retentionStart.unref();
  retentionTimer.unref();
  const auth = new ApiKeyAuthenticator(pool, { ttlMs: env.KEY_CACHE_TTL_MS });
  auth.startBackgroundFlush();
  const ledger = new LedgerWriter({
    pool,
    batchSize: env.LEDGER_BATCH_SIZE,
    flushIntervalMs: env.LEDGER_FLUSH_INTERVAL_MS,
    capacity: env.LEDGER_QUEUE_CAPACITY,
    maxRetryDelayMs: env.LEDGER_RETRY_MAX_DELAY_MS,
    spoolDir: env.spoolDir,
    log: (m: string) => log.warn(m),
  });
  const upstream = createUpstreamClient(
    { connectMs: env.UPSTREAM_CONNECT_TIMEOUT_MS, firstByteMs: env.UPSTREAM_FIRST_BYTE_TIMEOUT_MS, idleMs: env.UPSTREAM_IDLE_TIMEOUT_MS },
    env.UPSTREAM_MAX_CONNECTIONS,
  );
  const origin = performance.timeOrigin;
  const tracer = env.OTEL_EXPORTER_OTLP_ENDPOINT
    ? createOtelTracer({ endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: env.OTEL_SERVICE_NAME, scheduleDelayMs: env.OTEL_BSP_SCHEDULE_DELAY })
    : undefined;
  const deps: GatewayDeps = {
    adapters,
    upstream,
    recorder: ledger,
    credentials: (p) => keys.credentials(p),
    reasoningState: createReasoningCache(),
    fetchAsset: createAssetFetcher({ maxBytes: env.IMAGE_FETCH_MAX_BYTES, allowPrivate: env.IMAGE_FETCH_ALLOW_PRIVATE, timeoutMs: 15_000 }),
    now: () => origin + performance.now(),
    newId: randomUUID,
    payloadLogging: () => settings.get().payloadLogging,
    tracer,
  };
  const runtime: GatewayRuntime = {
    env,
    pool,
    deps,
    auth,
    keys,
    ledger,
    settings,
    masterKey,
    async close() {
      keys.close();
      settings.close();
      clearTimeout(retentionStart);
      clearInterval(retentionTimer);
      await auth.close();
      await ledger.close();
      await upstream.close();
      await tracer?.shutdown();
      await pool.end();
    },
  };
  // Under `npm start` the production server drains requests first, then closes (shutdown.ts).
  flushOnSignal(() => runtime.close(), log);
  log.info(`gateway ready; providers configured: ${providerIds.filter((p) => keys.isConfigured(p)).join(", ") || "none"}`);
  return runtime;
}

const globalKey = Symbol.for("switchyard.gatewayRuntime");
type GlobalWithRuntime = typeof globalThis & { [globalKey]?: Promise<GatewayRuntime> };

/** One runtime per process (survives Next's module re-evaluation in dev). */
export function getGatewayRuntime(): Promise<GatewayRuntime> {
  const g = globalThis as GlobalWithRuntime;
  g[globalKey] ??= createRuntime().catch((e: unknown) => {
    delete g[globalKey];
    throw e;
  });
  return g[globalKey];
}

/** Closes the process's runtime if one was created (flushing the ledger); a no-op otherwise. */
export async function closeGatewayRuntime(): Promise<void> {
  const pending = (globalThis as GlobalWithRuntime)[globalKey];
  if (!pending) return;
  const rt = await pending.catch(() => null);
  await rt?.close();
}
