import { describe, expect, it } from "vitest";
import { GatewayError, errorHeaders, toErrorBody } from "../../errors";
import { decodeEmbeddingBase64, embeddingsRequestSchema } from "../../openai/embeddings-request";
import {
  chunkLines,
  fakeContext,
  joinedContent,
  parseRequest,
  readFixture,
  readJsonFixture,
  replay,
  streamBytes,
} from "../openai-compatible/replay-fixtures.test-helper";
import { openaiAdapter } from "./openai-adapter";

const adapter = openaiAdapter;

function bodyOf(request: { body?: string }): Record<string, unknown> {
  expect(request.body).toBeDefined();
  return JSON.parse(request.body ?? "null") as Record<string, unknown>;
}

async function build(body: unknown, stream: boolean, model?: string) {
  const req = parseRequest(body);
  return adapter.buildChatRequest(req, fakeContext(model ?? req.model), stream);
}

function replayFixture(name: string) {
  const req = parseRequest({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }], stream: true });
  return replay(adapter, req, fakeContext(req.model), [streamBytes("openai", name)]);
}

function thrown(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error("expected a GatewayError");
}

describe("openai adapter: identity", () => {
  it("names itself and serves embeddings", () => {
    expect(adapter.id).toBe("openai");
    expect(adapter.displayName).toBe("OpenAI");
    expect(adapter.defaultBaseUrl).toBe("https://api.openai.com/v1");
    expect(adapter.buildEmbeddingsRequest).toBeTypeOf("function");
    expect(adapter.parseEmbeddingsResponse).toBeTypeOf("function");
  });

  it("checks a key with GET /models and the bearer key", () => {
    expect(adapter.buildKeyCheckRequest("sk-abc", "https://api.openai.com/v1")).toEqual({
      url: "https://api.openai.com/v1/models",
      method: "GET",
      headers: { authorization: "Bearer sk-abc" },
    });
  });
});

