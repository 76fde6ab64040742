import { emptyUsage, type NormalizedUsage } from "../../usage";
import type { GeminiUsageMetadata } from "./gemini-api";

/**
 * Gemini `usageMetadata` → NormalizedUsage (provider-protocols.md §4.5).
 *
 * Gemini counts cached tokens inside `promptTokenCount` (so they stay a subset of the input) and
 * thinking tokens outside `candidatesTokenCount` (so they are added to the output): e.g.
 * thought-stream.sse reports 34 prompt + 469 candidates + 787 thoughts = 1290 total.
 * `toolUsePromptTokenCount` (tool/grounding results fed back to the model) is billed as input.
 */
export function convertGeminiUsage(usage: GeminiUsageMetadata | undefined): NormalizedUsage {
  if (!usage) return emptyUsage();
  const thoughts = usage.thoughtsTokenCount ?? 0;
  return {
    inputTokens: (usage.promptTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0),
    cachedInputTokens: usage.cachedContentTokenCount ?? 0,
    cacheWriteTokens: 0,
    outputTokens: (usage.candidatesTokenCount ?? 0) + thoughts,
    reasoningTokens: thoughts,
  };
}
