import type { ChatCompletionRequest, ThinkingBlock } from "../openai/chat-request";
import type { EmbeddingsRequest } from "../openai/embeddings-request";
import type { ChatCompletion, ChatCompletionChunk, EmbeddingsResponse, FinishReason } from "../openai/chat-response";
import type { GatewayError } from "../errors";
import type { NormalizedUsage } from "../usage";
import type { UpstreamEvent } from "../sse";
import type { ModelInfo } from "../routing/model-catalog";

import type { ProviderId } from "./provider-id";

export { providerIds, type ProviderId } from "./provider-id";

/** What the core sends upstream. The core owns the HTTP client (pooled, timeouts, abort). */
export interface UpstreamRequest {
  url: string;
  method: "POST" | "GET";
  headers: Record<string, string>;
  body?: string;
}

/**
 * Opaque reasoning state that the OpenAI format has no field for, kept server-side as a fallback
 * for clients that do not echo the extension fields (`thinking_blocks`, `extra_content`).
 * Keyed by the tool-call id the gateway returned.
 */
export type ReasoningState =
  | { provider: "anthropic"; thinkingBlocks: ThinkingBlock[] }
  | { provider: "gemini"; thoughtSignature: string };

export interface ReasoningStateStore {
  get(toolCallId: string): ReasoningState | undefined;
  set(toolCallId: string, state: ReasoningState): void;
}

export interface AdapterContext {
  /** The provider's model id (alias and `provider/` prefix already resolved). */
  upstreamModel: string;
  /** Catalog entry; `undefined` for a model routed by prefix but not in the catalog. */
  modelInfo: ModelInfo | undefined;
  apiKey: string;
  /** Provider base URL without a trailing slash, e.g. `https://api.anthropic.com`. */
  baseUrl: string;
  reasoningState: ReasoningStateStore;
  /** Clock in milliseconds (injected for deterministic tests). */
  now: () => number;
  /** Random id source (for synthesized ids such as Gemini tool-call ids). */
  newId: () => string;
  /**
   * Downloads an image referenced by an http(s) URL, for providers that need it inlined (Gemini).
   * Throws a `GatewayError` (400, param `messages`) when the URL cannot be fetched or is too large.
   */
  fetchAsset: (url: string) => Promise<{ mimeType: string; base64: string }>;
}

export interface ChatResult {
  completion: ChatCompletion;
  usage: NormalizedUsage;
}

/**
 * Turns one upstream stream into OpenAI chunks, event by event.
 *
 * - Chunks carry `id`, `created`, `model`, `choices`; never `usage` — the core adds `usage: null`
 *   and the final usage chunk when the client asked for `stream_options.include_usage`.
 * - The first chunk emitted is the role chunk (`delta: {role: "assistant", content: ""}`).
 * - Throws a `GatewayError` for a provider error event or a malformed event.
 */
export interface ChatStreamTransformer {
  push(event: UpstreamEvent): ChatCompletionChunk[];
  /**
   * The upstream body ended. Returns any trailing chunks. Throws a `GatewayError`
   * (`upstream_bad_response`) when the stream ended before the provider finished the message.
   */
  end(): ChatCompletionChunk[];
  /**
   * The provider sent its terminal event (OpenAI and xAI `[DONE]`, Anthropic `message_stop`):
   * nothing after it can change the answer. Gemini has none, so false until the body ends.
   */
  complete(): boolean;
  /** Usage known so far (complete after `end()`); used for the ledger, also on cancel/error. */
  usage(): NormalizedUsage;
  finishReason(): FinishReason | null;
  /** Response id and model as the client sees them (known after the first event). */
  responseId(): string | undefined;
}

export interface EmbeddingsResult {
  response: EmbeddingsResponse;
  usage: NormalizedUsage;
  /**
   * The provider's body holds exactly `response` (the same keys and values; OpenAI's own answer):
   * the core may send it as received instead of serialising the vectors again.
   */
  verbatim: boolean;
}

export interface ProviderAdapter {
  readonly id: ProviderId;
  /** Env var names, for messages and the models list. */
  readonly displayName: string;
  readonly defaultBaseUrl: string;

  /** Throws `GatewayError` (400, naming `param`) for anything it cannot honour. */
  buildChatRequest(req: ChatCompletionRequest, ctx: AdapterContext, stream: boolean): UpstreamRequest | Promise<UpstreamRequest>;
  parseChatResponse(body: unknown, req: ChatCompletionRequest, ctx: AdapterContext): ChatResult;
  createChatStream(req: ChatCompletionRequest, ctx: AdapterContext): ChatStreamTransformer;

  /** Omitted when the provider has no embeddings the gateway serves. */
  buildEmbeddingsRequest?(req: EmbeddingsRequest, ctx: AdapterContext): UpstreamRequest | Promise<UpstreamRequest>;
  parseEmbeddingsResponse?(body: unknown, req: EmbeddingsRequest, ctx: AdapterContext): EmbeddingsResult;

  /** Maps a non-2xx upstream answer to the OpenAI-shaped error (see `upstreamError` in errors.ts). */
  parseError(status: number, bodyText: string, headers: Headers): GatewayError;

  /** A cheap authenticated request used to test a provider key before saving it. */
  buildKeyCheckRequest(apiKey: string, baseUrl: string): UpstreamRequest;
}
