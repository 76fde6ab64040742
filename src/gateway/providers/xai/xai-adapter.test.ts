import { describe, expect, it } from "vitest";
import { GatewayError, toErrorBody } from "../../errors";
import { chunkLines, fakeContext, joinedContent, parseRequest, readFixture, readJsonFixture, replay, streamBytes } from "../openai-compatible/replay-fixtures.test-helper";
import { xaiAdapter } from "./xai-adapter";

const adapter = xaiAdapter;
const streamReq = parseRequest({ model: "grok-3-mini", messages: [{ role: "user", content: "hi" }], stream: true });

function replayFixture(name: string) {
  return replay(adapter, streamReq, fakeContext("grok-3-mini"), [streamBytes("xai", name)]);
}

function upstreamLines(name: string): Array<{ choices: Array<{ delta?: Record<string, unknown> }> }> {
  return readFixture("xai", name)
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { choices: Array<{ delta?: Record<string, unknown> }> });
}

function buildError(body: Record<string, unknown>, model: string): GatewayError {
  try {
    adapter.buildChatRequest(parseRequest({ messages: [{ role: "user", content: "hi" }], ...body, model }), fakeContext(model), false);
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error("expected a GatewayError");
}

describe("xai adapter: identity", () => {
  it("names itself and has no embeddings", () => {
    expect(adapter.id).toBe("xai");
    expect(adapter.displayName).toBe("xAI");
    expect(adapter.defaultBaseUrl).toBe("https://api.x.ai/v1");
    expect(adapter.buildEmbeddingsRequest).toBeUndefined();
    expect(adapter.parseEmbeddingsResponse).toBeUndefined();
  });

  it("checks a key with GET /models", () => {
    expect(adapter.buildKeyCheckRequest("xai-k", "https://api.x.ai/v1/")).toEqual({
      url: "https://api.x.ai/v1/models",
      method: "GET",
      headers: { authorization: "Bearer xai-k" },
    });
  });
});

describe("xai adapter: outbound request", () => {
  it("passes the request through with bearer auth and forced stream usage", async () => {
    const req = parseRequest({
      model: "grok-3-mini",
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "Hello", reasoning_content: "they greeted me" },
      ],
      stream: true,
      reasoning_effort: "high",
      search_parameters: { mode: "off" },
    });
    const request = await adapter.buildChatRequest(req, fakeContext("grok-3-mini", { baseUrl: "https://api.x.ai/v1" }), true);
    expect(request.url).toBe("https://api.x.ai/v1/chat/completions");
    expect(request.headers.authorization).toBe("Bearer sk-test-0123456789abcdefghij");
    expect(JSON.parse(request.body ?? "")).toEqual({
      model: "grok-3-mini",
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "Hello" },
      ],
      stream: true,
      stream_options: { include_usage: true },
      reasoning_effort: "high",
      search_parameters: { mode: "off" },
    });
  });

  it("keeps max_tokens (the reasoning-model rewrite is OpenAI's)", async () => {
    const request = await adapter.buildChatRequest(parseRequest({ model: "grok-3-mini", messages: [{ role: "user", content: "hi" }], max_tokens: 5 }), fakeContext("grok-3-mini"), false);
    expect(JSON.parse(request.body ?? "")).toMatchObject({ max_tokens: 5 });
  });

  it("accepts the efforts a model lists", async () => {
    for (const [model, effort] of [["grok-3-mini", "low"], ["grok-4.3", "none"], ["grok-4.3", "medium"]] as const) {
      const request = await adapter.buildChatRequest(parseRequest({ model, messages: [{ role: "user", content: "hi" }], reasoning_effort: effort }), fakeContext(model), false);
      expect(JSON.parse(request.body ?? "").reasoning_effort).toBe(effort);
    }
  });

  it("rejects an effort the model does not list (400 reasoning_effort)", () => {
    const err = buildError({ reasoning_effort: "medium" }, "grok-3-mini");
    expect(err.status).toBe(400);
    expect(err.param).toBe("reasoning_effort");
    expect(err.message).toContain("low, high");
  });

  it("rejects any effort on a model without reasoning control", () => {
    const err = buildError({ reasoning_effort: "low" }, "grok-3");
    expect(err.status).toBe(400);
    expect(err.param).toBe("reasoning_effort");
  });

  it("passes an effort through for a model missing from the catalog", async () => {
    const ctx = fakeContext("grok-9-experimental");
    expect(ctx.modelInfo).toBeUndefined();
    const request = await adapter.buildChatRequest(parseRequest({ model: "grok-9-experimental", messages: [{ role: "user", content: "hi" }], reasoning_effort: "xhigh" }), ctx, false);
    expect(JSON.parse(request.body ?? "").reasoning_effort).toBe("xhigh");
  });

  it("rejects stream_options without stream", () => {
    const err = buildError({ stream_options: { include_usage: true } }, "grok-3-mini");
    expect(err.param).toBe("stream_options");
    expect(err.status).toBe(400);
  });
});

