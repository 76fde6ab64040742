import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors";
import type { ModelInfo } from "../../routing/model-catalog";
import { anthropicAdapter } from "./anthropic-adapter";
import type { AnthropicRequest } from "./anthropic-api";
import { chatRequest, fixtureJson, makeCtx, replay, streamBytes, type TestContext } from "./anthropic-test-support";
import { ANTHROPIC_DEFAULT_MAX_TOKENS, ANTHROPIC_THINKING_BUDGETS, convertToAnthropicRequest } from "./convert-to-anthropic-request";

function build(body: Record<string, unknown>, ctx: TestContext = makeCtx(String(body.model ?? "claude-sonnet-4-6")), stream = false): AnthropicRequest {
  return convertToAnthropicRequest(chatRequest(body), ctx, stream);
}

/** Runs `fn` and returns the GatewayError it throws (fails the test if it does not throw one). */
function rejection(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error("expected a GatewayError");
}

const pelicanPrompt = "Two names for a pet pelican, be brief";
const toolPrompt = "Use the fixed_version tool. Then tell me the version and make one short joke about it. Think about it first.";
const fixedVersionTool = { type: "function", function: { name: "fixed_version", description: "Return a fixed test version string" } };

describe("outbound request matches the recorded Anthropic requests", () => {
  it("text-stream: plain user prompt", () => {
    const body = build(
      { model: "claude-sonnet-4-6", messages: [{ role: "user", content: pelicanPrompt }], max_tokens: 8192, temperature: 1 },
      makeCtx("claude-sonnet-4-6"),
      true,
    );
    expect(body).toEqual(fixtureJson("text-stream.request.json"));
  });

  it("thinking-tool-use-stream: manual thinking budget added on top of the client's limit, default input_schema", () => {
    const body = build(
      {
        model: "claude-haiku-4-5",
        messages: [{ role: "user", content: toolPrompt }],
        tools: [fixedVersionTool],
        reasoning_effort: "low",
        max_completion_tokens: 64000 - ANTHROPIC_THINKING_BUDGETS.low,
        temperature: 1,
      },
      makeCtx("claude-haiku-4-5-20251001"),
      true,
    );
    expect(body).toEqual(fixtureJson("thinking-tool-use-stream.request.json"));
  });

  const followupMessages = [
    { role: "user", content: toolPrompt },
    { role: "assistant", content: null, tool_calls: [{ id: "toolu_01825dXWLSoJwCst1qTsiWdb", type: "function", function: { name: "fixed_version", arguments: "{}" } }] },
    { role: "tool", tool_call_id: "toolu_01825dXWLSoJwCst1qTsiWdb", content: "0.32a0" },
  ];
  const followupBody = (messages: unknown[]) => ({
    model: "claude-haiku-4-5",
    messages,
    tools: [fixedVersionTool],
    reasoning_effort: "low",
    max_completion_tokens: 62976,
    temperature: 1,
  });

  it("thinking-tool-result-followup: thinking blocks echoed from the thinking_blocks extension field", () => {
    const recorded = fixtureJson("thinking-tool-result-followup.request.json") as AnthropicRequest;
    const thinking = recorded.messages[1]?.content[0];
    const messages = [followupMessages[0], { ...followupMessages[1], thinking_blocks: [thinking] }, followupMessages[2]];
    const body = build(followupBody(messages), makeCtx("claude-haiku-4-5-20251001"), true);
    expect(body).toEqual(recorded);
  });

  it("thinking-tool-result-followup: thinking blocks restored from reasoningState for a client that does not echo them", () => {
    const ctx = makeCtx("claude-haiku-4-5-20251001");
    // The first turn, streamed through the gateway, leaves the thinking block in the store.
    const firstTurn = chatRequest(followupBody([followupMessages[0]]));
    replay([streamBytes("thinking-tool-use-stream.sse")], firstTurn, ctx);
    const body = build(followupBody(followupMessages), ctx, true);
    expect(body).toEqual(fixtureJson("thinking-tool-result-followup.request.json"));
  });

  it("thinking-tool-result-followup: a client that collected delta.thinking_blocks from the stream rebuilds the turn", () => {
    const firstCtx = makeCtx("claude-haiku-4-5-20251001");
    const { chunks } = replay([streamBytes("thinking-tool-use-stream.sse")], chatRequest(followupBody([followupMessages[0]])), firstCtx);
    const echoed = chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta.thinking_blocks ?? []));
    const messages = [followupMessages[0], { ...followupMessages[1], thinking_blocks: echoed }, followupMessages[2]];
    // A fresh context: nothing in the store, the extension field alone carries the blocks.
    const body = build(followupBody(messages), makeCtx("claude-haiku-4-5-20251001"), true);
    expect(body).toEqual(fixtureJson("thinking-tool-result-followup.request.json"));
  });

  it("adaptive-thinking-stream: adaptive thinking, effort passed explicitly, no budget added to max_tokens", () => {
    const recorded = fixtureJson("adaptive-thinking-stream.request.json") as AnthropicRequest;
    const body = build(
      { model: "claude-opus-4-6", messages: [{ role: "user", content: pelicanPrompt }], max_tokens: 8192, temperature: 1, reasoning_effort: "high" },
      makeCtx("claude-opus-4-6"),
      true,
    );
    expect(body.messages).toEqual(recorded.messages);
    expect(body.max_tokens).toBe(recorded.max_tokens);
    expect(body.temperature).toBe(recorded.temperature);
    expect(body.model).toBe(recorded.model);
    expect(body.stream).toBe(true);
    expect(body.thinking?.type).toBe(recorded.thinking?.type);
    // Not in the recording (the client sent no effort; Anthropic's default is high).
    expect(body.output_config).toEqual({ effort: "high" });
  });

  it("stop-sequence-stream: trailing assistant message is sent as prefill, stop → stop_sequences", () => {
    const body = build(
      {
        model: "claude-haiku-4-5",
        messages: [
          { role: "user", content: "Very short function describing a pelican" },
          { role: "assistant", content: "```python" },
        ],
        stop: ["```"],
        max_tokens: 8192,
        temperature: 1,
      },
      makeCtx("claude-haiku-4-5-20251001"),
      true,
    );
    expect(body).toEqual(fixtureJson("stop-sequence-stream.request.json"));
  });

  it("structured-output-stream: json_schema → output_config.format", () => {
    const recorded = fixtureJson("structured-output-stream.request.json") as AnthropicRequest;
    const schema = recorded.output_config?.format?.schema;
    const body = build(
      {
        model: "claude-opus-4-6",
        messages: [{ role: "user", content: "Invent a good dog" }],
        response_format: { type: "json_schema", json_schema: { name: "Dog", schema, strict: true } },
        max_tokens: 8192,
        temperature: 1,
      },
      makeCtx("claude-opus-4-6"),
      true,
    );
    expect(body).toEqual(recorded);
  });
});

