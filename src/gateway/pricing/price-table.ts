/**
 * The versioned price table: list prices in USD per million tokens, as decimal strings so they
 * convert to integer nano-USD per token exactly (every price here has at most 3 decimals).
 *
 * Sources: provider-protocols.md §8, which both maintained tables agree with (pydantic
 * genai-prices 2026-07-25, LiteLLM 2026-07-24); `price-table.test.ts` checks every entry against
 * the LiteLLM copy in `__fixtures__/pricing/`. Bump `PRICE_VERSION` whenever a price changes: each
 * ledger row records the version it was priced with.
 */
export const PRICE_VERSION = "2026-07-25";

export interface PriceTier {
  input: string;
  /** Cache reads; absent when the provider has no cache discount for the model. */
  cachedInput?: string;
  /** Cache writes (Anthropic, 5-minute TTL = 1.25 × input). */
  cacheWrite?: string;
  output: string;
}

export interface ModelPrice extends PriceTier {
  /** A higher tier applied to the whole request once the prompt exceeds `aboveInputTokens`. */
  longContext?: PriceTier & { aboveInputTokens: number };
}

export const priceTable: Readonly<Record<string, ModelPrice>> = {
  // Anthropic
  "claude-opus-4-6": { input: "5", cachedInput: "0.5", cacheWrite: "6.25", output: "25" },
  "claude-sonnet-4-6": { input: "3", cachedInput: "0.3", cacheWrite: "3.75", output: "15" },
  "claude-sonnet-4-5": { input: "3", cachedInput: "0.3", cacheWrite: "3.75", output: "15" },
  "claude-haiku-4-5": { input: "1", cachedInput: "0.1", cacheWrite: "1.25", output: "5" },
  // OpenAI
  "gpt-5.4": {
    input: "2.5", cachedInput: "0.25", output: "15",
    longContext: { aboveInputTokens: 272_000, input: "5", cachedInput: "0.5", output: "22.5" },
  },
  "gpt-5-nano": { input: "0.05", cachedInput: "0.005", output: "0.4" },
  "gpt-5-mini": { input: "0.25", cachedInput: "0.025", output: "2" },
  "gpt-4.1": { input: "2", cachedInput: "0.5", output: "8" },
  "gpt-4.1-mini": { input: "0.4", cachedInput: "0.1", output: "1.6" },
  "gpt-4.1-nano": { input: "0.1", cachedInput: "0.025", output: "0.4" },
  "gpt-4o": { input: "2.5", cachedInput: "1.25", output: "10" },
  o3: { input: "2", cachedInput: "0.5", output: "8" },
  "o3-mini": { input: "1.1", cachedInput: "0.55", output: "4.4" },
  "o4-mini": { input: "1.1", cachedInput: "0.275", output: "4.4" },
  "text-embedding-3-small": { input: "0.02", output: "0" },
  "text-embedding-3-large": { input: "0.13", output: "0" },
  // Google Gemini
  "gemini-3.1-pro-preview": {
    input: "2", cachedInput: "0.2", output: "12",
    longContext: { aboveInputTokens: 200_000, input: "4", cachedInput: "0.4", output: "18" },
  },
  "gemini-3-flash-preview": { input: "0.5", cachedInput: "0.05", output: "3" },
  "gemini-2.5-pro": {
    input: "1.25", cachedInput: "0.125", output: "10",
    longContext: { aboveInputTokens: 200_000, input: "2.5", cachedInput: "0.25", output: "15" },
  },
  "gemini-2.5-flash": { input: "0.3", cachedInput: "0.03", output: "2.5" },
  "gemini-2.0-flash": { input: "0.1", cachedInput: "0.025", output: "0.4" },
  "gemini-embedding-001": { input: "0.15", output: "0" },
  // xAI
  "grok-4.3": { input: "1.25", cachedInput: "0.2", output: "2.5" },
  "grok-3-mini": { input: "0.3", cachedInput: "0.075", output: "0.5" },
  "grok-4-1-fast-reasoning": { input: "0.2", cachedInput: "0.05", output: "0.5" },
  "grok-4-1-fast-non-reasoning": { input: "0.2", cachedInput: "0.05", output: "0.5" },
  "grok-3": { input: "3", cachedInput: "0.75", output: "15" },
};
