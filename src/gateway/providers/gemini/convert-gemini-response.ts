import { GatewayError } from "../../errors";
import type { ChatCompletionChoice, OutputToolCall } from "../../openai/chat-response";
import { toOpenAIUsage } from "../../usage";
import type { AdapterContext, ChatResult } from "../types";
import { geminiGenerateContentResponseSchema, type GeminiCandidate, type GeminiGenerateContentResponse, type GeminiPart } from "./gemini-api";
import { convertGeminiUsage } from "./convert-gemini-usage";
import { geminiStreamError } from "./gemini-error";
import { mapGeminiFinishReason } from "./map-gemini-finish-reason";

/** Gemini `GenerateContentResponse` → OpenAI `chat.completion` (provider-protocols.md §4.3). */

/** Validates one response object (whole body or one stream event); a mismatch is the provider's fault. */
export function parseGeminiResponse(body: unknown): GeminiGenerateContentResponse {
  const parsed = geminiGenerateContentResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new GatewayError("upstream_bad_response", `Gemini: unexpected response shape (${parsed.error.issues[0]?.message ?? "invalid"}).`, { cause: parsed.error });
  }
  return parsed.data;
}

/**
 * A functionCall part → an OpenAI tool call. The Developer API sends no call ids, so one is
 * synthesized (kept when Gemini does send one). The thought signature travels to the client as
 * `extra_content.google.thought_signature` (the name Google's own OpenAI layer uses) and is also
 * kept server-side under the call id for clients that do not echo unknown fields.
 */
export function toolCallFromPart(call: NonNullable<GeminiPart["functionCall"]>, thoughtSignature: string | undefined, ctx: AdapterContext): OutputToolCall {
  const id = call.id ?? `call_${ctx.newId()}`;
  const toolCall: OutputToolCall = { id, type: "function", function: { name: call.name, arguments: JSON.stringify(call.args ?? {}) } };
  if (thoughtSignature !== undefined) {
    toolCall.extra_content = { google: { thought_signature: thoughtSignature } };
    ctx.reasoningState.set(id, { provider: "gemini", thoughtSignature });
  }
  return toolCall;
}

export function convertGeminiResponse(body: unknown, ctx: AdapterContext): ChatResult {
  const response = parseGeminiResponse(body);
  if (response.error) throw geminiStreamError(response.error, JSON.stringify(body));

  const candidates = response.candidates ?? [];
  let choices: ChatCompletionChoice[];
  if (candidates.length > 0) {
    choices = candidates.map((c, pos) => convertCandidate(c, c.index ?? pos, ctx)).sort((a, b) => a.index - b.index);
  } else if (response.promptFeedback?.blockReason !== undefined) {
    // The prompt itself was blocked: no candidates at all.
    choices = [{ index: 0, message: { role: "assistant", content: "", refusal: null }, logprobs: null, finish_reason: "content_filter" }];
  } else {
    throw new GatewayError("upstream_bad_response", "Gemini: the response has no candidates and no block reason.");
  }

  const usage = convertGeminiUsage(response.usageMetadata);
  return {
    completion: {
      id: response.responseId ?? `chatcmpl-${ctx.newId()}`,
      object: "chat.completion",
      created: Math.floor(ctx.now() / 1000),
      model: response.modelVersion ?? ctx.upstreamModel,
      choices,
      usage: toOpenAIUsage(usage),
    },
    usage,
  };
}

function convertCandidate(candidate: GeminiCandidate, index: number, ctx: AdapterContext): ChatCompletionChoice {
  let content = "";
  let reasoning = "";
  const toolCalls: OutputToolCall[] = [];
  // A blocked candidate comes as `content: {}` without parts.
  for (const part of candidate.content?.parts ?? []) {
    if (part.functionCall) toolCalls.push(toolCallFromPart(part.functionCall, part.thoughtSignature, ctx));
    else if (part.text !== undefined) {
      if (part.thought === true) reasoning += part.text;
      else content += part.text;
    }
    // Signatures on text parts are not kept: Gemini validates them only on functionCall parts,
    // and an OpenAI message has no per-text field to carry them.
  }
  return {
    index,
    message: {
      role: "assistant",
      // OpenAI's convention: `null` when the turn is only tool calls, otherwise a string ("" when blocked).
      content: content === "" && toolCalls.length > 0 ? null : content,
      refusal: null,
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
      ...(reasoning !== "" ? { reasoning_content: reasoning } : {}),
    },
    logprobs: null,
    finish_reason: mapGeminiFinishReason(candidate.finishReason, toolCalls.length > 0),
  };
}