describe("openai adapter: outbound chat request", () => {
  const recorded: Array<[string, boolean]> = [
    ["chat-tool-calls.request.json", false],
    ["chat-json-mode.request.json", false],
    ["chat-image-input.request.json", false],
    ["chat-reasoning-o3-mini.request.json", false],
    ["chat-stream-reasoning-length.request.json", true],
  ];

  it.each(recorded)("%s is sent exactly as recorded", async (name, stream) => {
    const fixture = readJsonFixture("openai", name);
    const request = await build(fixture, stream);
    expect(request.method).toBe("POST");
    expect(request.url).toBe("https://upstream.test/v1/chat/completions");
    expect(request.headers.authorization).toBe("Bearer sk-test-0123456789abcdefghij");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(bodyOf(request)).toEqual(fixture);
  });

  it("always asks for usage on streams, whatever the client chose", async () => {
    const request = await build(
      { model: "gpt-4.1", messages: [{ role: "user", content: "hi" }], stream: true, stream_options: { include_usage: false } },
      true,
    );
    expect(bodyOf(request)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const noOptions = await build({ model: "gpt-4.1", messages: [{ role: "user", content: "hi" }], stream: true }, true);
    expect(bodyOf(noOptions).stream_options).toEqual({ include_usage: true });
  });

  it("rejects stream_options without stream (400 naming stream_options)", async () => {
    const err = await build({ model: "gpt-4.1", messages: [{ role: "user", content: "hi" }], stream_options: { include_usage: true } }, false).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).status).toBe(400);
    expect((err as GatewayError).param).toBe("stream_options");
  });

  it("passes unknown top-level and message fields through for the provider to judge", async () => {
    const body = {
      model: "gpt-4.1",
      messages: [{ role: "user", content: "hi", name: "ann", some_vendor_field: 1 }],
      store: true,
      metadata: { team: "a" },
      prediction: { type: "content", content: "x" },
      temperature: 0.2,
      max_tokens: 50,
    };
    expect(bodyOf(await build(body, false))).toEqual(body);
  });

  it("sends the resolved upstream model, not the client's alias", async () => {
    const request = await build({ model: "my-alias", messages: [{ role: "user", content: "hi" }] }, false, "gpt-4.1-2025-04-14");
    expect(bodyOf(request).model).toBe("gpt-4.1-2025-04-14");
  });

  it("strips the gateway's extension fields from assistant turns, without mutating the request", async () => {
    const input = {
      model: "gpt-4.1",
      messages: [
        { role: "user", content: "weather?" },
        {
          role: "assistant",
          content: null,
          reasoning_content: "thinking about weather",
          thinking_blocks: [{ type: "thinking", thinking: "t", signature: "sig" }],
          tool_calls: [
            {
              id: "call_1",
              type: "function",
              function: { name: "weather", arguments: "{}" },
              extra_content: { google: { thought_signature: "abc" } },
            },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "sunny" },
      ],
    };
    const req = parseRequest(input);
    const snapshot = JSON.stringify(req);
    const body = bodyOf(await adapter.buildChatRequest(req, fakeContext("gpt-4.1"), false));
    expect(body.messages).toEqual([
      { role: "user", content: "weather?" },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "weather", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "call_1", content: "sunny" },
    ]);
    expect(JSON.stringify(req)).toBe(snapshot);
  });

  describe("max_tokens on reasoning models", () => {
    const messages = [{ role: "user", content: "hello" }];

    it("is rewritten to max_completion_tokens for catalog reasoning models", async () => {
      const body = bodyOf(await build({ model: "o3-mini", messages, max_tokens: 100 }, false));
      expect(body).not.toHaveProperty("max_tokens");
      expect(body.max_completion_tokens).toBe(100);
    });

    it.each(["o1-preview", "o3-pro-2099", "o4-mini-deep", "gpt-5.9"])("is rewritten for unknown model %s by its name", async (model) => {
      const ctx = fakeContext(model);
      expect(ctx.modelInfo).toBeUndefined();
      const body = bodyOf(await adapter.buildChatRequest(parseRequest({ model, messages, max_tokens: 64 }), ctx, false));
      expect(body).toMatchObject({ max_completion_tokens: 64 });
      expect(body).not.toHaveProperty("max_tokens");
    });

    it("is kept for non-reasoning models", async () => {
      expect(bodyOf(await build({ model: "gpt-4.1", messages, max_tokens: 100 }, false))).toMatchObject({ max_tokens: 100 });
      expect(bodyOf(await build({ model: "gpt-4o-mini-unknown", messages, max_tokens: 7 }, false))).toMatchObject({ max_tokens: 7 });
    });

    it("agrees when both limits are equal and answers 400 when they differ", async () => {
      const same = bodyOf(await build({ model: "gpt-5-nano", messages, max_tokens: 90, max_completion_tokens: 90 }, false));
      expect(same).toMatchObject({ max_completion_tokens: 90 });
      expect(same).not.toHaveProperty("max_tokens");
      const err = thrown(() => adapter.buildChatRequest(parseRequest({ model: "gpt-5-nano", messages, max_tokens: 10, max_completion_tokens: 90 }), fakeContext("gpt-5-nano"), false));
      expect(err.status).toBe(400);
      expect(err.param).toBe("max_tokens");
    });
  });
});

