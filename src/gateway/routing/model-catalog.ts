import type { ProviderId } from "../providers/provider-id";

/**
 * The model catalog: what the gateway knows about each model it lists. Data, not code paths:
 * a model routed by prefix but missing here still works (priced `null`, flagged in the ledger).
 */
export interface ModelInfo {
  id: string;
  provider: ProviderId;
  kind: "chat" | "embedding";
  /** Other names clients may use for the same model (dated snapshots). */
  aliases?: readonly string[];
  /** Largest `max_tokens` the model accepts; used for Anthropic's required `max_tokens`. */
  maxOutputTokens?: number;
  /**
   * How `reasoning_effort` maps:
   * - `openai-reasoning`: OpenAI o-series / gpt-5 — `max_completion_tokens` only, no `temperature`.
   * - `anthropic-budget`: `thinking: {type: "enabled", budget_tokens}`.
   * - `anthropic-adaptive`: `thinking: {type: "adaptive"}` + `output_config.effort`.
   * - `gemini-budget`: Gemini 2.5 `thinkingConfig.thinkingBudget`.
   * - `gemini-level`: Gemini 3.x `thinkingConfig.thinkingLevel`.
   * - `xai-effort`: passes `reasoning_effort` (grok-3-mini: low/high; grok-4.3: none/low/medium/high).
   * - `none`: the model takes no reasoning parameter (400 when one is sent).
   */
  reasoning?: "openai-reasoning" | "anthropic-budget" | "anthropic-adaptive" | "gemini-budget" | "gemini-level" | "xai-effort" | "none";
  /** Accepted `reasoning_effort` values where the provider restricts them. */
  reasoningEfforts?: readonly string[];
  /** Shown in /models; the provider still decides whether the id is served. */
  deprecation?: { date: string; replacement?: string; source: string };
}

export const modelCatalog: readonly ModelInfo[] = [
  // Anthropic
  { id: "claude-opus-4-6", provider: "anthropic", kind: "chat", aliases: ["claude-opus-4-6-20260205"], maxOutputTokens: 128000, reasoning: "anthropic-adaptive" },
  { id: "claude-sonnet-4-6", provider: "anthropic", kind: "chat", maxOutputTokens: 64000, reasoning: "anthropic-adaptive" },
  { id: "claude-sonnet-4-5", provider: "anthropic", kind: "chat", aliases: ["claude-sonnet-4-5-20250929"], maxOutputTokens: 64000, reasoning: "anthropic-budget" },
  { id: "claude-haiku-4-5", provider: "anthropic", kind: "chat", aliases: ["claude-haiku-4-5-20251001"], maxOutputTokens: 64000, reasoning: "anthropic-budget" },
  // OpenAI
  { id: "gpt-5.4", provider: "openai", kind: "chat", aliases: ["gpt-5.4-2026-03-05"], maxOutputTokens: 128000, reasoning: "openai-reasoning" },
  { id: "gpt-5-nano", provider: "openai", kind: "chat", aliases: ["gpt-5-nano-2025-08-07"], maxOutputTokens: 128000, reasoning: "openai-reasoning" },
  { id: "gpt-5-mini", provider: "openai", kind: "chat", aliases: ["gpt-5-mini-2025-08-07"], maxOutputTokens: 128000, reasoning: "openai-reasoning" },
  { id: "gpt-4.1", provider: "openai", kind: "chat", aliases: ["gpt-4.1-2025-04-14"], maxOutputTokens: 32768, reasoning: "none" },
  { id: "gpt-4.1-mini", provider: "openai", kind: "chat", aliases: ["gpt-4.1-mini-2025-04-14"], maxOutputTokens: 32768, reasoning: "none" },
  { id: "gpt-4.1-nano", provider: "openai", kind: "chat", aliases: ["gpt-4.1-nano-2025-04-14"], maxOutputTokens: 32768, reasoning: "none" },
  { id: "gpt-4o", provider: "openai", kind: "chat", maxOutputTokens: 16384, reasoning: "none" },
  { id: "o3", provider: "openai", kind: "chat", aliases: ["o3-2025-04-16"], maxOutputTokens: 100000, reasoning: "openai-reasoning" },
  { id: "o3-mini", provider: "openai", kind: "chat", aliases: ["o3-mini-2025-01-31"], maxOutputTokens: 100000, reasoning: "openai-reasoning" },
  { id: "o4-mini", provider: "openai", kind: "chat", aliases: ["o4-mini-2025-04-16"], maxOutputTokens: 100000, reasoning: "openai-reasoning" },
  { id: "text-embedding-3-small", provider: "openai", kind: "embedding" },
  { id: "text-embedding-3-large", provider: "openai", kind: "embedding" },
  // Google Gemini
  { id: "gemini-3.1-pro-preview", provider: "gemini", kind: "chat", maxOutputTokens: 65536, reasoning: "gemini-level" },
  { id: "gemini-3-flash-preview", provider: "gemini", kind: "chat", maxOutputTokens: 65535, reasoning: "gemini-level" },
  {
    id: "gemini-2.5-pro", provider: "gemini", kind: "chat", maxOutputTokens: 65535, reasoning: "gemini-budget",
    deprecation: { date: "2026-06-17", replacement: "gemini-3.1-pro-preview", source: "Google Gemini deprecations page" },
  },
  {
    id: "gemini-2.5-flash", provider: "gemini", kind: "chat", maxOutputTokens: 65535, reasoning: "gemini-budget",
    deprecation: { date: "2026-06-17", replacement: "gemini-3-flash-preview", source: "Google Gemini deprecations page" },
  },
  {
    id: "gemini-2.0-flash", provider: "gemini", kind: "chat", aliases: ["gemini-2.0-flash-001"], maxOutputTokens: 8192, reasoning: "none",
    deprecation: { date: "2026-02-01", replacement: "gemini-2.5-flash", source: "Google Gemini deprecations page (earliest shutdown)" },
  },
  { id: "gemini-embedding-001", provider: "gemini", kind: "embedding" },
  // xAI
  { id: "grok-4.3", provider: "xai", kind: "chat", reasoning: "xai-effort", reasoningEfforts: ["none", "low", "medium", "high"] },
  { id: "grok-3-mini", provider: "xai", kind: "chat", reasoning: "xai-effort", reasoningEfforts: ["low", "high"] },
  {
    id: "grok-4-1-fast-reasoning", provider: "xai", kind: "chat", reasoning: "none",
    deprecation: { date: "2026-05-15", replacement: "grok-4.3", source: "xAI May 15 retirement guide" },
  },
  {
    id: "grok-4-1-fast-non-reasoning", provider: "xai", kind: "chat", reasoning: "none",
    deprecation: { date: "2026-05-15", replacement: "grok-4.3", source: "xAI May 15 retirement guide" },
  },
  {
    id: "grok-3", provider: "xai", kind: "chat", reasoning: "none",
    deprecation: { date: "2026-05-15", replacement: "grok-4.3", source: "xAI May 15 retirement guide" },
  },
];

const byName = new Map<string, ModelInfo>();
for (const m of modelCatalog) {
  byName.set(m.id, m);
  for (const a of m.aliases ?? []) byName.set(a, m);
}

export function findModel(name: string): ModelInfo | undefined {
  return byName.get(name);
}