describe("xai adapter: non-streaming responses", () => {
  const req = parseRequest({ model: "grok-3-mini", messages: [{ role: "user", content: "hi" }] });

  it("chat-reasoning.json: reasoning_content kept, completion normalised to include reasoning", () => {
    const { completion, usage } = adapter.parseChatResponse(readJsonFixture("xai", "chat-reasoning.json"), req, fakeContext("grok-3-mini"));
    expect(completion).toMatchSnapshot();
    const message = completion.choices[0]?.message;
    expect(message?.content).toBe("Hello");
    expect(message?.reasoning_content?.startsWith('First, the user said: "Say a single word."')).toBe(true);
    expect(usage).toEqual({ inputTokens: 12, cachedInputTokens: 2, cacheWriteTokens: 0, outputTokens: 229, reasoningTokens: 228 });
    // xAI said completion 1, total 241; the gateway reports OpenAI arithmetic: 229 completion, 241 total.
    expect(completion.usage).toMatchObject({
      prompt_tokens: 12,
      completion_tokens: 229,
      total_tokens: 241,
      prompt_tokens_details: { cached_tokens: 2 },
      completion_tokens_details: { reasoning_tokens: 228 },
    });
    expect(completion.usage).not.toHaveProperty("cost_in_usd_ticks");
    expect(completion.system_fingerprint).toBe("fp_2a885414fb");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
  });

  it("chat-reasoning-tool-call.json: tool call, reasoning, content \"\" normalised to null", () => {
    const { completion, usage } = adapter.parseChatResponse(readJsonFixture("xai", "chat-reasoning-tool-call.json"), req, fakeContext("grok-3-mini"));
    expect(completion).toMatchSnapshot();
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([{ id: "call_93562515", type: "function", function: { name: "weather", arguments: '{"location":"San Francisco"}' } }]);
    expect(choice?.message.reasoning_content).toContain('function available called "weather"');
    expect(usage).toEqual({ inputTokens: 291, cachedInputTokens: 244, cacheWriteTokens: 0, outputTokens: 215, reasoningTokens: 189 });
    expect(completion.usage.total_tokens).toBe(506);
  });
});

