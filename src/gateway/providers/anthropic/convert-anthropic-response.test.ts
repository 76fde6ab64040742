import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors";
import { anthropicAdapter } from "./anthropic-adapter";
import { chatRequest, fixtureJson, makeCtx, TEST_NOW } from "./anthropic-test-support";

const plainRequest = chatRequest({ messages: [{ role: "user", content: "hi" }] });

function convert(body: unknown, req = plainRequest, ctx = makeCtx("claude-sonnet-4-5")) {
  return { ...anthropicAdapter.parseChatResponse(body, req, ctx), ctx };
}

/** A fixture with some fields replaced, for shapes no recording shows. */
function variant(name: string, patch: Record<string, unknown>): unknown {
  return { ...(fixtureJson(name) as Record<string, unknown>), ...patch };
}

describe("non-streaming responses", () => {
  it("text.json: one text block → content, end_turn → stop", () => {
    const { completion, usage } = convert(fixtureJson("text.json"));
    expect(completion).toEqual({
      id: "chatcmpl-msg_01VdEjxAP5ahtHKrrRdNBteQ",
      object: "chat.completion",
      created: Math.floor(TEST_NOW / 1000),
      model: "claude-sonnet-4-5-20250929",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?",
            refusal: null,
          },
          logprobs: null,
          finish_reason: "stop",
        },
      ],
      usage: {
        prompt_tokens: 12,
        completion_tokens: 29,
        total_tokens: 41,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
    });
    expect(usage).toEqual({ inputTokens: 12, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 29, reasoningTokens: 0 });
  });

  it("thinking.json: thinking → reasoning_content + thinking_blocks with the signature", () => {
    const { completion } = convert(fixtureJson("thinking.json"));
    const message = completion.choices[0]?.message;
    expect(message?.content).toBe("925 ÷ 5 = 185");
    expect(message?.reasoning_content).toBe("925 divided by 5 = 185");
    expect(message?.thinking_blocks).toEqual([{ type: "thinking", thinking: "925 divided by 5 = 185", signature: expect.stringMatching(/^Er4BCkYICxgCKkCoxqLH/) }]);
    expect(completion.usage).toMatchObject({ prompt_tokens: 69, completion_tokens: 33 });
  });

  it("tool-use.json: text before the call stays as content, tool_use → tool_calls, finish tool_calls", () => {
    const { completion, usage } = convert(fixtureJson("tool-use.json"));
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBe("I'll search for a tool that can help with currency exchange rates.");
    expect(choice?.message.tool_calls).toEqual([{ id: "toolu_01FWrycbhCvuTogJufWKj2Mu", type: "function", function: { name: "search_tools", arguments: expect.any(String) } }]);
    expect(JSON.parse(choice?.message.tool_calls?.[0]?.function.arguments ?? "")).toEqual({
      queries: ["currency exchange rate USD EUR", "exchange rate converter", "foreign exchange"],
    });
    expect(usage).toMatchObject({ inputTokens: 759, outputTokens: 83 });
  });

  it("cache-read.json: prompt = input + cache write + cache read; cached = cache read", () => {
    const { completion, usage } = convert(fixtureJson("cache-read.json"));
    expect(usage).toEqual({ inputTokens: 1532, cachedInputTokens: 1111, cacheWriteTokens: 418, outputTokens: 33, reasoningTokens: 0 });
    expect(completion.usage).toMatchObject({
      prompt_tokens: 1532,
      completion_tokens: 33,
      total_tokens: 1565,
      prompt_tokens_details: { cached_tokens: 1111 },
      cache_creation_input_tokens: 418,
    });
  });

  it("only tool calls → content null; thinking before a tool call is stored under the call id", () => {
    const thinking = (fixtureJson("thinking.json") as { content: unknown[] }).content[0];
    const body = variant("tool-use.json", {
      content: [thinking, { type: "redacted_thinking", data: "opaque" }, { type: "tool_use", id: "toolu_x", name: "calc", input: {}, caller: { type: "direct" } }],
      usage: { input_tokens: 10, output_tokens: 20, output_tokens_details: { thinking_tokens: 15 } },
    });
    const { completion, usage, ctx } = convert(body);
    const message = completion.choices[0]?.message;
    expect(message?.content).toBeNull();
    expect(message?.tool_calls?.[0]?.function.arguments).toBe("{}");
    expect(message?.thinking_blocks?.map((b) => b.type)).toEqual(["thinking", "redacted_thinking"]);
    expect(ctx.store.get("toolu_x")).toEqual({ provider: "anthropic", thinkingBlocks: message?.thinking_blocks });
    expect(usage.reasoningTokens).toBe(15);
    expect(completion.usage.completion_tokens_details.reasoning_tokens).toBe(15);
  });

  it("redacted thinking alone → thinking_blocks only, no reasoning_content", () => {
    const { completion } = convert(variant("text.json", { content: [{ type: "redacted_thinking", data: "opaque" }, { type: "text", text: "Hi" }] }));
    expect(completion.choices[0]?.message).toEqual({ role: "assistant", content: "Hi", refusal: null, thinking_blocks: [{ type: "redacted_thinking", data: "opaque" }] });
  });

  it("JSON mode: the forced tool's input is the content, preamble text dropped, finish stop", () => {
    const body = variant("tool-use.json", {
      content: [
        { type: "text", text: "I'll invoke the JSON response tool." },
        { type: "tool_use", id: "toolu_j", name: "json", input: { answer: 42 } },
      ],
    });
    const req = chatRequest({ messages: [{ role: "user", content: "hi" }], response_format: { type: "json_object" } });
    const { completion } = convert(body, req);
    expect(completion.choices[0]?.message).toEqual({ role: "assistant", content: '{"answer":42}', refusal: null });
    expect(completion.choices[0]?.finish_reason).toBe("stop");
  });

  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["pause_turn", "stop"],
    ["max_tokens", "length"],
    ["model_context_window_exceeded", "length"],
    ["tool_use", "tool_calls"],
    ["refusal", "content_filter"],
    ["something_new", "stop"],
    [null, "stop"],
  ])("stop_reason %s → finish_reason %s", (stopReason, finish) => {
    const { completion } = convert(variant("text.json", { stop_reason: stopReason }));
    expect(completion.choices[0]?.finish_reason).toBe(finish);
  });

  it("a refusal with no content → empty content and content_filter", () => {
    const { completion } = convert(variant("text.json", { content: [], stop_reason: "refusal" }));
    expect(completion.choices[0]?.message.content).toBe("");
    expect(completion.choices[0]?.finish_reason).toBe("content_filter");
  });

  it("tolerates server-tool blocks and unknown keys", () => {
    const body = variant("text.json", {
      content: [
        { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: { query: "x" } },
        { type: "web_search_tool_result", tool_use_id: "srvtoolu_1", content: [] },
        { type: "text", text: "Found it.", citations: [] },
      ],
    });
    expect(convert(body).completion.choices[0]?.message.content).toBe("Found it.");
  });

  it("a body that is not an Anthropic message → upstream_bad_response", () => {
    for (const body of [null, { id: "msg" }, variant("text.json", { content: [{ type: "text" }] })]) {
      const err = (() => {
        try {
          convert(body);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(GatewayError);
      expect((err as GatewayError).code).toBe("upstream_bad_response");
    }
  });
});
