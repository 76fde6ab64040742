/**
 * The public API end to end: the production build of the app on real PostgreSQL, the simulated
 * upstream speaking each provider's wire format over real sockets, and the official `openai` client.
 * Ledger rows and costs are checked through the usage REST API.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import OpenAI from "openai";
import pg from "pg";
import { startSimulatedUpstream, type SimulatedUpstream } from "@/testing/simulated-upstream";
import { startAppServer, type AppServer } from "@/testing/app-server";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";
import { createApiKey } from "@/server/services/create-api-key";
import { computeCost, formatNanoUsd } from "@/gateway/pricing/compute-cost";
import { findModel } from "@/gateway/routing/model-catalog";

let sim: SimulatedUpstream;
let db: TestDatabase;
let app: AppServer;
let sql: pg.Client;
let dataDir: string;
let imageServer: Server;
let imageUrl: string;
let otlpServer: Server;
/** Spans received by the fake OTLP/HTTP collector, flattened. */
const spans: Array<{ traceId: string; parentSpanId?: string; name: string; kind: number; attributes: Record<string, unknown> }> = [];
const keys: Record<"read" | "execute" | "admin", string> = { read: "", execute: "", admin: "" };

const PNG_1PX = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

const client = (key = keys.execute, headers: Record<string, string> = {}) =>
  new OpenAI({ apiKey: key, baseURL: `${app.url}/api/ai/v1`, maxRetries: 0, defaultHeaders: headers, timeout: 30_000 });

const chatModels = {
  openai: "gpt-4.1-nano",
  anthropic: "claude-sonnet-4-6",
  gemini: "gemini-2.5-flash",
  xai: "grok-3-mini",
} as const;
type Provider = keyof typeof chatModels;
const providers = Object.keys(chatModels) as Provider[];

const weatherTool: OpenAI.Chat.Completions.ChatCompletionTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};
const timeTool: OpenAI.Chat.Completions.ChatCompletionTool = {
  type: "function",
  function: { name: "get_time", parameters: { type: "object", properties: { tz: { type: "string" } }, required: ["tz"] } },
};

interface UsageRow {
  id: string;
  provider: string | null;
  model: string;
  status: string;
  http_status: number;
  error_code: string | null;
  streamed: boolean;
  byok: boolean;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cost_nano_usd: string | null;
  cost_micro_usd: number | null;
  cost_usd: string | null;
  price_version: string | null;
  pricing_status: string;
  latency_ms: number;
  ttft_ms: number | null;
  tags: string[];
  conversation_id: string | null;
  request_id: string;
  trace_id: string | null;
}

