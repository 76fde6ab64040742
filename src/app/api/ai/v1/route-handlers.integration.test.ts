/**
 * The Next route handlers (the deployment path without the production server, e.g. Vercel): the
 * same gateway behind a Fetch Request/Response, called in-process as Next calls them, against the
 * simulated providers over real sockets and a real PostgreSQL ledger.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulatedUpstream } from "@/testing/simulated-upstream/server";
import type { SimulatedUpstream } from "@/testing/simulated-upstream/types";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";
import { createApiKey } from "@/server/services/create-api-key";

let db: TestDatabase;
let sql: pg.Client;
let sim: SimulatedUpstream;
let dataDir: string;
let key: string;
let chatRoute: typeof import("@/app/api/ai/v1/chat/completions/route");
let closeRuntime: () => Promise<void>;
const savedEnv: Record<string, string | undefined> = {};

beforeAll(async () => {
  db = await createTestDatabase("sy_routes");
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  sim = await startSimulatedUpstream({ maxRecorded: 0 });
  dataDir = mkdtempSync(path.join(os.tmpdir(), "sy-routes-"));
  // The runtime reads its configuration once, on first use: set it before the routes load (and
  // put it back afterwards: the worker process may run other test files next).
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    SWITCHYARD_MASTER_KEY: randomBytes(32).toString("base64"),
    OPENAI_BASE_URL: sim.baseUrls.openai,
    OPENAI_API_KEY: "sk-sim-openai",
    ANTHROPIC_BASE_URL: sim.baseUrls.anthropic,
    ANTHROPIC_API_KEY: "sk-sim-anthropic",
    LEDGER_FLUSH_INTERVAL_MS: "50",
  };
  for (const [name, value] of Object.entries(env)) {
    savedEnv[name] = process.env[name];
    process.env[name] = value;
  }
  key = (await createApiKey(sql, { name: "routes", role: "execute" })).key;
  chatRoute = await import("@/app/api/ai/v1/chat/completions/route");
  closeRuntime = (await import("@/server/composition/gateway-runtime")).closeGatewayRuntime;
});

afterAll(async () => {
  await closeRuntime?.();
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await sim?.close();
  await sql?.end();
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

function chatRequest(body: unknown, conversationId: string): Request {
  return new Request("http://localhost/api/ai/v1/chat/completions", {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-conversation-id": conversationId },
    body: JSON.stringify(body),
  });
}

async function rowFor(conversationId: string, status: string): Promise<{ status: string; streamed: boolean; output_tokens: number }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await sql.query<{ status: string; streamed: boolean; output_tokens: number }>(
      "SELECT status, streamed, output_tokens FROM request_log WHERE conversation_id = $1",
      [conversationId],
    );
    const row = res.rows[0];
    if ((row && row.status === status) || Date.now() > deadline) return row ?? { status: "missing", streamed: false, output_tokens: 0 };
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("route handlers", () => {
  it("stream a chat as SSE through a Fetch Response and record it", async () => {
    const conv = `routes-${Date.now()}-a`;
    const res = await chatRoute.POST(chatRequest({ model: "claude-sonnet-4-6", messages: [{ role: "user", content: "over fetch #chunks=4" }], stream: true }, conv));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await res.text();
    const events = text.split("\n\n").filter(Boolean);
    expect(events.at(-1)).toBe("data: [DONE]");
    const content = events
      .slice(0, -1)
      .map((e) => JSON.parse(e.slice("data: ".length)) as { choices: Array<{ delta: { content?: string } }> })
      .map((c) => c.choices[0]?.delta.content ?? "")
      .join("");
    expect(content).toBe("Echo: over fetch Echo:");
    expect(await rowFor(conv, "success")).toMatchObject({ status: "success", streamed: true, output_tokens: 4 });
  });

  it("answer a non-streaming chat with a JSON body", async () => {
    const conv = `routes-${Date.now()}-b`;
    const res = await chatRoute.POST(chatRequest({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "plain" }] }, conv));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { object: string; choices: Array<{ message: { content: string } }> };
    expect(body.object).toBe("chat.completion");
    expect(body.choices[0]!.message.content).toContain("plain");
    expect(await rowFor(conv, "success")).toMatchObject({ streamed: false });
  });

  it("cancelling the response body ends the upstream call and records it as cancelled", async () => {
    const conv = `routes-${Date.now()}-c`;
    // 100 events 50 ms apart: 5 s if nobody cancelled.
    const res = await chatRoute.POST(chatRequest({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "long #chunks=100 #slow=50" }], stream: true }, conv));
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    const cancelledAt = Date.now();
    await reader.cancel();
    expect(await rowFor(conv, "cancelled")).toMatchObject({ status: "cancelled", streamed: true });
    expect(Date.now() - cancelledAt).toBeLessThan(2_500);
  });
});
