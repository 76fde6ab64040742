import type { NormalizedUsage } from "../../usage";
import type { CompatUsage } from "../openai-compatible/openai-compatible-api";

/**
 * xAI's `completion_tokens` EXCLUDES reasoning (12 prompt + 1 completion + 228 reasoning = 241 total,
 * [F: xai/chat-reasoning.json]), unlike OpenAI's (provider-protocols.md §5.2). The normalised output
 * is therefore completion + reasoning. Should xAI ever switch to OpenAI's arithmetic, `total_tokens`
 * shows it (total = prompt + completion while reasoning > 0) and the reasoning is not added twice.
 */
export function convertXaiUsage(usage: CompatUsage | null | undefined): NormalizedUsage {
  const prompt = usage?.prompt_tokens ?? 0;
  const completion = usage?.completion_tokens ?? 0;
  const reasoning = usage?.completion_tokens_details?.reasoning_tokens ?? 0;
  const total = usage?.total_tokens;
  const reasoningIncluded = reasoning > 0 && total != null && total === prompt + completion;
  return {
    inputTokens: prompt,
    cachedInputTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: 0,
    outputTokens: reasoningIncluded ? completion : completion + reasoning,
    reasoningTokens: reasoning,
  };
}
