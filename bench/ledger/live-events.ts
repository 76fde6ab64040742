import { randomUUID } from "node:crypto";
import { computeCost } from "../../src/gateway/pricing/compute-cost";
import type { ProviderId } from "../../src/gateway/providers/types";
import type { UsageEvent } from "../../src/gateway/usage-event";
import { buildProfile, cumulative, prng } from "../volume/volume-profile";

/**
 * Live traffic for the ingest benchmark: the same organisation as the volume seed (keys, models,
 * tags, error rate; bench/volume/volume-profile.ts), stamped "now", so every batch upserts the
 * current hour's rollup rows as a running gateway does.
 */
export function liveEventSource(seed = 1): () => UsageEvent {
  const p = buildProfile(seed);
  const rand = prng(seed);
  const keyCum = cumulative(p.keys.map((k) => k.weight));
  const modelCum = cumulative(p.models.map((m) => m.weight));
  const pickCum = (cum: number[]) => {
    const r = rand();
    let i = cum.length - 1;
    while (i > 0 && cum[i]! > r) i--;
    return i;
  };
  const primary = [0, 0.55, 0.8, 0.92];
  let n = 0;
  return () => {
    const key = p.keys[pickCum(keyCum)]!;
    const mi = rand() < key.primaryShare ? key.models[pickCum(primary)]! - 1 : pickCum(modelCum);
    const model = p.models[mi]!;
    const chat = model.kind === "chat";
    const r = rand();
    const status: UsageEvent["status"] = r < 0.01 ? "error" : r < 0.013 ? "cancelled" : "success";
    const input = status === "error" ? 0 : Math.floor(Math.exp(6 + 1.1 * normal(rand)));
    const output = status === "error" || !chat ? 0 : Math.min(Math.floor(Math.exp(5.4 + 0.9 * normal(rand))), 32_000);
    const cached = rand() < 0.4 ? Math.floor(input * 0.6) : 0;
    const streamed = chat && rand() < 0.7;
    const ttft = Math.floor(model.ttftMs * Math.exp(0.45 * normal(rand)));
    const cost =
      status === "error"
        ? { costNanoUsd: 0n, priceVersion: null, pricingStatus: "not_billable" as const }
        : computeCost(model.rates ? model.id : undefined, { inputTokens: input, cachedInputTokens: cached, cacheWriteTokens: 0, outputTokens: output, reasoningTokens: 0 });
    const f = Math.floor(rand() * 4);
    const tags = key.tagged ? [key.bareTag, `env:${key.env}`, f > 0 ? `feature:${key.features[f - 1]}` : null, `team:${key.team}`].filter((t): t is string => t !== null) : [];
    n++;
    return {
      id: randomUUID(),
      createdAt: new Date(),
      endpoint: chat ? "chat" : "embeddings",
      apiKeyId: key.id,
      provider: model.provider as ProviderId,
      model: model.id,
      status,
      httpStatus: status === "success" ? 200 : status === "cancelled" ? 499 : 502,
      errorCode: status === "success" ? null : status === "cancelled" ? "cancelled" : "upstream_error",
      errorMessage: status === "error" ? "upstream answered 500 Internal Server Error" : null,
      upstreamStatus: status === "error" ? 500 : null,
      streamed,
      byok: key.byok,
      inputTokens: input,
      cachedInputTokens: cached,
      cacheWriteTokens: 0,
      outputTokens: output,
      reasoningTokens: 0,
      ...cost,
      latencyMs: ttft + Math.floor((output * 1000) / model.tokensPerSecond),
      ttftMs: streamed && status !== "error" ? ttft : null,
      tags,
      conversationId: chat && rand() < 0.6 ? `conv-live-${seed}-${Math.floor(n / 8)}` : null,
      requestId: `req_live_${seed}_${n}`,
      traceId: null,
    };
  };
}

function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}
