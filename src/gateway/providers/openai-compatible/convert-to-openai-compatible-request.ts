import type { ChatCompletionRequest, ChatMessage } from "../../openai/chat-request";
import type { EmbeddingsRequest } from "../../openai/embeddings-request";
import { GatewayError } from "../../errors";
import type { AdapterContext, UpstreamRequest } from "../types";

/** A pass-through body that provider hooks may still adjust (e.g. OpenAI's `max_tokens` rewrite). */
export type CompatRequestBody = Record<string, unknown>;

/** Provider hook: provider-specific request rules, applied after the shared ones. */
export type PrepareRequest = (body: CompatRequestBody, req: ChatCompletionRequest, ctx: AdapterContext) => void;

export function bearerHeaders(apiKey: string): Record<string, string> {
  return { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
}

/** `ctx.baseUrl` comes without a trailing slash; a configured one with it must not yield `//`. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, "")}${path}`;
}

/**
 * Removes the gateway's own extension fields, which only other providers understand and which an
 * OpenAI-compatible API would reject or misread (provider-protocols.md §1.4, §7.3):
 * assistant `reasoning_content` and `thinking_blocks` (Anthropic), tool-call `extra_content` (Gemini).
 * Everything else in a message is passed on unchanged; the input is not mutated.
 */
export function stripExtensionFields(message: ChatMessage): ChatMessage {
  if (message.role !== "assistant") return message;
  const { reasoning_content: _reasoning, thinking_blocks: _blocks, ...rest } = message;
  if (rest.tool_calls === undefined) return rest;
  return { ...rest, tool_calls: rest.tool_calls.map(({ extra_content: _extra, ...call }) => call) };
}

/**
 * OpenAI-compatible upstreams take the OpenAI request as is, so every field — unknown vendor fields
 * included — is passed through and the provider accepts or rejects it. Gateway-side changes:
 * the resolved upstream model, stripped extension fields, and `stream_options.include_usage: true`
 * on every stream so the ledger always gets usage (the client's own choice is applied by the core
 * when it writes chunks).
 */
export function buildOpenAICompatibleChatRequest(
  req: ChatCompletionRequest,
  ctx: AdapterContext,
  stream: boolean,
  prepare?: PrepareRequest,
): UpstreamRequest {
  const body: CompatRequestBody = { ...req, model: ctx.upstreamModel, messages: req.messages.map(stripExtensionFields) };
  if (stream) {
    body.stream = true;
    body.stream_options = { ...(req.stream_options ?? {}), include_usage: true };
  } else {
    if (req.stream_options != null) {
      throw new GatewayError("invalid_request", "stream_options is only allowed when stream is true.", { param: "stream_options" });
    }
    // The core decided on a non-streamed call; the upstream must agree.
    if (body.stream === true) body.stream = false;
  }
  prepare?.(body, req, ctx);
  return { url: joinUrl(ctx.baseUrl, "/chat/completions"), method: "POST", headers: bearerHeaders(ctx.apiKey), body: JSON.stringify(body) };
}

/** Embeddings are OpenAI-shaped already: passed through (`encoding_format`, `dimensions` kept). */
export function buildOpenAICompatibleEmbeddingsRequest(req: EmbeddingsRequest, ctx: AdapterContext): UpstreamRequest {
  const body = { ...req, model: ctx.upstreamModel };
  return { url: joinUrl(ctx.baseUrl, "/embeddings"), method: "POST", headers: bearerHeaders(ctx.apiKey), body: JSON.stringify(body) };
}

/** `GET /models` is free and fails with 401 for a bad key. */
export function buildOpenAICompatibleKeyCheckRequest(apiKey: string, baseUrl: string): UpstreamRequest {
  return { url: joinUrl(baseUrl, "/models"), method: "GET", headers: { authorization: `Bearer ${apiKey}` } };
}