describe("openai adapter: non-streaming responses", () => {
  const req = parseRequest({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "hi" }] });
  const parse = (name: string) => adapter.parseChatResponse(readJsonFixture("openai", name), req, fakeContext("gpt-4.1-nano"));

  it("chat.json: text, ids and usage passed on", () => {
    const { completion, usage } = parse("chat.json");
    expect(completion).toMatchSnapshot();
    expect(completion.id).toBe("chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU");
    expect(completion.model).toBe("gpt-4.1-nano-2025-04-14");
    expect(completion.created).toBe(1770933883);
    expect(completion.system_fingerprint).toBe("fp_de604bd877");
    expect(completion.service_tier).toBe("default");
    expect(completion.choices).toHaveLength(1);
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.choices[0]?.message.content?.startsWith("**Holiday Name:** Galaxy Day")).toBe(true);
    expect(completion.choices[0]?.message).not.toHaveProperty("annotations");
    expect(usage).toEqual({ inputTokens: 16, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 363, reasoningTokens: 0 });
    expect(completion.usage).toMatchObject({ prompt_tokens: 16, completion_tokens: 363, total_tokens: 379 });
  });

  it("chat-tool-calls.json: null content and the tool call", () => {
    const { completion, usage } = parse("chat-tool-calls.json");
    expect(completion).toMatchSnapshot();
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      { id: "call_Xc4Aiih37EUJvqjoZlu4Vdoi", type: "function", function: { name: "get_current_weather", arguments: '{"location":"San Francisco, CA"}' } },
    ]);
    expect(completion.system_fingerprint).toBeNull();
    expect(usage).toMatchObject({ inputTokens: 162, outputTokens: 219, reasoningTokens: 192 });
  });

  it("chat-json-mode.json: content is the JSON string", () => {
    const { completion } = parse("chat-json-mode.json");
    expect(JSON.parse(completion.choices[0]?.message.content ?? "")).toEqual({ name: "Alex Smith", age: 29, city: "San Francisco" });
    expect(completion.usage).toMatchObject({ prompt_tokens: 21, completion_tokens: 280, total_tokens: 301 });
  });

  it("chat-image-input.json", () => {
    const { completion, usage } = parse("chat-image-input.json");
    expect(completion.choices[0]?.message.content).toBe("A tiny blue cartoon character.");
    expect(usage).toEqual({ inputTokens: 22, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 719, reasoningTokens: 704 });
  });

  it("chat-reasoning-o3-mini.json: 87 completion tokens include the 64 reasoning tokens", () => {
    const { completion, usage } = parse("chat-reasoning-o3-mini.json");
    expect(usage).toEqual({ inputTokens: 7, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 87, reasoningTokens: 64 });
    expect(completion.usage).toEqual({
      prompt_tokens: 7,
      completion_tokens: 87,
      total_tokens: 94,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 64, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    });
  });

  it("reads cached tokens and maps unknown finish reasons to stop", () => {
    const body = {
      id: "x",
      object: "chat.completion",
      created: 1,
      model: "gpt-4o",
      choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "function_call" }],
      usage: { prompt_tokens: 100, completion_tokens: 5, total_tokens: 105, prompt_tokens_details: { cached_tokens: 64 } },
    };
    const { completion, usage } = adapter.parseChatResponse(body, req, fakeContext("gpt-4o"));
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(usage).toEqual({ inputTokens: 100, cachedInputTokens: 64, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 0 });
  });

  it("keeps a structured-output refusal instead of dropping it", () => {
    const body = {
      id: "x",
      created: 1,
      model: "gpt-4o",
      choices: [{ index: 0, message: { role: "assistant", content: null, refusal: "I can't help with that." }, finish_reason: "stop" }],
    };
    const { completion } = adapter.parseChatResponse(body, req, fakeContext("gpt-4o"));
    expect(completion.choices[0]?.message.refusal).toBe("I can't help with that.");
  });

  it("a malformed body is a typed upstream_bad_response", () => {
    const err = thrown(() => adapter.parseChatResponse({ id: "x", choices: "nope" }, req, fakeContext("gpt-4o")));
    expect(err.code).toBe("upstream_bad_response");
    expect(err.status).toBe(502);
  });
});