describe("messages", () => {
  it("hoists system and developer messages into system, in order", () => {
    const body = build({
      messages: [
        { role: "system", content: "Be terse." },
        { role: "user", content: "hi" },
        { role: "developer", content: [{ type: "text", text: "Answer in French." }, { type: "text", text: "" }] },
      ],
    });
    expect(body.system).toEqual([
      { type: "text", text: "Be terse." },
      { type: "text", text: "Answer in French." },
    ]);
    expect(body.messages).toEqual([{ role: "user", content: [{ type: "text", text: "hi" }] }]);
  });

  it("keeps a multi-turn conversation in order", () => {
    const body = build({
      messages: [
        { role: "user", content: "a" },
        { role: "assistant", content: "b" },
        { role: "user", content: "c" },
      ],
    });
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "a" }] },
      { role: "assistant", content: [{ type: "text", text: "b" }] },
      { role: "user", content: [{ type: "text", text: "c" }] },
    ]);
  });

  it("maps image parts: data URI → base64 source, http(s) URL → url source", () => {
    const body = build({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=", detail: "high" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.webp" } },
          ],
        },
      ],
    });
    expect(body.messages[0]?.content).toEqual([
      { type: "text", text: "What is this?" },
      { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
      { type: "image", source: { type: "url", url: "https://example.com/cat.webp" } },
    ]);
  });

  it.each([
    ["unsupported media type", "data:image/bmp;base64,Qk0="],
    ["data URI that is not base64", "data:image/png,rawbytes"],
    ["non-http scheme", "ftp://example.com/cat.png"],
  ])("rejects an image with %s (400, param messages)", (_label, url) => {
    const err = rejection(() => build({ messages: [{ role: "user", content: [{ type: "image_url", image_url: { url } }] }] }));
    expect(err.status).toBe(400);
    expect(err.param).toBe("messages");
  });

  it("maps a PDF file part to a document block and rejects audio", () => {
    const body = build({ messages: [{ role: "user", content: [{ type: "file", file: { file_data: "data:application/pdf;base64,JVBERi0=" } }] }] });
    expect(body.messages[0]?.content).toEqual([{ type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" } }]);
    const err = rejection(() => build({ messages: [{ role: "user", content: [{ type: "input_audio", input_audio: { data: "AAAA", format: "wav" } }] }] }));
    expect(err.param).toBe("messages");
  });

  it("maps assistant tool calls to tool_use, omits the empty text block, parses arguments", () => {
    const body = build({
      messages: [
        { role: "user", content: "weather?" },
        {
          role: "assistant",
          content: "",
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            { id: "call_2", type: "function", function: { name: "get_time", arguments: "" } },
          ],
        },
      ],
    });
    expect(body.messages[1]).toEqual({
      role: "assistant",
      content: [
        { type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } },
        { type: "tool_use", id: "call_2", name: "get_time", input: {} },
      ],
    });
  });

  it.each([["not JSON", "{city:"], ["a JSON array", "[1,2]"]])("rejects tool-call arguments that are %s (400, param messages)", (_label, args) => {
    const err = rejection(() =>
      build({
        messages: [
          { role: "user", content: "x" },
          { role: "assistant", content: null, tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: args } }] },
        ],
      }),
    );
    expect(err.status).toBe(400);
    expect(err.param).toBe("messages");
  });

  it("groups consecutive tool results into one user message, results first, following user text after them", () => {
    const body = build({
      messages: [
        { role: "user", content: "weather in Paris and Rome?" },
        {
          role: "assistant",
          content: "Checking both.",
          tool_calls: [
            { id: "call_p", type: "function", function: { name: "w", arguments: '{"c":"Paris"}' } },
            { id: "call_r", type: "function", function: { name: "w", arguments: '{"c":"Rome"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_p", content: "18C" },
        { role: "tool", tool_call_id: "call_r", content: [{ type: "text", text: "24C" }] },
        { role: "user", content: "Which is warmer?" },
      ],
    });
    expect(body.messages).toHaveLength(3);
    expect(body.messages[1]?.content[0]).toEqual({ type: "text", text: "Checking both." });
    expect(body.messages[2]).toEqual({
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "call_p", content: "18C" },
        { type: "tool_result", tool_use_id: "call_r", content: [{ type: "text", text: "24C" }] },
        { type: "text", text: "Which is warmer?" },
      ],
    });
  });

  it("puts thinking blocks (incl. redacted) before text and tool_use, with only their wire fields", () => {
    const body = build({
      messages: [
        { role: "user", content: "q" },
        {
          role: "assistant",
          content: "Let me check.",
          tool_calls: [{ id: "toolu_1", type: "function", function: { name: "f", arguments: "{}" } }],
          thinking_blocks: [
            { type: "redacted_thinking", data: "opaque" },
            { type: "thinking", thinking: "hmm", signature: "sig", extra: "client-added" },
          ],
        },
      ],
    });
    expect(body.messages[1]?.content).toEqual([
      { type: "redacted_thinking", data: "opaque" },
      { type: "thinking", thinking: "hmm", signature: "sig" },
      { type: "text", text: "Let me check." },
      { type: "tool_use", id: "toolu_1", name: "f", input: {} },
    ]);
  });

  it("rejects an empty user message", () => {
    const err = rejection(() => build({ messages: [{ role: "user", content: "" }] }));
    expect(err.param).toBe("messages");
  });
});