/** Reads ledger rows through the usage REST API, waiting for the batch writer to flush. */
async function ledgerRows(query: Record<string, string>, expected: number): Promise<UsageRow[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await fetch(`${app.url}/api/ai/usage/requests?${new URLSearchParams(query)}`, {
      headers: { authorization: `Bearer ${keys.read}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: UsageRow[] };
    if (body.data.length >= expected || Date.now() > deadline) return body.data;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const newConversation = () => `conv-${randomBytes(6).toString("hex")}`;

beforeAll(async () => {
  sim = await startSimulatedUpstream();
  db = await createTestDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), "sy-it-"));
  imageServer = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "image/png" });
    res.end(PNG_1PX);
  });
  await new Promise<void>((r) => imageServer.listen(0, "127.0.0.1", r));
  imageUrl = `http://127.0.0.1:${(imageServer.address() as { port: number }).port}/pixel.png`;
  otlpServer = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      type AnyValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; arrayValue?: { values: AnyValue[] } };
      const value = (v: AnyValue): unknown => v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : v.boolValue ?? v.arrayValue?.values.map(value));
      const payload = JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ traceId: string; parentSpanId?: string; name: string; kind: number; attributes: Array<{ key: string; value: AnyValue }> }> }> }> };
      for (const rs of payload.resourceSpans) for (const ss of rs.scopeSpans) for (const sp of ss.spans) {
        spans.push({ ...sp, attributes: Object.fromEntries(sp.attributes.map((a) => [a.key, value(a.value)])) });
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((r) => otlpServer.listen(0, "127.0.0.1", r));
  app = await startAppServer({
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    SWITCHYARD_MASTER_KEY: randomBytes(32).toString("base64"),
    OPENAI_BASE_URL: sim.baseUrls.openai,
    ANTHROPIC_BASE_URL: sim.baseUrls.anthropic,
    GEMINI_BASE_URL: sim.baseUrls.gemini,
    XAI_BASE_URL: sim.baseUrls.xai,
    OPENAI_API_KEY: "sk-sim-openai",
    ANTHROPIC_API_KEY: "sk-sim-anthropic",
    GEMINI_API_KEY: "sk-sim-gemini",
    XAI_API_KEY: "sk-sim-xai",
    LEDGER_FLUSH_INTERVAL_MS: "50",
    UPSTREAM_FIRST_BYTE_TIMEOUT_MS: "2000",
    UPSTREAM_IDLE_TIMEOUT_MS: "2000",
    IMAGE_FETCH_ALLOW_PRIVATE: "true",
    MAX_BODY_BYTES: String(1024 * 1024),
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(otlpServer.address() as { port: number }).port}`,
    OTEL_BSP_SCHEDULE_DELAY: "100",
  });
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  for (const role of ["read", "execute", "admin"] as const) keys[role] = (await createApiKey(sql, { name: `it-${role}`, role })).key;
}, 180_000);

afterAll(async () => {
  await app?.stop();
  await sql?.end();
  await sim?.close();
  await new Promise((r) => imageServer?.close(r));
  await new Promise((r) => otlpServer?.close(r));
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.each(providers)("%s through the OpenAI SDK", (provider) => {
  const model = chatModels[provider];

  it("answers a non-streaming chat and records the exact cost", async () => {
    const conv = newConversation();
    const res = await client(keys.execute, { "x-conversation-id": conv, "x-tags": "team:ml, feature:review" }).chat.completions.create({
      model,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "hello there" },
      ],
      max_tokens: 50,
    });
    expect(res.object).toBe("chat.completion");
    expect(res.choices[0]!.message.content).toContain("hello there");
    expect(res.choices[0]!.finish_reason).toBe("stop");
    const u = res.usage!;
    expect(u.prompt_tokens).toBeGreaterThan(0);
    expect(u.total_tokens).toBe(u.prompt_tokens + u.completion_tokens);

    const [row] = await ledgerRows({ conversation_id: conv }, 1);
    expect(row).toMatchObject({ provider, model, status: "success", streamed: false, byok: false, tags: ["feature:review", "team:ml"], conversation_id: conv });
    expect(row!.input_tokens).toBe(u.prompt_tokens);
    expect(row!.output_tokens).toBe(u.completion_tokens);
    const expected = computeCost(findModel(model)!.id, {
      inputTokens: u.prompt_tokens,
      cachedInputTokens: u.prompt_tokens_details?.cached_tokens ?? 0,
      cacheWriteTokens: 0,
      outputTokens: u.completion_tokens,
      reasoningTokens: u.completion_tokens_details?.reasoning_tokens ?? 0,
    });
    expect(row!.cost_nano_usd).toBe(expected.costNanoUsd!.toString());
    expect(row!.cost_usd).toBe(formatNanoUsd(expected.costNanoUsd!));
    expect(row!.price_version).toBe(expected.priceVersion);
  });

  it("streams chunk by chunk with a final usage chunk that matches the ledger", async () => {
    const conv = newConversation();
    const stream = await client(keys.execute, { "x-conversation-id": conv }).chat.completions.create({
      model,
      messages: [{ role: "user", content: "stream this answer #chunks=8" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let chunks = 0;
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      chunks++;
      if (chunk.usage) usage = chunk.usage;
      for (const c of chunk.choices) {
        text += c.delta.content ?? "";
        finish = c.finish_reason ?? finish;
      }
    }
    expect(chunks).toBeGreaterThan(3);
    expect(text.length).toBeGreaterThan(0);
    expect(finish).toBe("stop");
    expect(usage).toBeDefined();
    const [row] = await ledgerRows({ conversation_id: conv }, 1);
    expect(row).toMatchObject({ status: "success", streamed: true, input_tokens: usage!.prompt_tokens, output_tokens: usage!.completion_tokens });
    expect(row!.ttft_ms).not.toBeNull();
  });

  it("omits the usage chunk unless asked (clients index choices[0])", async () => {
    const stream = await client().chat.completions.create({ model, messages: [{ role: "user", content: "hi" }], stream: true });
    for await (const chunk of stream) {
      expect(chunk.choices.length).toBeGreaterThan(0);
      expect(chunk.usage ?? null).toBeNull();
    }
  });

  it("round-trips a tool call (streamed deltas keep index, id and name)", async () => {
    const stream = await client().chat.completions.create({
      model,
      messages: [{ role: "user", content: "what is the weather in Paris? #tool" }],
      tools: [weatherTool],
      stream: true,
    });
    const calls = new Map<number, { id?: string; name?: string; args: string }>();
    let finish: string | null = null;
    for await (const chunk of stream) {
      for (const c of chunk.choices) {
        finish = c.finish_reason ?? finish;
        for (const tc of c.delta.tool_calls ?? []) {
          const cur = calls.get(tc.index) ?? { args: "" };
          if (tc.id) {
            expect(cur.id === undefined || cur.id === tc.id).toBe(true);
            cur.id = tc.id;
          }
          if (tc.function?.name) cur.name = tc.function.name;
          cur.args += tc.function?.arguments ?? "";
          calls.set(tc.index, cur);
        }
      }
    }
    expect(finish).toBe("tool_calls");
    expect([...calls.keys()]).toEqual([0]);
    const call = calls.get(0)!;
    expect(call.name).toBe("get_weather");
    expect(call.id).toBeTruthy();
    expect(JSON.parse(call.args)).toHaveProperty("city");

    const followUp = await client().chat.completions.create({
      model,
      tools: [weatherTool],
      messages: [
        { role: "user", content: "what is the weather in Paris? #tool" },
        { role: "assistant", content: null, tool_calls: [{ id: call.id!, type: "function", function: { name: call.name!, arguments: call.args } }] },
        { role: "tool", tool_call_id: call.id!, content: "sunny, 21C" },
      ],
    });
    expect(followUp.choices[0]!.message.content).toContain("sunny, 21C");
  });

  it("returns parallel tool calls with distinct indices and ids", async () => {
    const res = await client().chat.completions.create({
      model,
      messages: [{ role: "user", content: "weather and time please #tools2" }],
      tools: [weatherTool, timeTool],
    });
    const calls = res.choices[0]!.message.tool_calls!;
    expect(calls).toHaveLength(2);
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
    expect(res.choices[0]!.finish_reason).toBe("tool_calls");
  });

  it("passes images as a data URI", async () => {
    const res = await client().chat.completions.create({
      model,
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "what is this? #image" },
            { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_1PX.toString("base64")}` } },
          ],
        },
      ],
    });
    expect(res.choices[0]!.message.content).toMatch(/1 image/i);
  });

  it("answers JSON mode with parseable JSON and keeps the json_schema", async () => {
    const schema = { type: "object", properties: { answer: { type: "string" }, score: { type: "number" } }, required: ["answer", "score"], additionalProperties: false };
    const res = await client().chat.completions.create({
      model,
      messages: [{ role: "user", content: "give me json #json" }],
      response_format: { type: "json_schema", json_schema: { name: "verdict", schema, strict: true } },
    });
    const parsed = JSON.parse(res.choices[0]!.message.content!) as Record<string, unknown>;
    expect(parsed).toHaveProperty("answer");
    expect(parsed).toHaveProperty("score");
    expect(JSON.stringify(sim.requests.at(-1)!.body)).toContain('"additionalProperties":false');

    const obj = await client().chat.completions.create({
      model,
      messages: [{ role: "user", content: "give me a json object #json" }],
      response_format: { type: "json_object" },
    });
    expect(() => JSON.parse(obj.choices[0]!.message.content!)).not.toThrow();
  });

  it("maps an upstream 429 to RateLimitError with retry-after", async () => {
    const err = await client()
      .chat.completions.create({ model, messages: [{ role: "user", content: "#error=429" }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).headers?.get("retry-after")).toBeTruthy();
  });

  it("turns a mid-stream provider error into an SSE error event and records it", async () => {
    const conv = newConversation();
    const stream = await client(keys.execute, { "x-conversation-id": conv }).chat.completions.create({
      model,
      messages: [{ role: "user", content: "start then fail #midstream-error" }],
      stream: true,
    });
    const err = await (async () => {
      for await (const _ of stream) {
        // consume
      }
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    const [row] = await ledgerRows({ conversation_id: conv }, 1);
    expect(row).toMatchObject({ status: "error", streamed: true });
    expect(row!.error_code).toBeTruthy();
  });

  it("uses a BYOK key for that request only and never stores it", async () => {
    const byok = `sk-sim-byok-${randomBytes(8).toString("hex")}`;
    const conv = newConversation();
    sim.clear();
    await client(keys.execute, { "x-provider-api-key": byok, "x-conversation-id": conv }).chat.completions.create({
      model,
      messages: [{ role: "user", content: "hi" }],
    });
    const seen = sim.requests.at(-1)!;
    expect(JSON.stringify(seen.headers)).toContain(byok);
    const [row] = await ledgerRows({ conversation_id: conv }, 1);
    expect(row!.byok).toBe(true);
    const leaked = await sql.query(`SELECT count(*)::int AS n FROM request_log WHERE request_log::text LIKE $1`, [`%${byok}%`]);
    expect(leaked.rows[0].n).toBe(0);
    expect(app.output()).not.toContain(byok);

    // A bad BYOK key is the provider's 401, passed on as AuthenticationError, without echoing it.
    const bad = await client(keys.execute, { "x-provider-api-key": "not-a-valid-key-123" })
      .chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(JSON.stringify((bad as InstanceType<typeof OpenAI.APIError>).error)).not.toContain("not-a-valid-key-123");
  });
});

// Gemini sends no terminal event: its streams end with the body (or the idle timeout).
describe.each(["openai", "xai", "anthropic"] as const)("%s stream ends at the provider's terminal event", (provider) => {
  it("not when the provider closes its body", async () => {
    const conv = newConversation();
    const started = Date.now();
    // The provider keeps the body open 10 s after its last event.
    const stream = await client(keys.execute, { "x-conversation-id": conv }).chat.completions.create({
      model: chatModels[provider],
      messages: [{ role: "user", content: "done early #chunks=3 #linger=10000" }],
      stream: true,
    });
    let text = "";
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(text).toBe("Echo: done early");
    expect(finish).toBe("stop");
    expect(Date.now() - started).toBeLessThan(5_000);
    const [row] = await ledgerRows({ conversation_id: conv }, 1);
    expect(row).toMatchObject({ status: "success", streamed: true, output_tokens: 3 });
  });
});

describe("reasoning", () => {
  it.each(["claude-sonnet-4-6", "gemini-2.5-flash", "grok-3-mini"])("%s surfaces reasoning_content and reasoning tokens", async (model) => {
    const res = await client().chat.completions.create({ model, messages: [{ role: "user", content: "think about it" }], reasoning_effort: "low" });
    const msg = res.choices[0]!.message as OpenAI.Chat.Completions.ChatCompletionMessage & { reasoning_content?: string };
    expect(msg.reasoning_content?.length).toBeGreaterThan(0);
    expect(res.usage!.completion_tokens_details!.reasoning_tokens).toBeGreaterThan(0);
    expect(res.usage!.completion_tokens).toBeGreaterThanOrEqual(res.usage!.completion_tokens_details!.reasoning_tokens!);
  });

  it("keeps Anthropic thinking signatures across a tool round trip (extension field and server-side fallback)", async () => {
    const first = await client().chat.completions.create({
      model: "claude-sonnet-4-6",
      reasoning_effort: "low",
      tools: [weatherTool],
      messages: [{ role: "user", content: "weather in Oslo? #tool" }],
    });
    const assistant = first.choices[0]!.message as OpenAI.Chat.Completions.ChatCompletionMessage & { thinking_blocks?: unknown[] };
    expect(assistant.thinking_blocks?.length).toBeGreaterThan(0);
    const call = assistant.tool_calls![0]! as OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall;
    const history = (msg: object) => [
      { role: "user" as const, content: "weather in Oslo? #tool" },
      msg as OpenAI.Chat.Completions.ChatCompletionAssistantMessageParam,
      { role: "tool" as const, tool_call_id: call.id, content: "snow" },
    ];
    // 1. The client echoes the message as received (extension field included).
    const echoed = await client().chat.completions.create({ model: "claude-sonnet-4-6", reasoning_effort: "low", tools: [weatherTool], messages: history(assistant) });
    expect(echoed.choices[0]!.message.content).toContain("snow");
    // 2. A client that rebuilds the message without unknown fields: the gateway's cache fills in.
    const rebuilt = { role: "assistant", content: null, tool_calls: [{ id: call.id, type: "function", function: { name: call.function.name, arguments: call.function.arguments } }] };
    const fallback = await client().chat.completions.create({ model: "claude-sonnet-4-6", reasoning_effort: "low", tools: [weatherTool], messages: history(rebuilt) });
    expect(fallback.choices[0]!.message.content).toContain("snow");
  });
});

describe("images by URL", () => {
  it.each(["gpt-4.1-nano", "claude-sonnet-4-6", "gemini-2.5-flash"])("%s accepts an http(s) image URL", async (model) => {
    const res = await client().chat.completions.create({
      model,
      messages: [{ role: "user", content: [{ type: "text", text: "describe #image" }, { type: "image_url", image_url: { url: imageUrl } }] }],
    });
    expect(res.choices[0]!.message.content).toMatch(/1 image/i);
  });
});

describe("embeddings", () => {
  it.each(["text-embedding-3-small", "gemini-embedding-001"])("%s returns floats, and base64 that decodes to the same vector", async (model) => {
    const floats = await client().embeddings.create({ model, input: ["alpha", "beta"], encoding_format: "float" });
    expect(floats.data).toHaveLength(2);
    expect(floats.data[0]!.embedding.length).toBeGreaterThan(0);
    // The SDK asks for base64 by default and decodes it.
    const decoded = await client().embeddings.create({ model, input: ["alpha", "beta"] });
    expect(decoded.data[0]!.embedding.length).toBe(floats.data[0]!.embedding.length);
    decoded.data[0]!.embedding.forEach((v, i) => expect(v).toBeCloseTo(floats.data[0]!.embedding[i]!, 5));
    expect(floats.usage.prompt_tokens).toBeGreaterThan(0);
  });
});

describe("gateway errors", () => {
  const raw = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/api/ai/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${keys.execute}`, "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  it("401 for a missing or wrong key, 403 for a read key, all OpenAI-shaped", async () => {
    const missing = await fetch(`${app.url}/api/ai/v1/chat/completions`, { method: "POST", body: "{}" });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { type: "authentication_error", code: "missing_api_key", param: null } });
    await expect(client("sy_wrong").chat.completions.create({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    await expect(client(keys.read).chat.completions.create({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
  });

  it("404 model_not_found for an unroutable model and for the provider's own 404", async () => {
    const e1 = await client().chat.completions.create({ model: "llama-3", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(OpenAI.NotFoundError);
    expect((e1 as InstanceType<typeof OpenAI.APIError>).code).toBe("model_not_found");
    const e2 = await client().chat.completions.create({ model: "claude-does-not-exist", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("400 naming the parameter for invalid bodies; 413 for oversized ones", async () => {
    const noMessages = await raw({ model: "gpt-4.1-nano" });
    expect(noMessages.status).toBe(400);
    expect((await noMessages.json()).error.param).toBe("messages");
    const badTemp = await raw({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "x" }], temperature: "hot" });
    expect((await badTemp.json()).error.param).toBe("temperature");
    const unsupported = await raw({ model: "claude-sonnet-4-6", messages: [{ role: "user", content: "x" }], logit_bias: { "1": 2 } });
    expect(unsupported.status).toBe(400);
    expect((await unsupported.json()).error.param).toBe("logit_bias");
    const notJson = await raw("{nope");
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.code).toBe("invalid_json");
    const huge = await raw({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "x".repeat(2 * 1024 * 1024) }] });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.type).toBe("invalid_request_error");
  });

  it("rejects injected tags and conversation ids with a 400 naming the header", async () => {
    const tags = await raw({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "x" }] }, { "x-tags": "team:ml, bad tag;drop table" });
    expect(tags.status).toBe(400);
    expect((await tags.json()).error.param).toBe("x-tags");
    const conv = await raw({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "x" }] }, { "x-conversation-id": "a".repeat(300) });
    expect(conv.status).toBe(400);
    expect((await conv.json()).error.param).toBe("x-conversation-id");
  });

  it("maps Anthropic 529 overloaded to 503", async () => {
    const err = await client().chat.completions.create({ model: "claude-haiku-4-5", messages: [{ role: "user", content: "#error=529" }] }).catch((e: unknown) => e);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
  });

  it("504 when the upstream sends no headers within the first-byte timeout, and the row is recorded", async () => {
    const conv = newConversation();
    const err = await client(keys.execute, { "x-conversation-id": conv })
      .chat.completions.create({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "#hang-headers" }] })
      .catch((e: unknown) => e);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
    const [row] = await ledgerRows({ conversation_id: conv }, 1);
    expect(row).toMatchObject({ status: "error", error_code: "upstream_timeout", http_status: 504 });
  });

  it("echoes x-request-id and takes the trace id from traceparent", async () => {
    const conv = newConversation();
    const res = await raw({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "x" }] }, {
      "x-request-id": "my-req-123",
      "x-conversation-id": conv,
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    });
    expect(res.headers.get("x-request-id")).toBe("my-req-123");
    const [row] = await ledgerRows({ conversation_id: conv }, 1);
    expect(row).toMatchObject({ request_id: "my-req-123", trace_id: "4bf92f3577b34da6a3ce929d0e0e4736" });

    // The request's OpenTelemetry span joins the caller's trace, with GenAI semantic-convention attributes.
    const deadline = Date.now() + 5_000;
    while (!spans.some((s) => s.attributes["gen_ai.conversation.id"] === conv) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const span = spans.find((s) => s.attributes["gen_ai.conversation.id"] === conv);
    expect(span).toMatchObject({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", parentSpanId: "00f067aa0ba902b7", name: "chat gpt-4.1-nano", kind: 3 });
    expect(span!.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4.1-nano",
      "gen_ai.usage.input_tokens": row!.input_tokens,
      "gen_ai.usage.output_tokens": row!.output_tokens,
      "gen_ai.response.finish_reasons": ["stop"],
      "switchyard.request_id": "my-req-123",
    });
  });
});

describe("client disconnect", () => {
  it("aborts the upstream request at once and records the call as cancelled", async () => {
    const conv = newConversation();
    const controller = new AbortController();
    const stream = await client(keys.execute, { "x-conversation-id": conv }).chat.completions.create(
      { model: "claude-sonnet-4-6", messages: [{ role: "user", content: "long one #chunks=200 #slow=50" }], stream: true },
      { signal: controller.signal },
    );
    let seen = 0;
    await (async () => {
      for await (const _ of stream) {
        if (++seen === 3) controller.abort();
      }
    })().catch(() => {});
    const abortedAt = Date.now();
    const [row] = await ledgerRows({ conversation_id: conv }, 1);
    expect(row).toMatchObject({ status: "cancelled", streamed: true });
    // Anthropic reports input tokens in message_start: known before the cancel.
    expect(row!.input_tokens).toBeGreaterThan(0);
    // The whole stream would take 200 × 50 ms = 10 s; the row lands long before that.
    expect(Date.now() - abortedAt).toBeLessThan(5_000);
  });
});

describe("models", () => {
  it("lists the catalog in OpenAI's shape and marks configured providers", async () => {
    const list = await client(keys.read).models.list();
    const ids = list.data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(["claude-sonnet-4-6", "gpt-4.1-nano", "gemini-2.5-flash", "grok-3-mini", "text-embedding-3-small"]));
    expect((list.data[0] as unknown as { configured: boolean }).configured).toBe(true);
  });
});
