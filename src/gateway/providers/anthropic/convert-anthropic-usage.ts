import type { NormalizedUsage } from "../../usage";
import type { AnthropicUsage } from "./anthropic-api";

/**
 * Anthropic usage → NormalizedUsage (provider-protocols.md §3.5).
 *
 * Anthropic's `input_tokens` counts only the uncached part of the prompt; cache reads and writes
 * are disjoint counts, so the whole prompt is their sum. `output_tokens` already includes thinking.
 */
export function convertAnthropicUsage(usage: AnthropicUsage | null | undefined): NormalizedUsage {
  const input = usage?.input_tokens ?? 0;
  const cacheWrite = usage?.cache_creation_input_tokens ?? 0;
  const cacheRead = usage?.cache_read_input_tokens ?? 0;
  return {
    inputTokens: input + cacheWrite + cacheRead,
    cachedInputTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    outputTokens: usage?.output_tokens ?? 0,
    reasoningTokens: usage?.output_tokens_details?.thinking_tokens ?? 0,
  };
}

/**
 * Folds a later usage report (`message_delta`) into an earlier one (`message_start`): every count
 * the later report restates wins, since `message_delta` totals are cumulative and may correct
 * the input counts announced at the start.
 */
export function mergeAnthropicUsage(earlier: AnthropicUsage, later: AnthropicUsage | null | undefined): AnthropicUsage {
  if (!later) return earlier;
  return {
    input_tokens: later.input_tokens ?? earlier.input_tokens,
    output_tokens: later.output_tokens ?? earlier.output_tokens,
    cache_creation_input_tokens: later.cache_creation_input_tokens ?? earlier.cache_creation_input_tokens,
    cache_read_input_tokens: later.cache_read_input_tokens ?? earlier.cache_read_input_tokens,
    output_tokens_details: later.output_tokens_details ?? earlier.output_tokens_details,
  };
}