describe("openai adapter: streams", () => {
  it("chat-stream-text-usage.sse: role first, text, finish, usage recorded but not emitted", () => {
    const { chunks, transformer } = replayFixture("chat-stream-text-usage.sse");
    expect(chunkLines(chunks)).toMatchSnapshot();
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "", refusal: null });
    expect(joinedContent(chunks)).toBe(
      "I'm unable to provide real-time weather updates. To get the current weather in San Francisco, I recommend checking a reliable weather website or a weather app.",
    );
    expect(chunks.every((c) => c.choices.length > 0 && !("usage" in c))).toBe(true);
    expect(new Set(chunks.map((c) => c.id))).toEqual(new Set(["chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL"]));
    expect(chunks.at(-1)?.choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: "stop" });
    expect(chunks[1]?.system_fingerprint).toBe("fp_5050236cbd");
    expect(transformer.usage()).toEqual({ inputTokens: 14, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 30, reasoningTokens: 0 });
    expect(transformer.finishReason()).toBe("stop");
    expect(transformer.responseId()).toBe("chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL");
  });

  it("chat-stream-parallel-tool-calls.sse: indices, ids, names and argument fragments", () => {
    const { chunks, transformer } = replayFixture("chat-stream-parallel-tool-calls.sse");
    expect(chunkLines(chunks)).toMatchSnapshot();
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: null });
    const calls = new Map<number, { id?: string; name?: string; args: string }>();
    for (const delta of chunks.flatMap((c) => c.choices.map((ch) => ch.delta))) {
      for (const tc of delta.tool_calls ?? []) {
        const call = calls.get(tc.index) ?? { args: "" };
        if (tc.id) call.id = tc.id;
        if (tc.function?.name) call.name = tc.function.name;
        call.args += tc.function?.arguments ?? "";
        calls.set(tc.index, call);
      }
    }
    expect([...calls.keys()]).toEqual([0, 1]);
    expect(calls.get(0)).toMatchObject({ id: "call_JMW1whyEaYG438VE1OIflxA2", name: "GetWeatherArgs" });
    expect(JSON.parse(calls.get(0)?.args ?? "")).toEqual({ city: "Edinburgh", country: "GB", units: "c" });
    expect(calls.get(1)).toMatchObject({ id: "call_DNYTawLBoN8fj3KN6qU9N1Ou", name: "get_stock_price" });
    expect(JSON.parse(calls.get(1)?.args ?? "")).toEqual({ ticker: "AAPL", exchange: "NASDAQ" });
    // The first delta of each call carries id/type/name; later ones only index + arguments.
    const firstOfCall1 = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).find((tc) => tc.index === 1);
    expect(firstOfCall1).toEqual({ index: 1, id: "call_DNYTawLBoN8fj3KN6qU9N1Ou", type: "function", function: { name: "get_stock_price", arguments: "" } });
    expect(transformer.finishReason()).toBe("tool_calls");
    expect(transformer.usage()).toMatchObject({ inputTokens: 149, outputTokens: 60 });
  });

  it("chat-stream-n3.sse: three choices with their own content and finish", () => {
    const { chunks, transformer } = replayFixture("chat-stream-n3.sse");
    expect(chunkLines(chunks)).toMatchSnapshot();
    expect(joinedContent(chunks, 0)).toBe('{"city":"San Francisco","temperature":65,"units":"f"}');
    expect(joinedContent(chunks, 1)).toBe('{"city":"San Francisco","temperature":61,"units":"f"}');
    expect(joinedContent(chunks, 2)).toBe('{"city":"San Francisco","temperature":59,"units":"f"}');
    const finishes = chunks.flatMap((c) => c.choices).filter((c) => c.finish_reason !== null);
    expect(finishes.map((c) => [c.index, c.finish_reason])).toEqual([[0, "stop"], [1, "stop"], [2, "stop"]]);
    // Each index's first delta is its role delta.
    for (const index of [0, 1, 2]) {
      expect(chunks.flatMap((c) => c.choices).find((c) => c.index === index)?.delta.role).toBe("assistant");
    }
    expect(transformer.usage()).toMatchObject({ inputTokens: 79, outputTokens: 42 });
  });

  it("chat-stream-finish-length.sse: finish length", () => {
    const { chunks, transformer } = replayFixture("chat-stream-finish-length.sse");
    expect(chunkLines(chunks)).toMatchSnapshot();
    expect(joinedContent(chunks)).toBe('{"');
    expect(transformer.finishReason()).toBe("length");
    expect(transformer.usage()).toMatchObject({ inputTokens: 79, outputTokens: 1 });
  });

  it("chat-stream-reasoning-length.sse: all 100 tokens spent on reasoning, finish length", () => {
    const { chunks, transformer } = replayFixture("chat-stream-reasoning-length.sse");
    expect(chunkLines(chunks)).toMatchSnapshot();
    expect(chunks).toHaveLength(2);
    expect(joinedContent(chunks)).toBe("");
    expect(chunks[0]?.service_tier).toBe("default");
    expect(transformer.finishReason()).toBe("length");
    expect(transformer.usage()).toEqual({ inputTokens: 12, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 100, reasoningTokens: 100 });
  });

  it("chat-stream-gpt-4.1-nano.chunks.txt: obfuscation and usage:null dropped, text intact", () => {
    const { chunks, transformer } = replayFixture("chat-stream-gpt-4.1-nano.chunks.txt");
    expect(chunkLines(chunks)).toMatchSnapshot();
    const upstream = readFixture("openai", "chat-stream-gpt-4.1-nano.chunks.txt")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as { choices: Array<{ delta?: { content?: string } }> });
    const expected = upstream.flatMap((c) => c.choices.map((ch) => ch.delta?.content ?? "")).join("");
    expect(joinedContent(chunks)).toBe(expected);
    expect(expected).toContain("—");
    expect(chunks).toHaveLength(upstream.length - 1); // everything but the usage chunk
    for (const chunk of chunks) {
      expect(chunk).not.toHaveProperty("obfuscation");
      expect(chunk).not.toHaveProperty("usage");
    }
    expect(transformer.usage()).toEqual({ inputTokens: 16, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 300, reasoningTokens: 0 });
  });

  it("a mid-stream error object becomes the mapped GatewayError", () => {
    // No real recording exists (SOURCES.md "Not found"); the event has OpenAI's documented error shape.
    const req = parseRequest({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }], stream: true });
    const transformer = adapter.createChatStream(req, fakeContext("gpt-4o"));
    const first = readFixture("openai", "chat-stream-text-usage.sse").split("\n\n")[0]?.replace(/^data: /, "") ?? "";
    expect(transformer.push({ data: first })).toHaveLength(1);
    const err = thrown(() =>
      transformer.push({ data: JSON.stringify({ error: { message: "The server had an error while processing your request.", type: "server_error", param: null, code: null } }) }),
    );
    expect(err.status).toBe(500);
    expect(err.type).toBe("server_error");
    expect(err.message).toBe("OpenAI: The server had an error while processing your request.");
    const quota = thrown(() =>
      adapter.createChatStream(req, fakeContext("gpt-4o")).push({ data: JSON.stringify({ error: { message: "quota", type: "insufficient_quota", param: null, code: "insufficient_quota" } }) }),
    );
    expect(quota.code).toBe("insufficient_quota");
    expect(quota.shouldRetry).toBe(false);
  });

  it("a body cut before any finish_reason fails in end()", () => {
    const bytes = readFixture("openai", "chat-stream-text-usage.sse");
    const cut = bytes.slice(0, bytes.indexOf('"finish_reason":"stop"'));
    const cutAt = cut.lastIndexOf("\n\n") + 2;
    const req = parseRequest({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }], stream: true });
    const err = thrown(() => replay(adapter, req, fakeContext("gpt-4o"), [new TextEncoder().encode(bytes.slice(0, cutAt))]));
    expect(err.code).toBe("upstream_bad_response");
    expect(err.status).toBe(502);
  });

  it("a malformed event is a typed error, not a crash", () => {
    const transformer = adapter.createChatStream(parseRequest({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }), fakeContext("gpt-4o"));
    expect(thrown(() => transformer.push({ data: "{not json" })).code).toBe("upstream_bad_response");
    expect(thrown(() => transformer.push({ data: '{"id":1,"choices":[]}' })).code).toBe("upstream_bad_response");
  });
});

