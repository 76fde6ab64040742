import type { NormalizedUsage } from "../usage";
import type { PricingStatus } from "../usage-event";
import { PRICE_VERSION, priceTable, type ModelPrice, type PriceTier } from "./price-table";

export interface CostResult {
  /** Integer nano-USD (1e-9 USD); `null` when the model has no price — never a made-up 0. */
  costNanoUsd: bigint | null;
  priceVersion: string | null;
  pricingStatus: PricingStatus;
}

/** "0.025" USD per million tokens → 25 nano-USD per token, exactly (no floating point). */
export function nanoUsdPerToken(pricePerMTok: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,3}))?$/.exec(pricePerMTok);
  if (!m) throw new Error(`price "${pricePerMTok}" is not a decimal with at most 3 places`);
  return BigInt(m[1]!) * 1000n + BigInt((m[2] ?? "").padEnd(3, "0"));
}

function tierFor(price: ModelPrice, inputTokens: number): PriceTier {
  return price.longContext && inputTokens > price.longContext.aboveInputTokens ? price.longContext : price;
}

/**
 * Prices normalised usage once. Cached reads and cache writes are subsets of `inputTokens` and
 * are billed at their own rates instead of the input rate; reasoning is billed as output.
 */
export function computeCost(pricedModelId: string | undefined, usage: NormalizedUsage): CostResult {
  const price = pricedModelId === undefined ? undefined : priceTable[pricedModelId];
  if (!price) return { costNanoUsd: null, priceVersion: null, pricingStatus: "unknown_model" };
  const tier = tierFor(price, usage.inputTokens);
  const input = nanoUsdPerToken(tier.input);
  const cached = tier.cachedInput === undefined ? input : nanoUsdPerToken(tier.cachedInput);
  const write = tier.cacheWrite === undefined ? input : nanoUsdPerToken(tier.cacheWrite);
  const output = nanoUsdPerToken(tier.output);
  const uncached = Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens);
  const cost =
    BigInt(uncached) * input +
    BigInt(usage.cachedInputTokens) * cached +
    BigInt(usage.cacheWriteTokens) * write +
    BigInt(usage.outputTokens) * output;
  return { costNanoUsd: cost, priceVersion: PRICE_VERSION, pricingStatus: "priced" };
}

/** Exact decimal string of a nano-USD amount, e.g. 1234n → "0.000001234". */
export function formatNanoUsd(nano: bigint): string {
  const negative = nano < 0n;
  const abs = negative ? -nano : nano;
  const whole = abs / 1_000_000_000n;
  const frac = (abs % 1_000_000_000n).toString().padStart(9, "0");
  return `${negative ? "-" : ""}${whole}.${frac}`;
}

/** Integer micro-USD, rounded half up (the REST API's `cost_micro_usd`). */
export function nanoToMicroUsd(nano: bigint): bigint {
  return (nano + 500n) / 1000n;
}
