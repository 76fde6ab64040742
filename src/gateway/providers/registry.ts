import { anthropicAdapter } from "./anthropic/anthropic-adapter";
import { geminiAdapter } from "./gemini/gemini-adapter";
import { openaiAdapter } from "./openai/openai-adapter";
import { xaiAdapter } from "./xai/xai-adapter";
import type { ProviderAdapter, ProviderId } from "./types";

/** A provider missing here is a compile error. */
export const adapters = {
  openai: openaiAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
  xai: xaiAdapter,
} as const satisfies Record<ProviderId, ProviderAdapter>;
