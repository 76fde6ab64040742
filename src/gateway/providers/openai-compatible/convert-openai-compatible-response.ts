import type { ChatCompletion, ChatCompletionMessage, EmbeddingsResponse } from "../../openai/chat-response";
import { GatewayError } from "../../errors";
import { toOpenAIUsage, type NormalizedUsage } from "../../usage";
import type { ChatResult, EmbeddingsResult } from "../types";
import { compatCompletionSchema, compatEmbeddingsResponseSchema, type CompatUsage } from "./openai-compatible-api";
import { mapOpenAICompatibleFinishReason } from "./map-openai-compatible-finish-reason";
import { parseOpenAICompatibleStreamError, type RefineError } from "./openai-compatible-error";

/** Provider hook: the provider's usage arithmetic → NormalizedUsage (OpenAI and xAI differ, §5.2). */
export type ConvertUsage = (usage: CompatUsage | null | undefined) => NormalizedUsage;

/**
 * chat-response.ts types `refusal` and `logprobs` as `null`, yet OpenAI sends a refusal string
 * (structured outputs) and a logprobs object (when the client asked for them). The upstream value
 * is passed on rather than dropped; the contract types should be widened to match.
 */
export function passThroughTypedNull(value: unknown): null {
  return (value ?? null) as null;
}

function badResponse(displayName: string, what: string, body: unknown, cause: unknown): GatewayError {
  return new GatewayError("upstream_bad_response", `${displayName}: ${what}`, {
    upstreamBody: JSON.stringify(body)?.slice(0, 8192),
    cause,
  });
}

export function parseOpenAICompatibleChatResponse(
  displayName: string,
  body: unknown,
  convertUsage: ConvertUsage,
  refineError?: RefineError,
): ChatResult {
  const parsed = compatCompletionSchema.safeParse(body);
  if (!parsed.success) {
    // A 200 that carries an error object is still a provider error, not a malformed answer.
    throw parseOpenAICompatibleStreamError(displayName, body, refineError) ?? badResponse(displayName, "unexpected chat completion shape", body, parsed.error);
  }
  const wire = parsed.data;
  const usage = convertUsage(wire.usage);
  const completion: ChatCompletion = {
    id: wire.id,
    object: "chat.completion",
    created: wire.created,
    model: wire.model,
    choices: wire.choices.map((choice) => {
      const m = choice.message;
      const toolCalls = m.tool_calls ?? [];
      const message: ChatCompletionMessage = {
        role: "assistant",
        // xAI answers a tool-call-only turn with `content: ""`; OpenAI with `null` (§5.2). Normalised
        // to OpenAI's `null` so clients that test `content === null` behave the same on both.
        content: toolCalls.length > 0 && m.content === "" ? null : (m.content ?? null),
        refusal: passThroughTypedNull(m.refusal),
      };
      if (toolCalls.length > 0) {
        message.tool_calls = toolCalls.map((c) => ({
          id: c.id,
          type: "function",
          function: { name: c.function.name, arguments: c.function.arguments ?? "" },
        }));
      }
      if (typeof m.reasoning_content === "string") message.reasoning_content = m.reasoning_content;
      return {
        index: choice.index,
        message,
        logprobs: passThroughTypedNull(choice.logprobs),
        // A complete non-streamed answer without a reason has simply stopped.
        finish_reason: mapOpenAICompatibleFinishReason(choice.finish_reason) ?? "stop",
      };
    }),
    // Rebuilt from the normalised usage so every provider's totals follow OpenAI's arithmetic.
    usage: toOpenAIUsage(usage),
  };
  if (wire.system_fingerprint !== undefined) completion.system_fingerprint = wire.system_fingerprint;
  if (wire.service_tier !== undefined) completion.service_tier = wire.service_tier;
  return { completion, usage };
}

export function parseOpenAICompatibleEmbeddingsResponse(displayName: string, body: unknown): EmbeddingsResult {
  const parsed = compatEmbeddingsResponseSchema.safeParse(body);
  if (!parsed.success) throw badResponse(displayName, "unexpected embeddings shape", body, parsed.error);
  const wire = parsed.data;
  const promptTokens = wire.usage?.prompt_tokens ?? 0;
  const response: EmbeddingsResponse = {
    object: "list",
    data: wire.data.map((d) => ({ object: "embedding", index: d.index, embedding: d.embedding })),
    model: wire.model,
    usage: { prompt_tokens: promptTokens, total_tokens: wire.usage?.total_tokens ?? promptTokens },
  };
  return {
    response,
    usage: { inputTokens: promptTokens, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 },
    verbatim: holdsOnly(body, response),
  };
}

const onlyKeys = (value: unknown, keys: ReadonlySet<string>): boolean =>
  typeof value === "object" && value !== null && Object.keys(value).every((k) => keys.has(k));
const LIST_KEYS = new Set(["object", "data", "model", "usage"]);
const ITEM_KEYS = new Set(["object", "index", "embedding"]);
const USAGE_KEYS = new Set(["prompt_tokens", "total_tokens"]);

/** True when the wire body has no key `response` lacks and the same values where they could differ. */
function holdsOnly(body: unknown, response: EmbeddingsResponse): boolean {
  const wire = body as { object?: unknown; data: Array<{ object?: unknown }>; usage?: { prompt_tokens?: unknown; total_tokens?: unknown } | null };
  return (
    wire.object === "list" &&
    onlyKeys(body, LIST_KEYS) &&
    wire.data.every((d) => d.object === "embedding" && onlyKeys(d, ITEM_KEYS)) &&
    onlyKeys(wire.usage, USAGE_KEYS) &&
    wire.usage?.prompt_tokens === response.usage.prompt_tokens &&
    wire.usage?.total_tokens === response.usage.total_tokens
  );
}