describe("xai adapter: streams", () => {
  it("chat-stream-reasoning.chunks.txt: role + first reasoning piece in one chunk, text, normalised usage", () => {
    const { chunks, transformer } = replayFixture("chat-stream-reasoning.chunks.txt");
    expect(chunkLines(chunks)).toMatchSnapshot();
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", reasoning_content: "First" });
    expect(chunks.slice(1).every((c) => c.choices[0]?.delta.role === undefined)).toBe(true);
    // xAI omits finish_reason on intermediate chunks; they carry null.
    expect(chunks.slice(0, -1).every((c) => c.choices[0]?.finish_reason === null && c.choices[0]?.logprobs === null)).toBe(true);
    const upstream = upstreamLines("chat-stream-reasoning.chunks.txt");
    const expectedReasoning = upstream.flatMap((c) => c.choices.map((ch) => (ch.delta?.reasoning_content as string | undefined) ?? "")).join("");
    expect(joinedContent(chunks, 0, "reasoning_content")).toBe(expectedReasoning);
    expect(expectedReasoning).toContain("–");
    expect(joinedContent(chunks)).toBe("Grok");
    expect(chunks).toHaveLength(upstream.length - 1);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
    expect(transformer.finishReason()).toBe("stop");
    // 12 prompt (11 cached), 2 completion + 340 reasoning → 342 output.
    expect(transformer.usage()).toEqual({ inputTokens: 12, cachedInputTokens: 11, cacheWriteTokens: 0, outputTokens: 342, reasoningTokens: 340 });
    expect(transformer.responseId()).toBe("f0f0f217-c24d-1fee-5fe3-28fa1d3c8c94");
  });

  it("chat-stream-reasoning-tool-call.chunks.txt: the whole call in one delta", () => {
    const { chunks, transformer } = replayFixture("chat-stream-reasoning-tool-call.chunks.txt");
    expect(chunkLines(chunks)).toMatchSnapshot();
    const toolDeltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(toolDeltas).toEqual([{ index: 0, id: "call_79382389", type: "function", function: { name: "weather", arguments: '{"location":"San Francisco"}' } }]);
    expect(joinedContent(chunks, 0, "reasoning_content").startsWith("First, the user is asking about the weather in San Francisco")).toBe(true);
    expect(transformer.finishReason()).toBe("tool_calls");
    expect(transformer.usage()).toEqual({ inputTokens: 307, cachedInputTokens: 306, cacheWriteTokens: 0, outputTokens: 253, reasoningTokens: 227 });
  });

  it("a stream cut after the reasoning fails in end()", () => {
    const lines = readFixture("xai", "chat-stream-reasoning.chunks.txt").split("\n").slice(0, 50);
    const body = new TextEncoder().encode(lines.map((l) => `data: ${l}\n\n`).join(""));
    expect(() => replay(adapter, streamReq, fakeContext("grok-3-mini"), [body])).toThrowError(
      expect.objectContaining({ code: "upstream_bad_response", status: 502 }),
    );
  });

  it("a flat xAI error event mid-stream becomes a GatewayError", () => {
    const transformer = adapter.createChatStream(streamReq, fakeContext("grok-3-mini"));
    expect(() => transformer.push({ data: JSON.stringify({ code: "Internal error", error: "Service temporarily unavailable" }) })).toThrowError(
      expect.objectContaining({ message: "xAI: Service temporarily unavailable", status: 500 }),
    );
  });
});

describe("xai adapter: errors", () => {
  const headers = new Headers();

  it("a bad key answered with 400 becomes 401 invalid_api_key", () => {
    const body = JSON.stringify({ code: "Client specified an invalid argument", error: "Incorrect API key provided: xa***mn. You can obtain an API key from https://console.x.ai." });
    const err = adapter.parseError(400, body, headers);
    expect(err.status).toBe(401);
    expect(err.code).toBe("invalid_api_key");
    expect(toErrorBody(err)).toEqual({
      error: {
        message: "xAI: Incorrect API key provided: xa***mn. You can obtain an API key from https://console.x.ai.",
        type: "authentication_error",
        param: null,
        code: "invalid_api_key",
      },
    });
  });

  it("recognises the percent-encoded variant of the bad-key message", () => {
    const body = JSON.stringify({ code: "Client specified an invalid argument", error: "Incorrect%20API%20key%20provided:%20ba***na.%20You%20can%20obtain%20an%20API%20key%20from%20https://console.x.ai." });
    const err = adapter.parseError(400, body, headers);
    expect(err.status).toBe(401);
    expect(err.message).toBe("xAI: Incorrect API key provided: ba***na. You can obtain an API key from https://console.x.ai.");
  });

  it("other statuses follow the shared mapping", () => {
    const bad = adapter.parseError(400, JSON.stringify({ code: "Client specified an invalid argument", error: "Model does not support parameter reasoningEffort." }), headers);
    expect(bad.status).toBe(400);
    expect(bad.type).toBe("invalid_request_error");
    expect(bad.message).toBe("xAI: Model does not support parameter reasoningEffort.");
    const missing = adapter.parseError(404, JSON.stringify({ code: "Some requested entity was not found", error: "The model grok-0 does not exist." }), headers);
    expect(missing.status).toBe(404);
    expect(missing.code).toBe("model_not_found");
    const limited = adapter.parseError(429, JSON.stringify({ code: "Too many requests", error: "slow down" }), new Headers({ "retry-after": "7" }));
    expect(limited.status).toBe(429);
    expect(limited.retryAfter).toBe("7");
    expect(adapter.parseError(500, "", headers).status).toBe(500);
  });

  it("never echoes an xAI key", () => {
    const key = "xai-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    const err = adapter.parseError(400, JSON.stringify({ code: "x", error: `bad key ${key}` }), headers);
    expect(err.message).not.toContain(key);
    expect(err.upstreamBody).not.toContain(key);
  });
});
