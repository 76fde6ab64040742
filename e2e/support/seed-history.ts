import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { computeCost } from "../../src/gateway/pricing/compute-cost";
import type { ProviderId } from "../../src/gateway/providers/types";
import { LedgerWriter } from "../../src/server/ledger/ledger-writer";

const mix: Array<{ model: string; provider: ProviderId; weight: number; input: number; output: number; latency: number }> = [
  { model: "gpt-4.1-mini", provider: "openai", weight: 5, input: 1800, output: 350, latency: 900 },
  { model: "claude-sonnet-4-6", provider: "anthropic", weight: 3, input: 4200, output: 700, latency: 2400 },
  { model: "gemini-2.5-flash", provider: "gemini", weight: 4, input: 2600, output: 420, latency: 700 },
  { model: "grok-3-mini", provider: "xai", weight: 1, input: 900, output: 260, latency: 1100 },
];
const features = ["code-review", "search", "chat", "summaries"];
const teams = ["ml", "web", "support"];

/** Deterministic pseudo-random numbers: the same history (and picture) on every run. */
function rng(seed: number) {
  let s = seed;
  return () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

/**
 * A month of plausible traffic written through the real ledger writer (rows and rollups alike),
 * for the README picture only: it runs after every assertion of the e2e suite.
 */
export async function seedHistory(databaseUrl: string, apiKeyId: string | null, days = 30): Promise<number> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const spoolDir = mkdtempSync(path.join(tmpdir(), "sy-e2e-spool-"));
  const writer = new LedgerWriter({ pool, spoolDir, batchSize: 500, flushIntervalMs: 50 });
  const rand = rng(42);
  const totalWeight = mix.reduce((s, m) => s + m.weight, 0);
  const now = Date.now();
  let n = 0;
  for (let d = days; d >= 1; d--) {
    const day = new Date(now - d * 86_400_000);
    const weekend = day.getUTCDay() === 0 || day.getUTCDay() === 6;
    const perDay = Math.round((weekend ? 40 : 110) * (0.8 + rand() * 0.4) * (1 + (days - d) / days));
    for (let i = 0; i < perDay; i++) {
      let pick = rand() * totalWeight;
      const m = mix.find((x) => (pick -= x.weight) < 0) ?? mix[0]!;
      const usage = {
        inputTokens: Math.round(m.input * (0.4 + rand() * 1.2)),
        cachedInputTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: Math.round(m.output * (0.4 + rand() * 1.2)),
        reasoningTokens: 0,
      };
      const failed = rand() < 0.02;
      const cost = computeCost(m.model, usage);
      writer.record({
        id: randomUUID(),
        createdAt: new Date(day.getTime() + Math.floor(rand() * 86_400_000)),
        endpoint: "chat",
        apiKeyId,
        provider: m.provider,
        model: m.model,
        status: failed ? "error" : "success",
        httpStatus: failed ? 429 : 200,
        errorCode: failed ? "rate_limited" : null,
        errorMessage: failed ? "The provider is rate limiting requests." : null,
        upstreamStatus: failed ? 429 : null,
        streamed: rand() < 0.5,
        byok: false,
        ...(failed ? { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 } : usage),
        costNanoUsd: failed ? 0n : cost.costNanoUsd,
        priceVersion: failed ? null : cost.priceVersion,
        pricingStatus: failed ? "not_billable" : cost.pricingStatus,
        latencyMs: Math.round(m.latency * (0.5 + rand())),
        ttftMs: null,
        tags: [`feature:${features[Math.floor(rand() * features.length)]}`, `team:${teams[Math.floor(rand() * teams.length)]}`].sort(),
        conversationId: null,
        requestId: `req_seed_${n}`,
        traceId: null,
      });
      n++;
    }
  }
  await writer.close();
  await pool.end();
  rmSync(spoolDir, { recursive: true, force: true });
  return n;
}
