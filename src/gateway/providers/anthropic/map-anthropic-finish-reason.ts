import type { FinishReason } from "../../openai/chat-response";

/**
 * Anthropic `stop_reason` → OpenAI `finish_reason` (provider-protocols.md §3.4).
 * Unknown or missing values become `stop` rather than failing a response that otherwise succeeded.
 */
export function mapAnthropicFinishReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case "end_turn":
    case "stop_sequence":
    case "pause_turn":
      return "stop";
    case "max_tokens":
    case "model_context_window_exceeded":
    case "compaction":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      return "stop";
  }
}

/**
 * In JSON mode (`response_format: json_object`) the forced tool call *is* the answer, so a
 * `tool_use` stop is a normal end of message for the client.
 */
export function mapAnthropicFinishReasonForJsonMode(stopReason: string | null | undefined): FinishReason {
  const mapped = mapAnthropicFinishReason(stopReason);
  return mapped === "tool_calls" ? "stop" : mapped;
}
