/**
 * Auth, request validation like the real APIs (so translation bugs fail tests), request recording,
 * models lists and embeddings.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SKIP_SIGNATURE } from "./gemini-wire";
import { startSimulatedUpstream } from "./server";
import type { SimulatedUpstream } from "./types";
import { drivers, http, KEY } from "./test-support";

let sim: SimulatedUpstream;
beforeAll(async () => {
  sim = await startSimulatedUpstream();
});
afterAll(() => sim.close());

const weatherTool = { name: "get_weather", description: "", input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } };
const geminiTools = [{ functionDeclarations: [{ name: "get_weather", description: "", parameters: { type: "OBJECT", properties: { city: { type: "STRING" } }, required: ["city"] } }] }];

const anthropic = (body: unknown, headers: Record<string, string> = {}) =>
  http(`${sim.baseUrls.anthropic}/v1/messages`, { headers: { "x-api-key": KEY, "anthropic-version": "2023-06-01", ...headers }, body });
const openai = (body: unknown, provider: "openai" | "xai" = "openai", key = KEY) =>
  http(`${sim.baseUrls[provider]}/chat/completions`, { headers: { authorization: `Bearer ${key}` }, body });
const gemini = (model: string, body: unknown, headers: Record<string, string> = { "x-goog-api-key": KEY }) =>
  http(`${sim.baseUrls.gemini}/models/${model}:generateContent`, { headers, body });

describe("auth", () => {
  const hi = [{ role: "user", content: "hi" }];

  it("OpenAI: 401 without a key, 401 invalid_api_key with a wrong one (never echoing it whole)", async () => {
    const none = await http(`${sim.baseUrls.openai}/chat/completions`, { body: { model: "gpt-4.1-nano", messages: hi } });
    expect(none.status).toBe(401);
    expect(none.json.error.message).toMatch(/^You didn't provide an API key/);
    const wrong = await openai({ model: "gpt-4.1-nano", messages: hi }, "openai", "sk-live-0123456789abcdef");
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toMatchObject({ type: "invalid_request_error", code: "invalid_api_key", param: null });
    expect(wrong.text).not.toContain("sk-live-0123456789abcdef");
    expect((await http(`${sim.baseUrls.openai}/models`, { headers: { authorization: "Bearer nope-123" } })).status).toBe(401);
  });

  it("xAI: a wrong key is a 400 with the flat {code, error} body", async () => {
    const wrong = await openai({ model: "grok-3-mini", messages: hi }, "xai", "xai-0123456789");
    expect(wrong.status).toBe(400);
    expect(wrong.json).toEqual({ code: "Client specified an invalid argument", error: "Incorrect API key provided: xa***89. You can obtain an API key from https://console.x.ai." });
  });

  it("Anthropic: 401 authentication_error; the anthropic-version header is required", async () => {
    const body = { model: "claude-sonnet-4-5", max_tokens: 10, messages: hi };
    const none = await http(`${sim.baseUrls.anthropic}/v1/messages`, { headers: { "anthropic-version": "2023-06-01" }, body });
    expect(none.status).toBe(401);
    expect(none.json.error).toEqual({ type: "authentication_error", message: "x-api-key header is required" });
    const wrong = await anthropic(body, { "x-api-key": "wrong" });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } });
    expect(wrong.json.request_id).toMatch(/^req_/);
    const noVersion = await http(`${sim.baseUrls.anthropic}/v1/messages`, { headers: { "x-api-key": KEY }, body });
    expect(noVersion.status).toBe(400);
    expect(noVersion.json.error.message).toBe("anthropic-version: header is required");
  });

  it("Gemini: a wrong key is 400 INVALID_ARGUMENT with reason API_KEY_INVALID; no key is 403; ?key= works", async () => {
    const body = { contents: [{ role: "user", parts: [{ text: "hi" }] }] };
    const wrong = await gemini("gemini-2.5-flash", body, { "x-goog-api-key": "AIza-wrong" });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toMatchObject({ code: 400, status: "INVALID_ARGUMENT", message: "API key not valid. Please pass a valid API key." });
    expect(wrong.json.error.details[0]).toMatchObject({ reason: "API_KEY_INVALID", domain: "googleapis.com" });
    expect((await gemini("gemini-2.5-flash", body, {})).json.error.status).toBe("PERMISSION_DENIED");
    const viaQuery = await http(`${sim.baseUrls.gemini}/models/gemini-2.5-flash:generateContent?key=${KEY}`, { body });
    expect(viaQuery.status).toBe(200);
  });

  it("validKeys replaces the sk-sim- rule per provider", async () => {
    const local = await startSimulatedUpstream({ validKeys: { openai: ["exact-key-1"] } });
    try {
      const post = (key: string) =>
        http(`${local.baseUrls.openai}/chat/completions`, { headers: { authorization: `Bearer ${key}` }, body: { model: "gpt-4.1-nano", messages: hi } });
      expect((await post("exact-key-1")).status).toBe(200);
      expect((await post("sk-sim-anything")).status).toBe(401);
      // Providers without a list keep the default rule.
      const a = await http(`${local.baseUrls.anthropic}/v1/messages`, { headers: { "x-api-key": "sk-sim-x", "anthropic-version": "2023-06-01" }, body: { model: "claude-sonnet-4-5", max_tokens: 5, messages: hi } });
      expect(a.status).toBe(200);
    } finally {
      await local.close();
    }
  });
});

describe("unknown models, routes and bodies", () => {
  it("answers each provider's 404 for a model named *does-not-exist*", async () => {
    const o = await openai({ model: "gpt-does-not-exist", messages: [{ role: "user", content: "hi" }] });
    expect(o.status).toBe(404);
    expect(o.json.error).toMatchObject({ code: "model_not_found", message: "The model `gpt-does-not-exist` does not exist or you do not have access to it." });
    const x = await openai({ model: "grok-does-not-exist", messages: [{ role: "user", content: "hi" }] }, "xai");
    expect(x.status).toBe(404);
    expect(x.json.code).toBe("Some requested entity was not found");
    const a = await anthropic({ model: "claude-does-not-exist", max_tokens: 5, messages: [{ role: "user", content: "hi" }] });
    expect(a.json.error).toEqual({ type: "not_found_error", message: "model: claude-does-not-exist" });
    const g = await gemini("gemini-does-not-exist", { contents: [{ parts: [{ text: "hi" }] }] });
    expect(g.json.error).toMatchObject({ code: 404, status: "NOT_FOUND" });
  });

  it("rejects non-JSON bodies and unknown paths the provider's way", async () => {
    const bad = await openai("{not json");
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/could not parse the JSON body/);
    expect((await anthropic("{nope")).json.error.type).toBe("invalid_request_error");
    expect((await http(`${sim.baseUrls.openai}/completions-nope`, { headers: { authorization: `Bearer ${KEY}` }, body: {} })).status).toBe(404);
    const xEmb = await http(`${sim.baseUrls.xai}/embeddings`, { headers: { authorization: `Bearer ${KEY}` }, body: { model: "x", input: "y" } });
    expect(xEmb.status).toBe(404);
    expect((await http(`${sim.url}/elsewhere/v1/models`)).status).toBe(404);
  });
});

describe("OpenAI validation", () => {
  it("rejects max_tokens and a non-default temperature on reasoning models, reasoning_effort on gpt-4.x", async () => {
    const msgs = [{ role: "user", content: "hi" }];
    const maxTokens = await openai({ model: "gpt-5-nano", max_tokens: 10, messages: msgs });
    expect(maxTokens.json.error).toMatchObject({ code: "unsupported_parameter", param: "max_tokens" });
    expect((await openai({ model: "o4-mini", max_completion_tokens: 10, messages: msgs })).status).toBe(200);
    expect((await openai({ model: "o3", temperature: 0.2, messages: msgs })).json.error).toMatchObject({ code: "unsupported_value", param: "temperature" });
    expect((await openai({ model: "gpt-4o", reasoning_effort: "low", messages: msgs })).json.error).toMatchObject({ code: "unsupported_parameter", param: "reasoning_effort" });
  });

  it("checks tool messages against the preceding tool_calls, and stream_options against stream", async () => {
    const orphan = await openai({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "hi" }, { role: "tool", tool_call_id: "call_1", content: "x" }] });
    expect(orphan.status).toBe(400);
    expect(orphan.json.error.message).toMatch(/role 'tool' must be a response to a preceeding message with 'tool_calls'/);
    const unanswered = await openai({
      model: "gpt-4.1-nano",
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }, { id: "call_2", type: "function", function: { name: "f", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "call_1", content: "x" },
        { role: "user", content: "next" },
      ],
    });
    expect(unanswered.json.error.message).toMatch(/did not have response messages: call_2$/);
    expect((await openai({ model: "gpt-4.1-nano", stream_options: { include_usage: true }, messages: [{ role: "user", content: "hi" }] })).json.error.param).toBe("stream_options");
    expect((await openai({ model: "gpt-4.1-nano", messages: [{ role: "model", content: "hi" }] })).json.error.param).toBe("messages[0].role");
  });

  it("xAI rejects reasoning_effort on models without it", async () => {
    const r = await openai({ model: "grok-3", reasoning_effort: "low", messages: [{ role: "user", content: "hi" }] }, "xai");
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ code: "Client specified an invalid argument", error: "Model grok-3 does not support parameter reasoningEffort." });
  });
});

describe("Anthropic validation", () => {
  const user = (content: unknown) => ({ role: "user", content });
  const base = { model: "claude-sonnet-4-5", max_tokens: 2048 };
  const toolTurn = (ids: string[]) => ({ role: "assistant", content: ids.map((id) => ({ type: "tool_use", id, name: "get_weather", input: { city: "Oslo" } })) });
  const result = (id: string, content = "snow") => ({ type: "tool_result", tool_use_id: id, content });
  const message = async (body: object) => (await anthropic({ ...base, ...body })).json?.error?.message as string | undefined;

  it("requires max_tokens, non-empty text, temperature ≤ 1 and user/assistant roles", async () => {
    expect((await anthropic({ model: "claude-sonnet-4-5", messages: [user("hi")] })).json.error.message).toBe("max_tokens: Field required");
    expect(await message({ messages: [user([{ type: "text", text: "" }])] })).toBe("messages: text content blocks must be non-empty");
    expect(await message({ messages: [user("")] })).toBe("messages.0: all messages must have non-empty content except for the optional final assistant message");
    expect(await message({ temperature: 1.5, messages: [user("hi")] })).toBe("temperature: Input should be less than or equal to 1");
    expect(await message({ messages: [{ role: "system", content: "be nice" }, user("hi")] })).toBe("messages.0.role: Input should be 'user' or 'assistant'");
    expect(await message({ messages: [user([{ type: "image", source: { type: "base64", media_type: "image/bmp", data: "AAAA" } }])] })).toMatch(/media_type: Input should be 'image\/jpeg'/);
  });

  it("requires all tool results first in the one user message right after the tool_use turn", async () => {
    const tools = [weatherTool];
    const ok = await anthropic({ ...base, tools, messages: [user("weather?"), toolTurn(["toolu_a", "toolu_b"]), user([result("toolu_a"), result("toolu_b"), { type: "text", text: "thanks" }])] });
    expect(ok.status).toBe(200);
    expect(ok.json.content[0].text).toBe("Tool results: snow; snow");
    // Results split over two user messages.
    expect(await message({ tools, messages: [user("weather?"), toolTurn(["toolu_a", "toolu_b"]), user([result("toolu_a")]), user([result("toolu_b")])] }))
      .toBe("messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_b. Each `tool_use` block must have a corresponding `tool_result` block in the next message.");
    // Text before the results.
    expect(await message({ tools, messages: [user("weather?"), toolTurn(["toolu_a"]), user([{ type: "text", text: "here" }, result("toolu_a")])] }))
      .toMatch(/^messages\.2\.content\.0: Did not find 1 `tool_result` block\(s\) at the beginning of this message/);
    // A result for a call that was never made.
    expect(await message({ tools, messages: [user("weather?"), toolTurn(["toolu_a"]), user([result("toolu_zzz")])] }))
      .toMatch(/^messages\.2\.content\.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_zzz/);
    // tool_use/tool_result without tools.
    expect(await message({ messages: [user("weather?"), toolTurn(["toolu_a"]), user([result("toolu_a")])] }))
      .toBe("Requests which include `tool_use` or `tool_result` blocks must define tools.");
  });

  it("with thinking on, needs the issued thinking block (exact signature) before the replayed tool_use", async () => {
    const d = drivers.anthropic;
    const prompt = "weather in Oslo? #tool";
    const tools = [{ name: "get_weather", schema: weatherTool.input_schema }];
    const first = await d.chat(sim, { prompt, tools, reasoning: true });
    expect(first.status).toBe(200);
    const history = d.toolHistory(first, prompt, ["snow"]);
    const followUp = await d.chat(sim, { prompt, tools, reasoning: true, stream: true }, history);
    expect(followUp.status).toBe(200);
    expect(followUp.text).toBe("Tool results: snow");

    const thinking = { ...base, max_tokens: 4096, thinking: { type: "enabled", budget_tokens: 1024 }, tools: [weatherTool] };
    const [, assistant, results] = history as [unknown, { content: { type: string; signature?: string; thinking?: string }[] }, unknown];
    const withoutThinking = { role: "assistant", content: assistant.content.filter((b) => b.type !== "thinking") };
    const missing = await anthropic({ ...thinking, messages: [user(prompt), withoutThinking, results] });
    expect(missing.status).toBe(400);
    expect(missing.json.error.message).toMatch(/^messages\.1\.content\.0\.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`\. When `thinking` is enabled/);

    const tampered = { role: "assistant", content: assistant.content.map((b) => (b.type === "thinking" ? { ...b, signature: `${b.signature!.slice(0, -4)}AAA=` } : b)) };
    expect((await anthropic({ ...thinking, messages: [user(prompt), tampered, results] })).json.error.message).toBe("messages.1.content.0: Invalid `signature` in `thinking` block");
    const edited = { role: "assistant", content: assistant.content.map((b) => (b.type === "thinking" ? { ...b, thinking: `${b.thinking} (edited)` } : b)) };
    expect((await anthropic({ ...thinking, messages: [user(prompt), edited, results] })).status).toBe(400);

    // A signature from another simulator instance (another key/route) is not valid here.
    const other = await startSimulatedUpstream();
    try {
      const foreign = await d.chat(other, { prompt, tools, reasoning: true });
      const replay = await anthropic({ ...thinking, messages: d.toolHistory(foreign, prompt, ["snow"]) });
      expect(replay.json.error.message).toBe("messages.1.content.0: Invalid `signature` in `thinking` block");
    } finally {
      await other.close();
    }
  });

  it("checks the thinking budget against max_tokens and temperature", async () => {
    const msgs = [user("hi")];
    expect(await message({ max_tokens: 1000, thinking: { type: "enabled", budget_tokens: 1024 }, messages: msgs })).toMatch(/^`max_tokens` must be greater than `thinking.budget_tokens`/);
    expect(await message({ thinking: { type: "enabled", budget_tokens: 100 }, messages: msgs })).toBe("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
    expect(await message({ temperature: 0.5, thinking: { type: "adaptive" }, messages: msgs })).toMatch(/^`temperature` may only be set to 1 when thinking is enabled/);
  });
});

describe("Gemini validation", () => {
  const text = (t: string) => ({ role: "user", parts: [{ text: t }] });

  it("accepts only user/model roles and needs named functionResponses with object payloads", async () => {
    expect((await gemini("gemini-2.5-flash", { contents: [text("hi"), { role: "assistant", parts: [{ text: "yo" }] }] })).json.error.message).toBe("Please use a valid role: user, model.");
    const call = { role: "model", parts: [{ functionCall: { name: "get_weather", args: { city: "Oslo" } } }] };
    const noName = await gemini("gemini-2.5-flash", { tools: geminiTools, contents: [text("w?"), call, { role: "user", parts: [{ functionResponse: { response: { output: "snow" } } }] }] });
    expect(noName.status).toBe(400);
    expect(noName.json.error.message).toMatch(/function_response\.name: Name cannot be empty/);
    const stringResponse = await gemini("gemini-2.5-flash", { tools: geminiTools, contents: [text("w?"), call, { role: "user", parts: [{ functionResponse: { name: "get_weather", response: "snow" } }] }] });
    expect(stringResponse.json.error.message).toMatch(/function_response\.response' \(type\.googleapis\.com\/google\.protobuf\.Struct\)/);
    const ok = await gemini("gemini-2.5-flash", { tools: geminiTools, contents: [text("w?"), call, { role: "user", parts: [{ function_response: { name: "get_weather", response: { output: "snow" } } }] }] });
    expect(ok.status).toBe(200);
    expect(ok.json.candidates[0].content.parts[0].text).toBe("Tool results: snow");
    const split = await gemini("gemini-2.5-flash", {
      tools: geminiTools,
      contents: [text("w?"), { role: "model", parts: [call.parts[0], call.parts[0]] }, { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { output: "snow" } } }] }],
    });
    expect(split.json.error.message).toBe("Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.");
  });

  it("gemini-3 needs the issued thoughtSignature (or the skip sentinel) on replayed function calls", async () => {
    const d = drivers.gemini;
    const prompt = "weather in Oslo? #tool";
    const tools = [{ name: "get_weather", schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }];
    const model = "gemini-3-pro-preview";
    const first = await d.chat(sim, { prompt, tools, model });
    expect(first.toolCalls[0]!.signature).toBeTruthy();
    const history = d.toolHistory(first, prompt, ["snow"]) as [unknown, { role: string; parts: Record<string, unknown>[] }, unknown];
    const ok = await d.chat(sim, { prompt, tools, model }, history);
    expect(ok.text).toBe("Tool results: snow");

    const withSig = (sig: string | undefined) => [history[0], { role: "model", parts: history[1].parts.map(({ thoughtSignature: _, ...p }) => (sig === undefined ? p : { ...p, thoughtSignature: sig })) }, history[2]];
    const body = (contents: unknown[]) => ({ tools: geminiTools, contents });
    const missing = await gemini(model, body(withSig(undefined)));
    expect(missing.status).toBe(400);
    expect(missing.json.error.message).toMatch(/^Function call is missing a thought_signature in functionCall parts\./);
    expect((await gemini(model, body(withSig(SKIP_SIGNATURE)))).status).toBe(200);
    expect((await gemini(model, body(withSig("Zm9yZ2Vk")))).json.error.message).toMatch(/^Corrupted thought signature/);
    // Earlier turns (before the last user text) and gemini-2.5 are not checked.
    expect((await gemini("gemini-2.5-flash", body(withSig(undefined)))).status).toBe(200);
    expect((await gemini(model, body([...withSig(undefined), { role: "model", parts: [{ text: "Snow." }] }, text("thanks")]))).status).toBe(200);
  });

  it("rejects thinkingConfig on models that cannot think", async () => {
    const r = await gemini("gemini-2.0-flash", { contents: [text("hi")], generationConfig: { thinkingConfig: { includeThoughts: true } } });
    expect(r.status).toBe(400);
  });
});

describe("recording, models and embeddings", () => {
  it("records every request (lower-cased headers, parsed body, real API path, status) and clears", async () => {
    sim.clear();
    await gemini("gemini-2.5-flash", { contents: [text2("hi")] }, { "X-Goog-Api-Key": KEY });
    await http(`${sim.baseUrls.gemini}/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, { headers: { "x-goog-api-key": KEY }, body: { contents: [text2("hi")] } });
    expect(sim.requests).toHaveLength(2);
    expect(sim.requests[0]).toMatchObject({ provider: "gemini", method: "POST", path: "/v1beta/models/gemini-2.5-flash:generateContent", query: {}, status: 200, body: { contents: [text2("hi")] } });
    expect(sim.requests[0]!.headers["x-goog-api-key"]).toBe(KEY);
    expect(sim.requests[1]!.query).toEqual({ alt: "sse" });
    sim.clear();
    expect(sim.requests).toHaveLength(0);
  });

  it("keeps at most maxRecorded requests (0 records nothing)", async () => {
    const local = await startSimulatedUpstream({ maxRecorded: 0 });
    try {
      await http(`${local.baseUrls.openai}/models`, { headers: { authorization: `Bearer ${KEY}` } });
      expect(local.requests).toHaveLength(0);
    } finally {
      await local.close();
    }
  });

  it("lists models in each provider's shape", async () => {
    const o = await http(`${sim.baseUrls.openai}/models`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(o.json.object).toBe("list");
    expect(o.json.data[0]).toMatchObject({ object: "model", owned_by: "system" });
    const x = await http(`${sim.baseUrls.xai}/models`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(x.json.data.map((m: { id: string }) => m.id)).toContain("grok-3-mini");
    const a = await http(`${sim.baseUrls.anthropic}/v1/models`, { headers: { "x-api-key": KEY, "anthropic-version": "2023-06-01" } });
    expect(a.json).toMatchObject({ has_more: false, data: expect.arrayContaining([expect.objectContaining({ type: "model", id: "claude-sonnet-4-6" })]) });
    const g = await http(`${sim.baseUrls.gemini}/models`, { headers: { "x-goog-api-key": KEY } });
    expect(g.json.models[0].name).toMatch(/^models\//);
  });

  it("OpenAI embeddings: deterministic unit vectors, dimensions, base64 = the same float32 values", async () => {
    const post = (body: object) => http(`${sim.baseUrls.openai}/embeddings`, { headers: { authorization: `Bearer ${KEY}` }, body });
    const a = await post({ model: "text-embedding-3-small", input: ["alpha beta", "gamma"] });
    const again = await post({ model: "text-embedding-3-small", input: "alpha beta" });
    expect(a.json.data[0].embedding).toEqual(again.json.data[0].embedding);
    expect(a.json.data[0].embedding).not.toEqual(a.json.data[1].embedding);
    expect(a.json.data[0].embedding).toHaveLength(1536);
    const norm = Math.hypot(...(a.json.data[0].embedding as number[]));
    expect(norm).toBeCloseTo(1, 5);
    expect(a.json.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    const b64 = await post({ model: "text-embedding-3-small", input: ["alpha beta"], encoding_format: "base64" });
    const buf = Buffer.from(b64.json.data[0].embedding as string, "base64");
    const decoded = Array.from(new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4));
    expect(decoded).toEqual((a.json.data[0].embedding as number[]).map(Math.fround));
    expect((await post({ model: "text-embedding-3-large", input: "x", dimensions: 256 })).json.data[0].embedding).toHaveLength(256);
    expect((await post({ model: "text-embedding-ada-002", input: "x", dimensions: 256 })).status).toBe(400);
    expect((await post({ model: "text-embedding-3-small", input: "" })).status).toBe(400);
    expect((await post({ model: "text-embedding-3-small", input: "x #error=429" })).status).toBe(429);
  });

  it("Gemini batchEmbedContents and embedContent: per-request dimensions, model must match the URL", async () => {
    const url = `${sim.baseUrls.gemini}/models/gemini-embedding-001`;
    const req = (t: string, extra: object = {}) => ({ model: "models/gemini-embedding-001", content: { parts: [{ text: t }] }, ...extra });
    const batch = await http(`${url}:batchEmbedContents`, { headers: { "x-goog-api-key": KEY }, body: { requests: [req("alpha"), req("beta", { outputDimensionality: 768 })] } });
    expect(batch.status).toBe(200);
    expect(batch.json.embeddings.map((e: { values: number[] }) => e.values.length)).toEqual([3072, 768]);
    expect(batch.json.usageMetadata.promptTokenCount).toBe(2);
    const single = await http(`${url}:embedContent`, { headers: { "x-goog-api-key": KEY }, body: { content: { parts: [{ text: "alpha" }] } } });
    expect(single.json.embedding.values).toEqual(batch.json.embeddings[0].values);
    const mismatch = await http(`${url}:batchEmbedContents`, { headers: { "x-goog-api-key": KEY }, body: { requests: [{ ...req("a"), model: "models/other" }] } });
    expect(mismatch.status).toBe(400);
  });
});

function text2(t: string) {
  return { role: "user", parts: [{ text: t }] };
}
