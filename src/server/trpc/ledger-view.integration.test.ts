/**
 * The dashboard's own ledger views (payload access by role, filter options) over rows written by
 * the real ledger writer, so rollups and raw rows agree as in production.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";
import type { UsageEvent } from "@/gateway/usage-event";
import type { SessionUser } from "@/server/auth/session-user";
import { LedgerWriter } from "@/server/ledger/ledger-writer";
import { callerFor, createTestRuntime, fixedUpstream, insertUser, type TestRuntime } from "./trpc-test-support";

let db: TestDatabase;
let pool: pg.Pool;
let runtime: TestRuntime;
let spoolDir: string;
const users = {} as Record<"read" | "execute", SessionUser>;
const createdAt = new Date(Date.now() - 3_600_000);
const ids = [randomUUID(), randomUUID()];

function event(id: string, i: number): UsageEvent {
  return {
    id,
    createdAt: new Date(createdAt.getTime() + i * 1000),
    endpoint: "chat",
    apiKeyId: null,
    provider: "anthropic",
    model: "claude-sonnet-4-6",
    status: "success",
    httpStatus: 200,
    errorCode: null,
    errorMessage: null,
    upstreamStatus: null,
    streamed: false,
    byok: i === 1,
    inputTokens: 10,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 5,
    reasoningTokens: 0,
    costNanoUsd: 1_000n,
    priceVersion: "test",
    pricingStatus: "priced",
    latencyMs: 20,
    ttftMs: null,
    tags: ["feature:code-review", "team:ml"],
    conversationId: "conv-view",
    requestId: `req_${i}`,
    traceId: null,
    requestBody: { model: "claude-sonnet-4-6", messages: [{ role: "user", content: `secret plan ${i}` }] },
    responseBody: i === 0 ? { choices: [{ message: { role: "assistant", content: "ok" } }] } : undefined,
  };
}

beforeAll(async () => {
  db = await createTestDatabase("sy_view");
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  runtime = createTestRuntime(pool, { upstream: fixedUpstream() });
  users.read = await insertUser(pool, "read");
  users.execute = await insertUser(pool, "execute");
  spoolDir = mkdtempSync(path.join(tmpdir(), "sy-view-spool-"));
  const writer = new LedgerWriter({ pool, spoolDir, flushIntervalMs: 10 });
  ids.forEach((id, i) => writer.record(event(id, i)));
  await writer.close();
});

afterAll(async () => {
  await runtime?.auth.close();
  await pool?.end();
  await db?.drop();
  rmSync(spoolDir, { recursive: true, force: true });
});

describe("logged payloads by role", () => {
  it("shows bodies to execute, hides them from read (and says they exist)", async () => {
    const asExec = await callerFor(pool, runtime, users.execute).requests.get({ id: ids[0]!, createdAt });
    expect(asExec).toMatchObject({ payloadsHidden: false, requestBody: { messages: [{ content: "secret plan 0" }] } });
    const asRead = await callerFor(pool, runtime, users.read).requests.get({ id: ids[0]!, createdAt });
    expect(asRead).toMatchObject({ payloadsHidden: true, requestBody: null, responseBody: null, model: "claude-sonnet-4-6" });
    expect(JSON.stringify(asRead)).not.toContain("secret plan");
    expect(await callerFor(pool, runtime, users.read).requests.get({ id: randomUUID() })).toBeNull();
  });

  it("returns a conversation's bodies in one call, only for its own requests", async () => {
    const exec = callerFor(pool, runtime, users.execute);
    const conv = await exec.conversations.get({ conversationId: "conv-view" });
    expect(conv?.requests.map((r) => r.id)).toEqual(ids);
    expect(conv?.requests[1]?.byok).toBe(true);
    const bodies = await exec.conversations.payloads({ conversationId: "conv-view", ids: [...ids, randomUUID()] });
    expect(bodies.map((b) => b.id).sort()).toEqual([...ids].sort());
    expect(await exec.conversations.payloads({ conversationId: "another", ids })).toEqual([]);
  });
});

describe("filter options", () => {
  it("offers the tags and models of the range, and every key", async () => {
    const key = await callerFor(pool, runtime, users.execute).gatewayKeys.create({ name: "svc", role: "read" });
    const opts = await callerFor(pool, runtime, users.read).usage.filterOptions({ from: new Date(Date.now() - 86_400_000), to: new Date() });
    expect(opts.tags).toEqual(["feature:code-review", "team:ml"]);
    expect(opts.models).toEqual(["claude-sonnet-4-6"]);
    expect(opts.providers).toEqual(["openai", "anthropic", "gemini", "xai"]);
    expect(opts.apiKeys).toEqual([{ id: key.id, name: "svc", prefix: key.prefix, revoked: false }]);
    const empty = await callerFor(pool, runtime, users.read).usage.filterOptions({ from: new Date("2020-01-01"), to: new Date("2020-01-02") });
    expect(empty.tags).toEqual([]);
  });
});
