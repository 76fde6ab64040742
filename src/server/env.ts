import { z } from "zod";
import path from "node:path";

/**
 * The only reader of `process.env`. Validated once, lazily (so `next build` needs no runtime env).
 * Every variable is documented in README.md's configuration table.
 */
const bool = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");
const int = (def: number) => z.coerce.number().int().positive().default(def);
const url = z.url().optional();

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  DATA_DIR: z.string().default(".data"),
  SWITCHYARD_MASTER_KEY: z.string().optional(),

  OPENAI_API_KEY: z.string().optional(),
  ANTHROPIC_API_KEY: z.string().optional(),
  GEMINI_API_KEY: z.string().optional(),
  XAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: url,
  ANTHROPIC_BASE_URL: url,
  GEMINI_BASE_URL: url,
  XAI_BASE_URL: url,

  UPSTREAM_CONNECT_TIMEOUT_MS: int(10_000),
  UPSTREAM_FIRST_BYTE_TIMEOUT_MS: int(300_000),
  UPSTREAM_IDLE_TIMEOUT_MS: int(120_000),
  UPSTREAM_MAX_CONNECTIONS: int(256),
  MAX_BODY_BYTES: int(20 * 1024 * 1024),
  IMAGE_FETCH_MAX_BYTES: int(20 * 1024 * 1024),
  IMAGE_FETCH_ALLOW_PRIVATE: bool,

  LEDGER_BATCH_SIZE: int(500),
  LEDGER_FLUSH_INTERVAL_MS: int(250),
  LEDGER_QUEUE_CAPACITY: int(50_000),
  /** Longest wait between database retries after write failures (the delay doubles up to it). */
  LEDGER_RETRY_MAX_DELAY_MS: int(60_000),
  SPOOL_DIR: z.string().optional(),
  KEY_CACHE_TTL_MS: int(30_000),

  /** The production server (src/server/http/node-server.ts, run by `npm start`). */
  PORT: int(3000),
  HOST: z.string().optional(),
  /** On SIGTERM: how long in-flight requests and streams may take before they are cut. */
  SHUTDOWN_GRACE_MS: int(30_000),

  OTEL_EXPORTER_OTLP_ENDPOINT: url,
  OTEL_SERVICE_NAME: z.string().default("switchyard"),
  OTEL_BSP_SCHEDULE_DELAY: int(5_000),

  NEXTAUTH_SECRET: z.string().optional(),
  NEXTAUTH_URL: url,
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(8).optional(),
  GITHUB_ID: z.string().optional(),
  GITHUB_SECRET: z.string().optional(),
  OIDC_ISSUER: url,
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
});

export type Env = z.infer<typeof envSchema> & { dataDir: string; spoolDir: string };

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment configuration:\n${lines}`);
  }
  // Runtime paths chosen by the operator: not something the build should trace.
  const dataDir = path.resolve(/*turbopackIgnore: true*/ parsed.data.DATA_DIR);
  const spoolDir = path.resolve(/*turbopackIgnore: true*/ parsed.data.SPOOL_DIR ?? path.join(/*turbopackIgnore: true*/ dataDir, "spool"));
  cached = { ...parsed.data, dataDir, spoolDir };
  return cached;
}