describe("openai adapter: embeddings", () => {
  it("embeddings.request.json is sent as recorded", async () => {
    const fixture = readJsonFixture("openai", "embeddings.request.json");
    const req = embeddingsRequestSchema.parse(fixture);
    const request = await adapter.buildEmbeddingsRequest!(req, fakeContext("text-embedding-3-small"));
    expect(request.url).toBe("https://upstream.test/v1/embeddings");
    expect(request.method).toBe("POST");
    expect(request.headers.authorization).toBe("Bearer sk-test-0123456789abcdefghij");
    expect(bodyOf(request)).toEqual(fixture);
  });

  it("keeps dimensions and base64 encoding", async () => {
    const req = embeddingsRequestSchema.parse({ model: "text-embedding-3-large", input: ["a", "b"], encoding_format: "base64", dimensions: 256 });
    const body = bodyOf(await adapter.buildEmbeddingsRequest!(req, fakeContext("text-embedding-3-large")));
    expect(body).toEqual({ model: "text-embedding-3-large", input: ["a", "b"], encoding_format: "base64", dimensions: 256 });
  });

  it("embeddings.json: float vectors and prompt tokens", () => {
    const req = embeddingsRequestSchema.parse(readJsonFixture("openai", "embeddings.request.json"));
    const { response, usage } = adapter.parseEmbeddingsResponse!(readJsonFixture("openai", "embeddings.json"), req, fakeContext("text-embedding-3-small"));
    expect(response.object).toBe("list");
    expect(response.model).toBe("text-embedding-3-small");
    expect(response.data).toHaveLength(1);
    expect(response.data[0]?.object).toBe("embedding");
    const vector = response.data[0]?.embedding;
    expect(Array.isArray(vector) && vector.length).toBe(1536);
    expect(response.usage).toEqual({ prompt_tokens: 7, total_tokens: 7 });
    expect(usage).toEqual({ inputTokens: 7, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 });
  });

  it("embeddings: the recorded bodies may be sent verbatim, a body with anything more or different may not", () => {
    const req = embeddingsRequestSchema.parse(readJsonFixture("openai", "embeddings.request.json"));
    const parse = (body: unknown) => adapter.parseEmbeddingsResponse!(body, req, fakeContext("text-embedding-3-small"));
    const recorded = readJsonFixture("openai", "embeddings.json") as Record<string, unknown> & { data: Array<Record<string, unknown>> };
    const recorded64 = readJsonFixture("openai", "embeddings-base64.json");
    expect(parse(recorded).verbatim).toBe(true);
    expect(parse(recorded64).verbatim).toBe(true);
    // Whatever makes the rebuilt response differ from the body turns verbatim off.
    expect(parse({ ...recorded, extra: 1 }).verbatim).toBe(false);
    expect(parse({ ...recorded, usage: null }).verbatim).toBe(false);
    expect(parse({ ...recorded, usage: { prompt_tokens: 7 } }).verbatim).toBe(false);
    expect(parse({ ...recorded, data: recorded.data.map((d) => ({ ...d, vendor: "x" })) }).verbatim).toBe(false);
    expect(parse({ ...recorded, object: undefined }).verbatim).toBe(false);
  });

  it("embeddings-base64.json: base64 strings kept as sent", () => {
    const req = embeddingsRequestSchema.parse({ model: "text-embedding-3-small", input: ["a", "b"], encoding_format: "base64" });
    const { response, usage } = adapter.parseEmbeddingsResponse!(readJsonFixture("openai", "embeddings-base64.json"), req, fakeContext("text-embedding-3-small"));
    expect(response.data.map((d) => d.index)).toEqual([0, 1]);
    for (const d of response.data) {
      expect(typeof d.embedding).toBe("string");
      expect(decodeEmbeddingBase64(d.embedding as string)).toHaveLength(1536);
    }
    expect(usage.inputTokens).toBe(2);
  });
});

