import type { NormalizedUsage } from "../../usage";
import type { CompatUsage } from "../openai-compatible/openai-compatible-api";

/**
 * OpenAI's arithmetic is the reference (provider-protocols.md §1.1): `prompt_tokens` includes the
 * cached tokens, `completion_tokens` includes the reasoning tokens. OpenAI has no cache writes.
 */
export function convertOpenAIUsage(usage: CompatUsage | null | undefined): NormalizedUsage {
  return {
    inputTokens: usage?.prompt_tokens ?? 0,
    cachedInputTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: 0,
    outputTokens: usage?.completion_tokens ?? 0,
    reasoningTokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}
