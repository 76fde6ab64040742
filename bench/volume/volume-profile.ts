import { nanoUsdPerToken } from "../../src/gateway/pricing/compute-cost";
import { PRICE_VERSION, priceTable } from "../../src/gateway/pricing/price-table";
import { modelCatalog } from "../../src/gateway/routing/model-catalog";
import { seededRandom as prng } from "../../src/gateway/testing/stream-replay";

/**
 * What a realistic ledger of one organisation looks like, as plain data the seeder's SQL indexes
 * into (arrays, 1-based like SQL). Deterministic for a given seed.
 *
 * - 20 API keys with Zipf-like traffic (the busiest key ~25 % of requests). Each key belongs to one
 *   team and one environment, uses 3 features and mostly 4 "primary" models (55/25/12/8 %); 4 % of
 *   an application key's requests (30 % of a notebook key's) go to any catalog model by global
 *   popularity, so every catalog model appears, with a long tail. The three notebook/script keys
 *   send no tags; two keys are BYOK.
 * - Tags: env:*, feature:*, team:*, plus a bare "batch" tag on batch keys.
 * - One fine-tuned model outside the price table (unpriced rows, as in real ledgers).
 */

export interface VolumeModel {
  id: string;
  provider: string;
  kind: "chat" | "embedding";
  reasoning: boolean;
  /** Relative global popularity. */
  weight: number;
  /** Nano-USD per token: input, cached input, cache write, output; null = no price. */
  rates: [bigint, bigint, bigint, bigint] | null;
  /** Long-context tier: applies to the whole request above this many input tokens. */
  longContext: { above: number; rates: [bigint, bigint, bigint, bigint] } | null;
  /** Median time to first token and output speed. */
  ttftMs: number;
  tokensPerSecond: number;
}

export interface VolumeKey {
  id: string;
  name: string;
  team: string;
  env: string;
  byok: boolean;
  tagged: boolean;
  bareTag: string | null;
  /** Three feature names (weights 60/30/10 %); a tenth of requests carry none. */
  features: [string, string, string];
  /** Four model indexes (1-based into models), weights 55/25/12/8 %. */
  models: [number, number, number, number];
  /** Share of requests that go to the primary models (the rest: any model by popularity). */
  primaryShare: number;
  weight: number;
}

export interface VolumeProfile {
  models: VolumeModel[];
  keys: VolumeKey[];
  priceVersion: string;
  /** UTC hour-of-day traffic weights (24). */
  hourWeights: number[];
}

// Popularity of catalog models (unlisted catalog models get 0.3: still present, in the tail).
const POPULARITY: Record<string, number> = {
  "gpt-4.1-mini": 14,
  "claude-sonnet-4-5": 12,
  "gemini-2.5-flash": 10,
  "gpt-5-mini": 9,
  "claude-sonnet-4-6": 8,
  "gpt-4o": 6,
  "text-embedding-3-small": 6,
  "claude-haiku-4-5": 5,
  "gpt-5.4": 4,
  "gemini-3-flash-preview": 4,
  "gpt-4.1": 3,
  "gpt-5-nano": 3,
  "grok-4.3": 2.5,
  "o4-mini": 2,
  "gemini-2.5-pro": 2,
  "claude-opus-4-6": 1.5,
  "gemini-3.1-pro-preview": 1.5,
  "text-embedding-3-large": 1.2,
  "gemini-embedding-001": 1,
  "o3": 1,
  "gpt-4.1-nano": 1,
  "grok-3-mini": 0.8,
};

export const UNPRICED_MODEL = "ft:gpt-4.1-mini:acme:support-v2";

function rates(t: { input: string; cachedInput?: string; cacheWrite?: string; output: string }): [bigint, bigint, bigint, bigint] {
  const input = nanoUsdPerToken(t.input);
  return [input, t.cachedInput ? nanoUsdPerToken(t.cachedInput) : input, t.cacheWrite ? nanoUsdPerToken(t.cacheWrite) : input, nanoUsdPerToken(t.output)];
}

function speed(id: string): { ttftMs: number; tokensPerSecond: number } {
  if (/nano|mini|flash|haiku|fast|embedding/.test(id)) return { ttftMs: 350, tokensPerSecond: 160 };
  if (/opus|pro|^o3$|gpt-5\.4/.test(id)) return { ttftMs: 1_400, tokensPerSecond: 45 };
  return { ttftMs: 650, tokensPerSecond: 80 };
}

export { prng };

const NOTEBOOK_KEYS = new Set([4, 11, 17]);
const TEAMS = ["search", "support", "growth", "ml", "platform", "mobile"];
const FEATURES = ["chat", "code-review", "summarize", "search", "agent", "extract", "classify", "translate"];

