/**
 * The simulator checked against the recorded provider traffic in src/gateway/__fixtures__/providers:
 * for each provider, a simulated stream and a simulated body must have the same event order and the
 * same set of JSON key paths as a recording (values ignored). Where the simulator deliberately differs
 * from one recording, the difference is listed explicitly with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulatedUpstream } from "./server";
import type { SimProvider, SimulatedUpstream } from "./types";
import {
  collapse, drivers, eventKind, fixtureEvents, fixtureJson, fixtureText, http, KEY, keyPaths, keyPathsOf, minus,
  type ChatOptions, type WireEvent,
} from "./test-support";

let sim: SimulatedUpstream;
beforeAll(async () => {
  sim = await startSimulatedUpstream();
});
afterAll(() => sim.close());

const noArgTool = { name: "fixed_version", schema: { type: "object", properties: {} } };
const weatherTool = { name: "get_weather", schema: { type: "object", properties: { location: { type: "string" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } }, required: ["location"] } };
const timeTool = { name: "get_time", schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } };

interface Diff {
  missing?: string[];
  extra?: string[];
}

function compareStreams(provider: SimProvider, ours: WireEvent[], recorded: WireEvent[], diff: Diff = {}, dropDone = false) {
  const kinds = (evs: WireEvent[]) => collapse(evs.map((e) => eventKind(provider, e)).filter((k) => !(dropDone && k === "done")));
  expect(kinds(ours)).toEqual(kinds(recorded));
  const a = keyPathsOf(ours.map((e) => e.data));
  const b = keyPathsOf(recorded.map((e) => e.data));
  expect(minus(b, a)).toEqual(diff.missing ?? []);
  expect(minus(a, b)).toEqual(diff.extra ?? []);
}

function compareBodies(ours: unknown, recorded: unknown, diff: Diff = {}) {
  const a = keyPaths(ours);
  const b = keyPaths(recorded);
  expect(minus(b, a)).toEqual(diff.missing ?? []);
  expect(minus(a, b)).toEqual(diff.extra ?? []);
}

async function run(provider: SimProvider, o: ChatOptions) {
  const r = await drivers[provider].chat(sim, o);
  expect(r.status, r.raw).toBe(200);
  return r;
}

describe("Anthropic conformance", () => {
  // The simulator sends stop_details: null like the newer recordings (tool-use.json, thinking-tool-use-stream.sse).
  const stopDetails = ["delta.stop_details", "message.stop_details"];

  it("text stream matches text-stream.sse (event order incl. ping, cumulative message_delta usage)", async () => {
    const r = await run("anthropic", { prompt: "Name a famous pelican", stream: true, model: "claude-sonnet-4-6" });
    compareStreams("anthropic", r.events!, fixtureEvents("anthropic/text-stream.sse"), { extra: stopDetails });
    expect(r.raw.startsWith("event: message_start\ndata: {")).toBe(true);
  });

  it("thinking + tool stream matches thinking-tool-use-stream.sse exactly", async () => {
    const r = await run("anthropic", { prompt: "Use the fixed_version tool #tool", stream: true, reasoning: true, tools: [noArgTool], model: "claude-haiku-4-5-20251001" });
    compareStreams("anthropic", r.events!, fixtureEvents("anthropic/thinking-tool-use-stream.sse"));
    // A tool without arguments gets only the empty first partial_json, as recorded.
    expect(r.toolCalls[0]!.pieces).toEqual([""]);
  });

  it("thinking + text stream matches thinking-stream.chunks.txt", async () => {
    const r = await run("anthropic", { prompt: "Divide 925 by 5", stream: true, reasoning: true });
    compareStreams("anthropic", r.events!, fixtureEvents("anthropic/thinking-stream.chunks.txt"), {
      // context_management is a beta echo the simulator does not model; thinking_tokens is the newer usage field.
      missing: ["context_management", "context_management.applied_edits"],
      extra: [...stopDetails, "usage.output_tokens_details", "usage.output_tokens_details.thinking_tokens"],
    });
  });

  it("tool stream streams arguments as several input_json_delta pieces, the first one empty", async () => {
    const r = await run("anthropic", { prompt: "weather? #tool", stream: true, tools: [weatherTool] });
    const recorded = fixtureEvents("anthropic/tool-use-stream.chunks.txt");
    const recordedPieces = recorded.filter((e) => e.data.delta?.type === "input_json_delta").map((e) => e.data.delta.partial_json as string);
    expect(recordedPieces[0]).toBe("");
    expect(r.toolCalls[0]!.pieces[0]).toBe("");
    expect(r.toolCalls[0]!.pieces.length).toBeGreaterThan(2);
    expect(JSON.parse(r.toolCalls[0]!.pieces.join(""))).toEqual({ location: "location" });
  });

  it("non-stream bodies match text.json, tool-use.json, thinking.json and cache-read.json", async () => {
    compareBodies((await run("anthropic", { prompt: "Hello, how are you?" })).body, fixtureJson("anthropic/text.json"), { extra: ["stop_details"] });
    // The simulator's tool turns carry no text preamble before the tool_use block.
    const searchTool = { name: "search_tools", schema: { type: "object", properties: { queries: { type: "array", items: { type: "string" } } }, required: ["queries"] } };
    compareBodies((await run("anthropic", { prompt: "search #tool", tools: [searchTool] })).body, fixtureJson("anthropic/tool-use.json"), { missing: ["content[].text"] });
    compareBodies((await run("anthropic", { prompt: "Divide 925 by 5", reasoning: true })).body, fixtureJson("anthropic/thinking.json"), {
      missing: ["context_management", "context_management.applied_edits"],
      // Like the newer streamed recording (thinking-tool-use-stream.sse), usage reports the thinking share.
      extra: ["stop_details", "usage.output_tokens_details", "usage.output_tokens_details.thinking_tokens"],
    });
    const cached = await run("anthropic", { prompt: "Explain Python briefly #cache", system: "You are a concise assistant." });
    compareBodies(cached.body, fixtureJson("anthropic/cache-read.json"), { extra: ["stop_details"] });
    const u = cached.usage;
    expect(u.cache_read_input_tokens).toBeGreaterThan(0);
    expect(u.cache_creation_input_tokens).toBe(u.cache_creation.ephemeral_5m_input_tokens);
  });

  it("error bodies match error-404-not-found.json and error-400-invalid-request.json", async () => {
    const notFound = await run404("anthropic");
    compareBodies(notFound.body, fixtureJson("anthropic/error-404-not-found.json"));
    expect(notFound.body.error.message).toBe("model: claude-does-not-exist");
    const invalid = await drivers.anthropic.chat(sim, { prompt: "hi", extra: { temperature: 1.5 } });
    expect(invalid.status).toBe(400);
    compareBodies(invalid.body, fixtureJson("anthropic/error-400-invalid-request.json"));
    expect(invalid.headers.get("request-id")).toBe(invalid.body.request_id);
  });
});

describe("OpenAI conformance", () => {
  it("text stream with include_usage matches the gpt-4.1-nano chunks (usage: null, service_tier, obfuscation)", async () => {
    const r = await run("openai", { prompt: "Invent a holiday", stream: true });
    compareStreams("openai", r.events!, fixtureEvents("openai/chat-stream-gpt-4.1-nano.chunks.txt"), {}, true);
    expect(r.raw.endsWith("data: [DONE]\n\n")).toBe(true);
  });

  it("text stream has the same event order as chat-stream-text-usage.sse, [DONE] included", async () => {
    const r = await run("openai", { prompt: "What is the weather like?", stream: true, model: "gpt-4o-2024-08-06" });
    compareStreams("openai", r.events!, fixtureEvents("openai/chat-stream-text-usage.sse"), {
      // The recording predates prompt/completion details, service_tier, obfuscation and per-chunk `usage: null`.
      extra: [
        "obfuscation", "service_tier",
        "usage.completion_tokens_details.accepted_prediction_tokens", "usage.completion_tokens_details.audio_tokens",
        "usage.completion_tokens_details.rejected_prediction_tokens",
        "usage.prompt_tokens_details", "usage.prompt_tokens_details.audio_tokens", "usage.prompt_tokens_details.cached_tokens",
      ],
    });
  });

  it("parallel tool-call stream matches chat-stream-parallel-tool-calls.sse", async () => {
    const r = await run("openai", { prompt: "weather in two cities #tools2", stream: true, tools: [weatherTool, timeTool], model: "gpt-4o-2024-08-06" });
    compareStreams("openai", r.events!, fixtureEvents("openai/chat-stream-parallel-tool-calls.sse"), {
      extra: [
        "choices[].delta.refusal", "obfuscation", "service_tier",
        "usage.completion_tokens_details.accepted_prediction_tokens", "usage.completion_tokens_details.audio_tokens",
        "usage.completion_tokens_details.rejected_prediction_tokens",
        "usage.prompt_tokens_details", "usage.prompt_tokens_details.audio_tokens", "usage.prompt_tokens_details.cached_tokens",
      ],
    });
    expect(r.toolCalls.map((c) => c.name)).toEqual(["get_weather", "get_time"]);
    expect(r.toolCalls.every((c) => c.pieces.length > 1)).toBe(true);
  });

  it("reasoning model spending its budget matches chat-stream-reasoning-length.sse (no logprobs, finish length)", async () => {
    const r = await run("openai", { prompt: "Hello, I'm a developer!", stream: true, model: "gpt-5-nano", reasoning: true, maxTokens: 0 });
    compareStreams("openai", r.events!, fixtureEvents("openai/chat-stream-reasoning-length.sse"));
    expect(r.finish).toBe("length");
  });

  it("non-stream bodies match chat.json, chat-tool-calls.json, chat-reasoning-o3-mini.json, chat-json-mode.json", async () => {
    compareBodies((await run("openai", { prompt: "Invent a holiday" })).body, fixtureJson("openai/chat.json"));
    compareBodies((await run("openai", { prompt: "weather? #tool", tools: [weatherTool], model: "gpt-5-nano" })).body, fixtureJson("openai/chat-tool-calls.json"));
    compareBodies((await run("openai", { prompt: "Hello", model: "o3-mini", reasoning: true })).body, fixtureJson("openai/chat-reasoning-o3-mini.json"));
    compareBodies((await run("openai", { prompt: "a person as json #json", model: "gpt-5-nano", json: true })).body, fixtureJson("openai/chat-json-mode.json"));
  });

  it("error bodies are the recorded ones", async () => {
    const notFound = await run404("openai");
    compareBodies(notFound.body, fixtureJson("openai/error-404-model-not-found.json"));
    // OpenAI pretty-prints error bodies with 4 spaces.
    expect(notFound.raw.startsWith('{\n    "error": {\n        "message"')).toBe(true);
    const empty = await drivers.openai.chat(sim, { prompt: "x", extra: { messages: [] } });
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual(fixtureJson("openai/error-400-empty-array.json"));
    const maxTokens = await drivers.openai.chat(sim, { prompt: "x", model: "o3-mini", extra: { max_tokens: 10 } });
    expect(maxTokens.status).toBe(400);
    expect(maxTokens.body).toEqual(fixtureJson("openai/error-400-unsupported-parameter.json"));
  });

  it("embeddings match embeddings.json (float) and embeddings-base64.json", async () => {
    const req = fixtureJson("openai/embeddings.request.json");
    const floats = await http(`${sim.baseUrls.openai}/embeddings`, { headers: { authorization: `Bearer ${KEY}` }, body: req });
    expect(floats.status).toBe(200);
    compareBodies(floats.json, fixtureJson("openai/embeddings.json"));
    expect(floats.json.data[0].embedding).toHaveLength(fixtureJson("openai/embeddings.json").data[0].embedding.length);
    const b64 = await http(`${sim.baseUrls.openai}/embeddings`, { headers: { authorization: `Bearer ${KEY}` }, body: { ...req, input: ["a", "b"], encoding_format: "base64" } });
    compareBodies(b64.json, fixtureJson("openai/embeddings-base64.json"));
  });
});

describe("xAI conformance", () => {
  it("reasoning stream matches chat-stream-reasoning.chunks.txt (role with the first reasoning piece)", async () => {
    const r = await run("xai", { prompt: "Say a single word.", stream: true, reasoning: true });
    compareStreams("xai", r.events!, fixtureEvents("xai/chat-stream-reasoning.chunks.txt"), {}, true);
    const first = r.events![0]!.data.choices[0].delta;
    expect(Object.keys(first)).toEqual(["reasoning_content", "role"]);
    // Intermediate chunks carry no finish_reason / logprobs keys at all.
    expect(Object.keys(r.events![1]!.data.choices[0])).toEqual(["index", "delta"]);
  });

  it("reasoning tool-call stream matches chat-stream-reasoning-tool-call.chunks.txt (whole call in one delta)", async () => {
    const r = await run("xai", { prompt: "weather? #tool", stream: true, reasoning: true, tools: [weatherTool] });
    compareStreams("xai", r.events!, fixtureEvents("xai/chat-stream-reasoning-tool-call.chunks.txt"), {}, true);
    expect(r.toolCalls[0]!.pieces).toHaveLength(1);
  });

  it("non-stream bodies match chat-reasoning.json and chat-reasoning-tool-call.json", async () => {
    compareBodies((await run("xai", { prompt: "Say a single word.", reasoning: true })).body, fixtureJson("xai/chat-reasoning.json"));
    const tool = await run("xai", { prompt: "weather? #tool", reasoning: true, tools: [weatherTool] });
    compareBodies(tool.body, fixtureJson("xai/chat-reasoning-tool-call.json"));
    expect(tool.body.choices[0].message.content).toBe("");
  });
});

describe("Gemini conformance", () => {
  it("gemini-3 text stream matches text-stream-gemini3.chunks.txt (closing {text:'', thoughtSignature} chunk)", async () => {
    const r = await run("gemini", { prompt: "How many r's are in strawberry?", stream: true, model: "gemini-3-pro-preview" });
    compareStreams("gemini", r.events!, fixtureEvents("google/text-stream-gemini3.chunks.txt"));
  });

  it("gemini-3 function-call stream matches function-call-stream.sse", async () => {
    const r = await run("gemini", { prompt: "Which country? #tool", stream: true, model: "gemini-3-pro-preview", tools: [noArgTool] });
    compareStreams("gemini", r.events!, fixtureEvents("google/function-call-stream.sse"));
  });

  it("thought stream matches thought-stream.sse (thoughts first, running thoughtsTokenCount)", async () => {
    // Like the recorded request: a dummy function declared, which is what makes 2.5 sign its answer.
    const dummy = { name: "dummy", schema: { type: "OBJECT", properties: {} } };
    const r = await run("gemini", { prompt: "How do I cross the street?", stream: true, model: "gemini-2.5-pro", reasoning: true, system: "You are a helpful assistant.", tools: [dummy] });
    compareStreams("gemini", r.events!, fixtureEvents("google/thought-stream.sse"));
  });

  it("uses CRLF framing like text-stream.sse, with finishReason only on the last chunk and no terminal event", async () => {
    const r = await run("gemini", { prompt: "The capital of France?", stream: true, model: "gemini-2.0-flash" });
    compareStreams("gemini", r.events!, fixtureEvents("google/text-stream.sse"), {
      // gemini-2.0 reported per-modality candidate counts and no `index`; newer models do the opposite.
      missing: ["usageMetadata.candidatesTokensDetails", "usageMetadata.candidatesTokensDetails[].modality", "usageMetadata.candidatesTokensDetails[].tokenCount"],
      extra: ["candidates[].index"],
    });
    const recorded = fixtureText("google/text-stream.sse");
    expect(recorded.includes("\r\n\r\n")).toBe(true);
    expect(r.raw.split("\r\n\r\n").filter(Boolean).every((e) => e.startsWith("data: {"))).toBe(true);
    expect(r.raw.endsWith("}\r\n\r\n")).toBe(true);
    expect(r.raw.replaceAll("\r\n", "").includes("\n")).toBe(false);
    expect(r.events!.slice(0, -1).every((e) => e.data.candidates[0].finishReason === undefined)).toBe(true);
    expect(r.events!.every((e) => e.data.usageMetadata.promptTokenCount > 0)).toBe(true);
  });

  it("without alt=sse streams one JSON array like thought-function-call-stream.json-array.txt", async () => {
    const body = { ...fixtureJson("google/thought-function-call-stream.request.json") };
    body.contents = [{ role: "user", parts: [{ text: "Two names for a pet pelican #tool" }] }];
    const res = await http(`${sim.baseUrls.gemini}/models/gemini-2.5-flash:streamGenerateContent`, { headers: { "x-goog-api-key": KEY }, body });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.text.startsWith("[{")).toBe(true);
    expect(res.text).toContain("\r\n,\r\n");
    const recorded = JSON.parse(fixtureText("google/thought-function-call-stream.json-array.txt")) as unknown[];
    compareStreams("gemini", (res.json as unknown[]).map((data) => ({ data })), recorded.map((data) => ({ data })), {
      missing: ["usageMetadata.serviceTier"],
    });
  });

  it("non-stream bodies match text.json, function-call.json, max-tokens.json, safety-blocked.json, cached-content-usage.json", async () => {
    compareBodies((await run("gemini", { prompt: "How many r's in strawberry?", model: "gemini-3-pro-preview" })).body, fixtureJson("google/text.json"));
    compareBodies((await run("gemini", { prompt: "weather? #tool", model: "gemini-3-pro-preview", tools: [weatherTool] })).body, fixtureJson("google/function-call.json"));
    // serviceTier appears in the newer 2.5 recordings only.
    compareBodies((await run("gemini", { prompt: "The capital of France is #length" })).body, fixtureJson("google/max-tokens.json"), { missing: ["usageMetadata.serviceTier"] });
    compareBodies((await run("gemini", { prompt: "something hateful #refusal", model: "gemini-2.0-flash" })).body, fixtureJson("google/safety-blocked.json"), { extra: ["candidates[].index"] });
    compareBodies((await run("gemini", { prompt: "Describe the video #cache", reasoning: false, extra: { generationConfig: { thinkingConfig: { thinkingBudget: 512 } } } })).body, fixtureJson("google/cached-content-usage.json"), { missing: ["usageMetadata.serviceTier"] });
  });

  it("error bodies match error-404-not-found.json and error-429-resource-exhausted.json", async () => {
    compareBodies((await run404("gemini")).body, fixtureJson("google/error-404-not-found.json"));
    const limited = await drivers.gemini.chat(sim, { prompt: "#error=429" });
    expect(limited.status).toBe(429);
    compareBodies(limited.body, fixtureJson("google/error-429-resource-exhausted.json"));
  });

  it("batchEmbedContents matches embeddings-batch.json", async () => {
    const res = await http(`${sim.baseUrls.gemini}/models/gemini-embedding-001:batchEmbedContents`, {
      headers: { "x-goog-api-key": KEY },
      body: { requests: ["alpha", "beta"].map((text) => ({ model: "models/gemini-embedding-001", content: { parts: [{ text }] } })) },
    });
    expect(res.status).toBe(200);
    compareBodies(res.json, fixtureJson("google/embeddings-batch.json"));
  });
});

async function run404(provider: SimProvider) {
  const model = { openai: "gpt-does-not-exist", xai: "grok-does-not-exist", anthropic: "claude-does-not-exist", gemini: "gemini-does-not-exist" }[provider];
  const r = await drivers[provider].chat(sim, { prompt: "hi", model });
  expect(r.status).toBe(404);
  return r;
}
