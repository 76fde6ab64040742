import type { FinishReason } from "../../openai/chat-response";

/**
 * Gemini `finishReason` → OpenAI `finish_reason` (provider-protocols.md §4.4).
 *
 * Gemini never says "tool use": a function-call turn ends with `STOP`, so the caller passes whether
 * the candidate contained a functionCall part. Clients with typed enums break on values outside the
 * OpenAI set, so every Gemini value lands on one of the four.
 */

const contentFilterReasons = new Set([
  "SAFETY",
  "RECITATION",
  "BLOCKLIST",
  "PROHIBITED_CONTENT",
  "SPII",
  "IMAGE_SAFETY",
  "IMAGE_PROHIBITED_CONTENT",
  "IMAGE_RECITATION",
  "IMAGE_OTHER",
  // `OTHER` and `LANGUAGE` stop the answer for policy-like reasons; LiteLLM maps them the same way.
  "OTHER",
  "LANGUAGE",
  "MODEL_ARMOR",
]);

export function mapGeminiFinishReason(reason: string | undefined, sawFunctionCall: boolean): FinishReason {
  if (reason === "MAX_TOKENS") return "length";
  if (reason !== undefined && contentFilterReasons.has(reason)) return "content_filter";
  if (reason === "STOP" && sawFunctionCall) return "tool_calls";
  // STOP, FINISH_REASON_UNSPECIFIED, MALFORMED_FUNCTION_CALL, UNEXPECTED_TOOL_CALL,
  // MISSING_THOUGHT_SIGNATURE, TOO_MANY_TOOL_CALLS and values newer than this table.
  return "stop";
}