export function buildProfile(seed = 1): VolumeProfile {
  const rand = prng(seed);
  const models: VolumeModel[] = modelCatalog.map((m) => {
    const price = priceTable[m.id];
    return {
      id: m.id,
      provider: m.provider,
      kind: m.kind,
      reasoning: m.reasoning !== undefined && m.reasoning !== "none",
      weight: POPULARITY[m.id] ?? 0.3,
      rates: price ? rates(price) : null,
      longContext: price?.longContext ? { above: price.longContext.aboveInputTokens, rates: rates(price.longContext) } : null,
      ...speed(m.id),
    };
  });
  models.push({ id: UNPRICED_MODEL, provider: "openai", kind: "chat", reasoning: false, weight: 0.2, rates: null, longContext: null, ttftMs: 300, tokensPerSecond: 150 });

  const byWeight = models.map((m, i) => ({ i: i + 1, w: m.weight })).sort((a, b) => b.w - a.w);
  const chatTop = byWeight.filter((x) => models[x.i - 1]!.kind === "chat").slice(0, 12);
  const embeddings = byWeight.filter((x) => models[x.i - 1]!.kind === "embedding");
  const keys: VolumeKey[] = [];
  for (let k = 0; k < 20; k++) {
    const team = TEAMS[k % TEAMS.length]!;
    const env = k % 5 === 3 ? "staging" : k % 10 === 9 ? "dev" : "prod";
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const pickWeighted = (xs: readonly { i: number; w: number }[]) => {
      let r = rand() * xs.reduce((sum, x) => sum + x.w, 0);
      for (const x of xs) if ((r -= x.w) < 0) return x;
      return xs[xs.length - 1]!;
    };
    const features = new Set<string>();
    while (features.size < 3) features.add(pick(FEATURES));
    // Chat models picked by popularity, the most popular of them first (55 %), so the popular
    // models lead overall; search-like keys embed as well (second, 25 %).
    const chat = new Set<number>();
    while (chat.size < (features.has("search") ? 3 : 4)) chat.add(pickWeighted(chatTop).i);
    const list = [...chat].sort((a, b) => models[b - 1]!.weight - models[a - 1]!.weight);
    if (features.has("search")) list.splice(1, 0, pickWeighted(embeddings).i);
    // The support team's busiest key uses the fine-tune as its fourth model.
    if (k === 1) list[3] = models.length;
    keys.push({
      id: `5eed${k.toString(16).padStart(4, "0")}-0000-4000-8000-${(0xa0000000 + k * 7919).toString(16).padStart(12, "0")}`,
      name: `${team}-${env}-${k + 1}`,
      team,
      env,
      byok: k === 7 || k === 13,
      tagged: !NOTEBOOK_KEYS.has(k),
      primaryShare: NOTEBOOK_KEYS.has(k) ? 0.7 : 0.96,
      bareTag: k % 6 === 5 ? "batch" : null,
      features: [...features] as [string, string, string],
      models: list as [number, number, number, number],
      // Zipf (s = 1.1) over the key rank.
      weight: 1 / Math.pow(k + 1, 1.1),
    });
  }
  const hourWeights = [2, 1.5, 1.2, 1, 1, 1.2, 2, 3, 4.5, 6, 7, 7.5, 8, 8.5, 9, 9, 8.5, 7.5, 6.5, 5.5, 4.5, 3.5, 3, 2.5];
  return { models, keys, priceVersion: PRICE_VERSION, hourWeights };
}

/** Cumulative lower bounds [0, w1, w1+w2, …] / total: `width_bucket(random(), bounds)` picks 1..n by weight. */
export function cumulative(weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  const out: number[] = [];
  let acc = 0;
  for (const w of weights) {
    out.push(acc / total);
    acc += w;
  }
  return out;
}

/**
 * Rows per day over `days` days: growing from 0.7 to 1.3 of the mean, weekends at half, ±10 %
 * noise; integers that add up to `rows` exactly.
 */
export function dailyRows(rows: number, days: number, firstDay: Date, seed = 1): number[] {
  const rand = prng(seed ^ 0x5eed);
  const weights = Array.from({ length: days }, (_, d) => {
    const dow = new Date(firstDay.getTime() + d * 86_400_000).getUTCDay();
    const trend = 0.7 + (0.6 * d) / Math.max(days - 1, 1);
    return trend * (dow === 0 || dow === 6 ? 0.5 : 1) * (0.9 + 0.2 * rand());
  });
  const total = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (rows * w) / total);
  const out = exact.map(Math.floor);
  let missing = rows - out.reduce((s, n) => s + n, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac);
  for (let j = 0; missing > 0; j = (j + 1) % order.length, missing--) out[order[j]!.i]!++;
  return out;
}
