import type { ProviderAdapter, ProviderId, ReasoningStateStore, UpstreamRequest } from "../providers/types";
import type { UsageRecorder } from "../usage-event";

/** What the core gets back from the HTTP client. The body is consumed exactly once. */
export interface UpstreamResponse {
  status: number;
  headers: Headers;
  /** Raw body bytes as they arrive. Errors while reading surface as `GatewayError`s. */
  body: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
  /** Releases the connection without reading the rest of the body. */
  discard(): void;
}

/**
 * The core's only way out to the network (pooled keep-alive connections live behind it).
 * Throws `GatewayError` (`upstream_timeout` for connect/first-byte timeouts, `upstream_error` for
 * connection failures); an abort through `signal` rejects with the signal's reason.
 */
export interface UpstreamClient {
  send(req: UpstreamRequest, signal: AbortSignal): Promise<UpstreamResponse>;
}

export interface ProviderCredentials {
  /** `undefined` when no key is configured (env or database) for the provider. */
  apiKey: string | undefined;
  baseUrl: string;
}

export interface GatewayDeps {
  adapters: Readonly<Record<ProviderId, ProviderAdapter>>;
  upstream: UpstreamClient;
  recorder: UsageRecorder;
  /** Synchronous: keys are cached in memory; the request path never waits for the database. */
  credentials(provider: ProviderId): ProviderCredentials;
  reasoningState: ReasoningStateStore;
  fetchAsset(url: string): Promise<{ mimeType: string; base64: string }>;
  now(): number;
  newId(): string;
  /** When it returns true, request and response bodies are kept (size-capped, redacted) on the row. */
  payloadLogging?(): boolean;
  /** Receives one span per request (OpenTelemetry GenAI conventions are applied by the server). */
  tracer?: GatewayTracer;
}

/** What the core knows about a finished request, for a GenAI client span. */
export interface GenAiSpan {
  operation: "chat" | "embeddings";
  provider: ProviderId | null;
  requestModel: string;
  responseModel: string | null;
  startTimeMs: number;
  endTimeMs: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens: number;
  finishReason: string | null;
  status: "success" | "error" | "cancelled";
  errorType: string | null;
  httpStatus: number;
  streamed: boolean;
  costUsd: string | null;
  requestId: string;
  conversationId: string | null;
  /** The caller's W3C `traceparent`, so the span joins the caller's trace. */
  traceparent: string | null;
}

export interface GatewayTracer {
  recordSpan(span: GenAiSpan): void;
}

/** Per-request facts established by the HTTP layer (authentication, headers). */
export interface RequestContext {
  requestId: string;
  traceId: string | null;
  /** The validated `traceparent` header the trace id came from. */
  traceparent: string | null;
  apiKeyId: string | null;
  tags: string[];
  conversationId: string | null;
  /** `x-provider-api-key`: used for this request only, never stored, logged or echoed. */
  byokKey: string | null;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
  /** `deps.now()` when the request arrived. */
  startedAt: number;
}

export interface GatewayResult {
  status: number;
  headers: Record<string, string>;
  /**
   * A whole body, or a stream's pieces as the core produces them. The consumer stops a stream
   * early with `return()`; a client that went away is signalled through `RequestContext.signal`.
   */
  body: string | AsyncGenerator<Uint8Array, void, undefined>;
}