describe("openai adapter: errors", () => {
  const headers = new Headers();

  it("400 unsupported parameter keeps message, param and code", () => {
    const err = adapter.parseError(400, readFixture("openai", "error-400-unsupported-parameter.json"), headers);
    expect(err.status).toBe(400);
    expect(toErrorBody(err)).toEqual({
      error: {
        message: "OpenAI: Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        type: "invalid_request_error",
        param: "max_tokens",
        code: "unsupported_parameter",
      },
    });
    expect(err.upstreamStatus).toBe(400);
  });

  it("404 model_not_found", () => {
    const err = adapter.parseError(404, readFixture("openai", "error-404-model-not-found.json"), headers);
    expect(err.status).toBe(404);
    expect(err.code).toBe("model_not_found");
    expect(toErrorBody(err).error).toMatchObject({ code: "model_not_found", param: null, type: "invalid_request_error" });
    expect(err.message).toContain("gpt-4.1-nano-wrong");
  });

  it("400 empty array keeps param messages", () => {
    const err = adapter.parseError(400, readFixture("openai", "error-400-empty-array.json"), headers);
    expect(toErrorBody(err).error).toMatchObject({ param: "messages", code: "empty_array" });
    expect(err.status).toBe(400);
  });

  it("429 insufficient_quota is not retryable", () => {
    const body = JSON.stringify({ error: { message: "You exceeded your current quota.", type: "insufficient_quota", param: null, code: "insufficient_quota" } });
    const err = adapter.parseError(429, body, headers);
    expect(err.status).toBe(429);
    expect(err.code).toBe("insufficient_quota");
    expect(err.publicCode).toBe("insufficient_quota");
    expect(errorHeaders(err)).toEqual({ "x-should-retry": "false" });
  });

  it("429 rate limit carries retry-after in whole seconds, rounded up", () => {
    const body = JSON.stringify({ error: { message: "Rate limit reached", type: "requests", param: null, code: "rate_limit_exceeded" } });
    const ms = adapter.parseError(429, body, new Headers({ "retry-after-ms": "1250", "retry-after": "9" }));
    expect(ms.code).toBe("rate_limited");
    expect(ms.retryAfter).toBe("2");
    expect(ms.shouldRetry).toBeUndefined();
    expect(adapter.parseError(429, body, new Headers({ "retry-after": "3.2" })).retryAfter).toBe("4");
    expect(adapter.parseError(429, body, headers).retryAfter).toBeUndefined();
  });

  it("401 never echoes a key", () => {
    const key = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    const body = JSON.stringify({ error: { message: `Incorrect API key provided: ${key}.`, type: "invalid_request_error", param: null, code: "invalid_api_key" } });
    const err = adapter.parseError(401, body, headers);
    expect(err.status).toBe(401);
    expect(err.publicCode).toBe("invalid_api_key");
    expect(err.message).not.toContain(key);
    expect(err.upstreamBody).not.toContain(key);
  });

  it("a 5xx with a non-JSON body still maps by status", () => {
    const err = adapter.parseError(503, "<html>Service Unavailable</html>", headers);
    expect(err.status).toBe(503);
    expect(err.code).toBe("overloaded");
    expect(err.message).toBe("OpenAI: upstream answered HTTP 503");
  });
});