describe("tools and tool_choice", () => {
  const tools = [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] } } }];

  it("maps tools to name/description/input_schema", () => {
    const body = build({ messages: [{ role: "user", content: "x" }], tools });
    expect(body.tools).toEqual([{ name: "lookup", input_schema: { type: "object", properties: { q: { type: "string" } }, required: ["q"] } }]);
    expect(body.tool_choice).toBeUndefined();
  });

  it.each([
    ["auto", { type: "auto" }],
    ["required", { type: "any" }],
    ["none", { type: "none" }],
    [{ type: "function", function: { name: "lookup" } }, { type: "tool", name: "lookup" }],
  ])("tool_choice %j → %j", (choice, expected) => {
    expect(build({ messages: [{ role: "user", content: "x" }], tools, tool_choice: choice }).tool_choice).toEqual(expected);
  });

  it("parallel_tool_calls:false → disable_parallel_tool_use on the tool_choice", () => {
    expect(build({ messages: [{ role: "user", content: "x" }], tools, parallel_tool_calls: false }).tool_choice).toEqual({
      type: "auto",
      disable_parallel_tool_use: true,
    });
    expect(build({ messages: [{ role: "user", content: "x" }], tools, tool_choice: "required", parallel_tool_calls: false }).tool_choice).toEqual({
      type: "any",
      disable_parallel_tool_use: true,
    });
  });

  it("rejects a forcing tool_choice without tools, and with thinking on", () => {
    expect(rejection(() => build({ messages: [{ role: "user", content: "x" }], tool_choice: "required" })).param).toBe("tool_choice");
    const err = rejection(() =>
      build({ model: "claude-haiku-4-5", messages: [{ role: "user", content: "x" }], tools, tool_choice: "required", reasoning_effort: "low" }),
    );
    expect(err.param).toBe("tool_choice");
  });
});

