import type { OpenAIUsage } from "./openai/chat-response";

/**
 * Usage normalised once, whatever the provider (architecture.md "Provider adapters").
 *
 * - `inputTokens`: every prompt token, including those read from and written to the cache.
 * - `cachedInputTokens`: the subset of `inputTokens` read from the cache.
 * - `cacheWriteTokens`: the subset of `inputTokens` written to the cache (Anthropic).
 * - `outputTokens`: every completion token, including reasoning.
 * - `reasoningTokens`: the subset of `outputTokens` spent on reasoning.
 */
export interface NormalizedUsage {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
}

export const emptyUsage = (): NormalizedUsage => ({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
});

export function toOpenAIUsage(u: NormalizedUsage): OpenAIUsage {
  const usage: OpenAIUsage = {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cachedInputTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: u.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
  if (u.cacheWriteTokens > 0) usage.cache_creation_input_tokens = u.cacheWriteTokens;
  return usage;
}
