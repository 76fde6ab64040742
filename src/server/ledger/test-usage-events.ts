import type { UsageEvent } from "@/gateway/usage-event";
import type { ProviderId } from "@/gateway/providers/types";
import { seededRandom as prng } from "@/gateway/testing/stream-replay";

/** Usage events for the ledger's tests (test support only; nothing in the app imports it). */
export function sampleEvent(over: Partial<UsageEvent> = {}): UsageEvent {
  return {
    id: "6f1c2a52-8d0e-4f7e-9a51-0c1d2e3f4a5b",
    createdAt: new Date("2026-12-04T10:15:30.123Z"),
    endpoint: "chat",
    apiKeyId: "0d9b1f0e-1111-4222-8333-944445555666",
    provider: "anthropic",
    model: "claude-sonnet-4-5",
    status: "success",
    httpStatus: 200,
    errorCode: null,
    errorMessage: null,
    upstreamStatus: null,
    streamed: true,
    byok: false,
    inputTokens: 1200,
    cachedInputTokens: 800,
    cacheWriteTokens: 0,
    outputTokens: 300,
    reasoningTokens: 120,
    costNanoUsd: 12_345_678_901n,
    priceVersion: "2026-12-01",
    pricingStatus: "priced",
    latencyMs: 2300,
    ttftMs: 450,
    tags: ["env:prod", "team:search"],
    conversationId: "conv-1",
    requestId: "req-1",
    traceId: null,
    ...over,
  };
}


function uuidFrom(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const API_KEYS = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222", "33333333-3333-4333-8333-333333333333", null];
const PROVIDERS: (ProviderId | null)[] = ["openai", "anthropic", "gemini", "xai", null];
const MODELS = ["gpt-4.1-mini", "claude-sonnet-4-5", "gemini-2.5-flash", "grok-4"];
const TAGS = ["env:prod", "env:dev", "team:a", "team:b", "feature:search", "beta", "customer:ü-文字"];
const STATUSES = ["success", "success", "success", "error", "cancelled"] as const;

/**
 * Varied events over `hours` hours before `end`: every key/provider/status/tag combination and
 * the nullable fields both set and null, with ids unique per seed.
 */
export function randomEvents(count: number, seed: number, options: { hours?: number; end?: number } = {}): UsageEvent[] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const end = options.end ?? Date.UTC(2026, 11, 4, 12);
  const span = (options.hours ?? 6) * 3_600_000;
  return Array.from({ length: count }, (_, i) => {
    const status = pick(STATUSES);
    const tags = TAGS.filter(() => rand() < 0.3).sort();
    return {
      id: uuidFrom(rand),
      createdAt: new Date(end - Math.floor(rand() * span)),
      endpoint: rand() < 0.9 ? "chat" : "embeddings",
      apiKeyId: pick(API_KEYS),
      provider: pick(PROVIDERS),
      model: pick(MODELS),
      status,
      httpStatus: status === "success" ? 200 : status === "error" ? 502 : 499,
      errorCode: status === "error" ? "upstream_error" : status === "cancelled" ? "cancelled" : null,
      errorMessage: status === "error" ? "upstream answered 500" : null,
      upstreamStatus: status === "error" ? 500 : null,
      streamed: rand() < 0.5,
      byok: rand() < 0.1,
      inputTokens: Math.floor(rand() * 20_000),
      cachedInputTokens: Math.floor(rand() * 5_000),
      cacheWriteTokens: Math.floor(rand() * 1_000),
      outputTokens: Math.floor(rand() * 4_000),
      reasoningTokens: Math.floor(rand() * 2_000),
      costNanoUsd: rand() < 0.1 ? null : BigInt(Math.floor(rand() * 50_000_000)) * 1_000n + BigInt(i % 997),
      priceVersion: "2026-12-01",
      pricingStatus: "priced",
      latencyMs: Math.floor(Math.exp(rand() * 12)),
      ttftMs: rand() < 0.3 ? null : Math.floor(rand() * 3_000),
      tags,
      conversationId: rand() < 0.2 ? null : `conv-${Math.floor(rand() * 40)}`,
      requestId: `req-${seed}-${i}`,
      traceId: rand() < 0.5 ? null : `trace-${i}`,
    };
  });
}