describe("response_format", () => {
  it("json_object → a forced `json` tool", () => {
    const body = build({ messages: [{ role: "user", content: "x" }], response_format: { type: "json_object" } });
    expect(body.tools).toEqual([{ name: "json", description: "Respond with a JSON object.", input_schema: { type: "object" } }]);
    expect(body.tool_choice).toEqual({ type: "tool", name: "json" });
    expect(body.output_config).toBeUndefined();
  });

  it("json_object with user tools or with thinking → 400 naming response_format", () => {
    const withTools = rejection(() =>
      build({ messages: [{ role: "user", content: "x" }], response_format: { type: "json_object" }, tools: [fixedVersionTool] }),
    );
    expect(withTools.param).toBe("response_format");
    const withThinking = rejection(() =>
      build({ model: "claude-haiku-4-5", messages: [{ role: "user", content: "x" }], response_format: { type: "json_object" }, reasoning_effort: "low" }),
    );
    expect(withThinking.param).toBe("response_format");
  });

  it("json_schema keeps effort and format together in output_config", () => {
    const schema = { type: "object", properties: { a: { type: "string" } }, additionalProperties: false };
    const body = build(
      { model: "claude-opus-4-6", messages: [{ role: "user", content: "x" }], reasoning_effort: "medium", response_format: { type: "json_schema", json_schema: { name: "A", schema } } },
      makeCtx("claude-opus-4-6"),
    );
    expect(body.output_config).toEqual({ effort: "medium", format: { type: "json_schema", schema } });
  });

  it("response_format text is the default and adds nothing", () => {
    const body = build({ messages: [{ role: "user", content: "x" }], response_format: { type: "text" } });
    expect(body.output_config).toBeUndefined();
    expect(body.tools).toBeUndefined();
  });
});

