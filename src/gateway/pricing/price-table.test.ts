import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { priceTable } from "./price-table";
import { nanoUsdPerToken } from "./compute-cost";
import { modelCatalog } from "../routing/model-catalog";

type LiteLlmEntry = {
  input_cost_per_token?: number;
  cache_read_input_token_cost?: number;
  cache_creation_input_token_cost?: number;
  output_cost_per_token?: number;
};
const litellm = JSON.parse(
  readFileSync(join(import.meta.dirname, "../__fixtures__/pricing/litellm.model_prices_and_context_window.json"), "utf8"),
) as Record<string, LiteLlmEntry>;

/** LiteLLM's USD-per-token float → nano-USD per token (rounded: the float itself is inexact). */
const nano = (perToken: number | undefined) => (perToken === undefined ? undefined : BigInt(Math.round(perToken * 1e9)));

describe("price table", () => {
  it("prices every catalog model", () => {
    for (const m of modelCatalog) expect(priceTable[m.id], m.id).toBeDefined();
  });

  for (const [id, price] of Object.entries(priceTable)) {
    it(`${id} agrees with the maintained LiteLLM table`, () => {
      const entry = litellm[id] ?? litellm[`gemini/${id}`] ?? litellm[`xai/${id}`];
      expect(entry, `no LiteLLM entry for ${id}`).toBeDefined();
      expect(nanoUsdPerToken(price.input)).toBe(nano(entry!.input_cost_per_token));
      expect(nanoUsdPerToken(price.output)).toBe(nano(entry!.output_cost_per_token ?? 0));
      if (price.cachedInput !== undefined) expect(nanoUsdPerToken(price.cachedInput)).toBe(nano(entry!.cache_read_input_token_cost));
      if (price.cacheWrite !== undefined) expect(nanoUsdPerToken(price.cacheWrite)).toBe(nano(entry!.cache_creation_input_token_cost));
    });
  }
});
