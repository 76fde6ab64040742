import { describe, expect, it } from "vitest";
import { computeCost, formatNanoUsd, nanoToMicroUsd, nanoUsdPerToken } from "./compute-cost";
import { emptyUsage } from "../usage";

const usage = (u: Partial<ReturnType<typeof emptyUsage>>) => ({ ...emptyUsage(), ...u });

describe("computeCost", () => {
  it("converts decimal prices exactly", () => {
    expect(nanoUsdPerToken("0.025")).toBe(25n);
    expect(nanoUsdPerToken("15")).toBe(15000n);
    expect(nanoUsdPerToken("0.275")).toBe(275n);
    expect(() => nanoUsdPerToken("0.0001")).toThrow();
  });

  it("bills Anthropic cache reads and writes at their own rates (cache-read fixture numbers)", () => {
    // input 3 uncached + 418 written + 1111 read = 1532 prompt tokens; 10 output
    const r = computeCost("claude-sonnet-4-6", usage({ inputTokens: 1532, cachedInputTokens: 1111, cacheWriteTokens: 418, outputTokens: 10 }));
    // 3×3000 + 1111×300 + 418×3750 + 10×15000 nano-USD
    expect(r.costNanoUsd).toBe(3n * 3000n + 1111n * 300n + 418n * 3750n + 10n * 15000n);
    expect(r.pricingStatus).toBe("priced");
    expect(r.priceVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("bills reasoning as output and cached OpenAI tokens at the cached rate", () => {
    // o3-mini fixture: 7 prompt, 87 completion (64 reasoning)
    const r = computeCost("o3-mini", usage({ inputTokens: 7, outputTokens: 87, reasoningTokens: 64 }));
    expect(r.costNanoUsd).toBe(7n * 1100n + 87n * 4400n);
    const cached = computeCost("gpt-4.1-nano", usage({ inputTokens: 1000, cachedInputTokens: 600, outputTokens: 1 }));
    expect(cached.costNanoUsd).toBe(400n * 100n + 600n * 25n + 1n * 400n);
  });

  it("switches the whole request to the long-context tier above the threshold", () => {
    const below = computeCost("gemini-2.5-pro", usage({ inputTokens: 200_000, outputTokens: 100 }));
    const above = computeCost("gemini-2.5-pro", usage({ inputTokens: 200_001, outputTokens: 100 }));
    expect(below.costNanoUsd).toBe(200_000n * 1250n + 100n * 10000n);
    expect(above.costNanoUsd).toBe(200_001n * 2500n + 100n * 15000n);
  });

  it("never invents a price: unknown models are null and flagged", () => {
    expect(computeCost("claude-unknown-9", usage({ inputTokens: 10 }))).toEqual({ costNanoUsd: null, priceVersion: null, pricingStatus: "unknown_model" });
    expect(computeCost(undefined, usage({ inputTokens: 10 })).costNanoUsd).toBeNull();
  });

  it("formats money exactly", () => {
    expect(formatNanoUsd(1234n)).toBe("0.000001234");
    expect(formatNanoUsd(12_345_678_901n)).toBe("12.345678901");
    expect(nanoToMicroUsd(1499n)).toBe(1n);
    expect(nanoToMicroUsd(1500n)).toBe(2n);
  });
});
