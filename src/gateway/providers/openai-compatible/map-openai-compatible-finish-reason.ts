import type { FinishReason } from "../../openai/chat-response";

const known: ReadonlySet<string> = new Set<FinishReason>(["stop", "length", "tool_calls", "content_filter"]);

/**
 * OpenAI-compatible finish reasons are already OpenAI's, so they are kept as sent. Anything else
 * (the legacy `function_call`, a vendor extension) becomes `stop`: clients with typed enums break on
 * values outside the set (provider-protocols.md §1.1). `null`/absent means "not finished yet".
 */
export function mapOpenAICompatibleFinishReason(reason: string | null | undefined): FinishReason | null {
  if (reason == null) return null;
  return known.has(reason) ? (reason as FinishReason) : "stop";
}
