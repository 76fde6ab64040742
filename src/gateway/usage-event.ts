import type { ProviderId } from "./providers/types";

/**
 * One ledger row, as the core produces it at the end of every request after authentication.
 * The recorder behind `UsageRecorder` batches these off the request path.
 */
export type RequestStatus = "success" | "error" | "cancelled";
export type PricingStatus = "priced" | "unknown_model" | "not_billable";

export interface UsageEvent {
  /** UUID, generated at request start; the idempotency key for spool replays. */
  id: string;
  createdAt: Date;
  endpoint: "chat" | "embeddings";
  apiKeyId: string | null;
  /** `null` when the request failed before a provider was chosen. */
  provider: ProviderId | null;
  /** The model as requested by the client. */
  model: string;
  status: RequestStatus;
  /** HTTP status the client received (200 for streams whose error came mid-stream is kept as 200). */
  httpStatus: number;
  /** Gateway error code, e.g. `rate_limited`, `upstream_timeout`; `null` on success. */
  errorCode: string | null;
  /** Sanitised message (never a credential), for the request detail view. */
  errorMessage: string | null;
  upstreamStatus: number | null;
  streamed: boolean;
  byok: boolean;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  /** Exact cost in integer nano-USD (1e-9 USD); `null` when the model has no price. */
  costNanoUsd: bigint | null;
  priceVersion: string | null;
  pricingStatus: PricingStatus;
  latencyMs: number;
  ttftMs: number | null;
  /** Normalised `key:value` (or bare `value`) strings, sorted, de-duplicated. */
  tags: string[];
  conversationId: string | null;
  requestId: string;
  traceId: string | null;
  /** Only when payload logging is on: the request and response bodies (the writer caps and redacts them). */
  requestBody?: unknown;
  responseBody?: unknown;
}

export interface UsageRecorder {
  /** Never blocks and never throws: the request path must not wait for the database. */
  record(event: UsageEvent): void;
}