describe("reasoning_effort and max_tokens", () => {
  const user = [{ role: "user", content: "x" }];

  it("uses the documented default max_tokens when the client sends none", () => {
    expect(ANTHROPIC_DEFAULT_MAX_TOKENS).toBe(4096);
    expect(build({ messages: user }).max_tokens).toBe(4096);
    expect(build({ messages: user, max_tokens: 100 }).max_tokens).toBe(100);
    expect(build({ messages: user, max_tokens: 100, max_completion_tokens: 200 }).max_tokens).toBe(200);
  });

  it.each([
    ["minimal", 1024],
    ["low", 1024],
    ["medium", 2048],
    ["high", 4096],
    ["xhigh", 8192],
  ] as const)("anthropic-budget: %s → budget_tokens %i, added to max_tokens", (effort, budget) => {
    const body = build({ model: "claude-haiku-4-5", messages: user, reasoning_effort: effort }, makeCtx("claude-haiku-4-5"));
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: budget, display: "summarized" });
    expect(body.max_tokens).toBe(4096 + budget);
    expect(body.output_config).toBeUndefined();
  });

  it("caps max_tokens + budget at the model's maximum output", () => {
    const body = build({ model: "claude-haiku-4-5", messages: user, max_tokens: 63000, reasoning_effort: "high" }, makeCtx("claude-haiku-4-5"));
    expect(body.max_tokens).toBe(64000);
  });

  it("a model missing from the catalog gets a manual budget and no cap", () => {
    const ctx = makeCtx("claude-future-9");
    expect(ctx.modelInfo).toBeUndefined();
    const body = build({ model: "claude-future-9", messages: user, max_tokens: 200000, reasoning_effort: "medium" }, ctx);
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 2048, display: "summarized" });
    expect(body.max_tokens).toBe(202048);
  });

  it.each([
    ["minimal", "low"],
    ["low", "low"],
    ["medium", "medium"],
    ["high", "high"],
    ["xhigh", "xhigh"],
  ] as const)("anthropic-adaptive: %s → thinking adaptive + effort %s", (effort, expected) => {
    const body = build({ model: "claude-opus-4-6", messages: user, reasoning_effort: effort }, makeCtx("claude-opus-4-6"));
    expect(body.thinking).toEqual({ type: "adaptive", display: "summarized" });
    expect(body.output_config).toEqual({ effort: expected });
    expect(body.max_tokens).toBe(4096);
  });

  it("reasoning_effort none turns thinking off; a model without reasoning rejects any other effort", () => {
    expect(build({ model: "claude-opus-4-6", messages: user, reasoning_effort: "none" }, makeCtx("claude-opus-4-6")).thinking).toBeUndefined();
    const noReasoning: ModelInfo = { id: "claude-plain", provider: "anthropic", kind: "chat", reasoning: "none" };
    const ctx = makeCtx("claude-plain", { modelInfo: noReasoning });
    expect(build({ model: "claude-plain", messages: user, reasoning_effort: "none" }, ctx).thinking).toBeUndefined();
    expect(rejection(() => build({ model: "claude-plain", messages: user, reasoning_effort: "low" }, ctx)).param).toBe("reasoning_effort");
  });
});

