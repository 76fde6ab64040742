import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import type { UsageEvent } from "@/gateway/usage-event";
import { LedgerWriter } from "@/server/ledger/ledger-writer";
import { seededRandom as prng } from "@/gateway/testing/stream-replay";

export { prng };

export const API_KEYS = [
  { id: "11111111-1111-4111-8111-111111111111", name: "backend", prefix: "sy_backend00" },
  { id: "22222222-2222-4222-8222-222222222222", name: "notebooks", prefix: "sy_notebook0" },
  { id: "33333333-3333-4333-8333-333333333333", name: "ci", prefix: "sy_ci0000000" },
] as const;

const MODELS = [
  { model: "gpt-4.1-mini", provider: "openai" },
  { model: "claude-sonnet-4-5", provider: "anthropic" },
  { model: "gemini-2.5-flash", provider: "gemini" },
  { model: "grok-4", provider: "xai" },
  { model: "my-fine-tune", provider: "openai" }, // no price: unpriced rows
] as const;

const TAG_POOL = ["team:ml", "team:web", "feature:code-review", "feature:chat", "env:prod", "beta"] as const;

export interface SeedOptions {
  seed: number;
  count: number;
  /** Rows fall in [start, end); nothing is generated inside `gap` (for gap-filling tests). */
  start: Date;
  end: Date;
  gap?: { from: Date; to: Date };
  conversations?: number;
}

function uuidFrom(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Varied events: every status, provider-less failures, unpriced and free rows, streams, tags, conversations, ties. */
export function makeEvents(o: SeedOptions): UsageEvent[] {
  const rand = prng(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const span = o.end.getTime() - o.start.getTime();
  const events: UsageEvent[] = [];
  while (events.length < o.count) {
    let at = o.start.getTime() + Math.floor(rand() * span);
    if (o.gap && at >= o.gap.from.getTime() && at < o.gap.to.getTime()) continue;
    // A few exact ties on created_at, so paging must break them by id.
    const prev = events[events.length - 1];
    if (prev && rand() < 0.05) at = prev.createdAt.getTime();
    const m = pick(MODELS);
    const r = rand();
    const status: UsageEvent["status"] = r < 0.78 ? "success" : r < 0.94 ? "error" : "cancelled";
    const noProvider = status === "error" && rand() < 0.3;
    const streamed = rand() < 0.5;
    const input = Math.floor(rand() * 20_000);
    const cached = rand() < 0.3 ? Math.floor(input * rand()) : 0;
    const cacheWrite = rand() < 0.1 ? Math.floor((input - cached) * rand()) : 0;
    const output = status === "success" ? Math.floor(rand() * 4_000) : 0;
    const reasoning = rand() < 0.3 ? Math.floor(output * rand()) : 0;
    const unpriced = m.model === "my-fine-tune";
    const cost = noProvider ? null : unpriced ? null : status !== "success" && input === 0 ? 0n : BigInt(input) * 150n + BigInt(output) * 600n + BigInt(Math.floor(rand() * 999));
    // Log-uniform latency from 0 ms to ~400 s: every histogram bucket gets used.
    const latency = rand() < 0.03 ? 0 : Math.floor(Math.exp(rand() * Math.log(400_000)));
    const tags = TAG_POOL.filter(() => rand() < 0.3).sort();
    const conv = o.conversations && rand() < 0.4 ? `conv-${Math.floor(rand() * o.conversations)}` : null;
    const apiKey = rand() < 0.05 ? null : pick(API_KEYS).id;
    const payload = rand() < 0.1;
    events.push({
      id: uuidFrom(rand),
      createdAt: new Date(at),
      endpoint: rand() < 0.9 ? "chat" : "embeddings",
      apiKeyId: apiKey,
      provider: noProvider ? null : m.provider,
      model: m.model,
      status,
      httpStatus: status === "success" ? 200 : status === "cancelled" ? 499 : pick([400, 429, 502, 504]),
      errorCode: status === "success" ? null : status === "cancelled" ? "cancelled" : pick(["rate_limited", "upstream_error", "upstream_timeout"]),
      errorMessage: status === "error" ? `simulated failure #${events.length}` : null,
      upstreamStatus: status === "error" && !noProvider ? 500 : null,
      streamed,
      byok: rand() < 0.1,
      inputTokens: input,
      cachedInputTokens: cached,
      cacheWriteTokens: cacheWrite,
      outputTokens: output,
      reasoningTokens: reasoning,
      costNanoUsd: cost,
      priceVersion: cost === null || cost === 0n ? null : "2026-12-01",
      pricingStatus: noProvider ? "not_billable" : unpriced ? "unknown_model" : cost === 0n ? "not_billable" : "priced",
      latencyMs: latency,
      ttftMs: streamed && status === "success" ? Math.floor(latency * rand()) : null,
      tags,
      conversationId: conv,
      requestId: `req_${events.length}_${o.seed}`,
      traceId: rand() < 0.2 ? "0af7651916cd43dd8448eb211c80319c" : null,
      ...(payload ? { requestBody: { model: m.model, messages: [{ role: "user", content: "hi" }] }, responseBody: { id: "x", choices: [] } } : {}),
    });
  }
  return events;
}

/** Writes events through the real LedgerWriter (request_log + every rollup), and the API keys they name. */
export async function seedLedger(pool: pg.Pool, events: readonly UsageEvent[], batchSize = 500): Promise<void> {
  for (const k of API_KEYS) {
    await pool.query(
      `INSERT INTO api_keys (id, name, prefix, key_hash, role) VALUES ($1, $2, $3, $4, 'read') ON CONFLICT (id) DO NOTHING`,
      [k.id, k.name, k.prefix, `hash-${k.id}`],
    );
  }
  const spoolDir = mkdtempSync(path.join(os.tmpdir(), "sy-usage-spool-"));
  const writer = new LedgerWriter({ pool, spoolDir, batchSize, capacity: events.length + 1, flushIntervalMs: 10_000, log: () => {} });
  try {
    for (const e of events) writer.record(e);
    await writer.close();
    const stats = writer.stats();
    if (stats.written !== events.length) {
      throw new Error(`ledger writer wrote ${stats.written} of ${events.length} rows (spooled ${stats.spooled}, last error ${stats.lastError})`);
    }
  } finally {
    rmSync(spoolDir, { recursive: true, force: true });
  }
}