describe("sampling and other parameters", () => {
  const user = [{ role: "user", content: "x" }];

  it("passes temperature 0–1 and top_p; rejects temperature above 1 instead of clamping", () => {
    const body = build({ messages: user, temperature: 0.3, top_p: 0.9 });
    expect(body.temperature).toBe(0.3);
    expect(body.top_p).toBe(0.9);
    const err = rejection(() => build({ messages: user, temperature: 1.5 }));
    expect(err.status).toBe(400);
    expect(err.param).toBe("temperature");
  });

  it("with thinking on, rejects temperature other than 1 and top_p", () => {
    const thinking = { model: "claude-haiku-4-5", messages: user, reasoning_effort: "low" };
    expect(rejection(() => build({ ...thinking, temperature: 0.5 }, makeCtx("claude-haiku-4-5"))).param).toBe("temperature");
    expect(rejection(() => build({ ...thinking, top_p: 0.8 }, makeCtx("claude-haiku-4-5"))).param).toBe("top_p");
    expect(build({ ...thinking, temperature: 1 }, makeCtx("claude-haiku-4-5")).temperature).toBe(1);
  });

  it("stop string → stop_sequences array; user → metadata.user_id", () => {
    const body = build({ messages: user, stop: "END", user: "user-42" });
    expect(body.stop_sequences).toEqual(["END"]);
    expect(body.metadata).toEqual({ user_id: "user-42" });
  });

  it.each([
    ["n", { n: 2 }],
    ["logprobs", { logprobs: true }],
    ["top_logprobs", { top_logprobs: 3 }],
    ["logit_bias", { logit_bias: { "50256": -100 } }],
    ["presence_penalty", { presence_penalty: 0.5 }],
    ["frequency_penalty", { frequency_penalty: -0.5 }],
    ["seed", { seed: 7 }],
    ["service_tier", { service_tier: "flex" }],
    ["prediction", { prediction: { type: "content", content: "x" } }],
  ])("rejects %s with a 400 naming it", (param, extra) => {
    const err = rejection(() => build({ messages: user, ...extra }));
    expect(err.status).toBe(400);
    expect(err.code).toBe("unsupported_parameter");
    expect(err.param).toBe(param);
  });

  it("accepts the no-op values n:1, logprobs:false, zero penalties, empty logit_bias and stream_options", () => {
    expect(() =>
      build({ messages: user, n: 1, logprobs: false, presence_penalty: 0, frequency_penalty: 0, logit_bias: {}, stream: true, stream_options: { include_usage: true } }),
    ).not.toThrow();
  });
});

describe("anthropicAdapter HTTP requests", () => {
  it("builds POST /v1/messages with the key headers and a JSON body", async () => {
    const ctx = makeCtx("claude-sonnet-4-6", { baseUrl: "https://proxy.example/anthropic" });
    const upstream = await anthropicAdapter.buildChatRequest(chatRequest({ messages: [{ role: "user", content: "hi" }] }), ctx, true);
    expect(upstream.url).toBe("https://proxy.example/anthropic/v1/messages");
    expect(upstream.method).toBe("POST");
    expect(upstream.headers).toEqual({ "x-api-key": "sk-ant-test-key", "anthropic-version": "2023-06-01", "content-type": "application/json" });
    expect(JSON.parse(upstream.body ?? "")).toMatchObject({ model: "claude-sonnet-4-6", stream: true, max_tokens: 4096 });
  });

  it("omits stream for a non-streaming call", async () => {
    const upstream = await anthropicAdapter.buildChatRequest(chatRequest({ messages: [{ role: "user", content: "hi" }] }), makeCtx("claude-sonnet-4-6"), false);
    expect(JSON.parse(upstream.body ?? "")).not.toHaveProperty("stream");
  });

  it("key check: GET /v1/models?limit=1 with the key headers", () => {
    expect(anthropicAdapter.buildKeyCheckRequest("sk-ant-x", "https://api.anthropic.com")).toEqual({
      url: "https://api.anthropic.com/v1/models?limit=1",
      method: "GET",
      headers: { "x-api-key": "sk-ant-x", "anthropic-version": "2023-06-01" },
    });
    expect(anthropicAdapter.id).toBe("anthropic");
    expect(anthropicAdapter.displayName).toBe("Anthropic");
    expect(anthropicAdapter.defaultBaseUrl).toBe("https://api.anthropic.com");
  });
});
