import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors";
import { convertGeminiResponse } from "./convert-gemini-response";
import { fixtureJson, testContext } from "./gemini-test-support";

describe("non-streaming Gemini responses → chat.completion", () => {
  it("text.json (gemini-3-pro-preview): text, id/model, stop, thoughts counted as output", () => {
    const { completion, usage } = convertGeminiResponse(fixtureJson("text.json"), testContext("gemini-3-pro-preview"));
    expect(completion).toMatchObject({
      id: "Un6LacrVMcjUxs0PmJfWoQc",
      object: "chat.completion",
      created: 1_760_000_000,
      model: "gemini-3-pro-preview",
    });
    expect(completion.choices).toEqual([
      {
        index: 0,
        message: { role: "assistant", content: "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.", refusal: null },
        logprobs: null,
        finish_reason: "stop",
      },
    ]);
    expect(usage).toEqual({ inputTokens: 9, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 28 + 244, reasoningTokens: 244 });
    // 9 + 28 + 244 = 281 = totalTokenCount.
    expect(completion.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 272, total_tokens: 281, completion_tokens_details: { reasoning_tokens: 244 } });
  });

  it("function-call.json: STOP with a functionCall → tool_calls, synthesized id, signature echoed and stored", () => {
    const ctx = testContext("gemini-3-pro-preview");
    const { completion } = convertGeminiResponse(fixtureJson("function-call.json"), ctx);
    const signature = "EskgCsYgAb4+9vtF7/499YQS2bjZs3xcQI+iAl+ILn29nK1j0Kg6su7QsUUUk3nrAAfnS2w5WiVvlcCqu9fAebJ2cvfaEyBahEt5";
    expect(completion.choices[0]).toEqual({
      index: 0,
      message: {
        role: "assistant",
        content: null,
        refusal: null,
        tool_calls: [
          {
            id: "call_id1",
            type: "function",
            function: { name: "weather", arguments: '{"location":"San Francisco"}' },
            extra_content: { google: { thought_signature: signature } },
          },
        ],
      },
      logprobs: null,
      finish_reason: "tool_calls",
    });
    expect(ctx.store.get("call_id1")).toEqual({ provider: "gemini", thoughtSignature: signature });
    expect(completion.usage).toMatchObject({ prompt_tokens: 29, completion_tokens: 15 + 893, total_tokens: 937 });
  });

  it("max-tokens.json: MAX_TOKENS → length", () => {
    const { completion, usage } = convertGeminiResponse(fixtureJson("max-tokens.json"), testContext());
    expect(completion.choices[0]).toMatchObject({ message: { content: "The capital of France is" }, finish_reason: "length" });
    expect(usage).toEqual({ inputTokens: 15, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 0 });
  });

  it("safety-blocked.json: content {} without parts → content \"\" and content_filter, no crash", () => {
    const { completion, usage } = convertGeminiResponse(fixtureJson("safety-blocked.json"), testContext("gemini-1.5-flash"));
    expect(completion.choices).toEqual([
      { index: 0, message: { role: "assistant", content: "", refusal: null }, logprobs: null, finish_reason: "content_filter" },
    ]);
    expect(completion.model).toBe("gemini-1.5-flash");
    expect(usage).toEqual({ inputTokens: 14, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 });
  });

  it("cached-content-usage.json: cached tokens are a subset of the prompt; thoughts are output", () => {
    const { completion, usage } = convertGeminiResponse(fixtureJson("cached-content-usage.json"), testContext());
    expect(usage).toEqual({ inputTokens: 17713, cachedInputTokens: 17379, cacheWriteTokens: 0, outputTokens: 68 + 821, reasoningTokens: 821 });
    expect(usage.cachedInputTokens).toBeLessThanOrEqual(usage.inputTokens);
    expect(completion.usage).toMatchObject({
      prompt_tokens: 17713,
      prompt_tokens_details: { cached_tokens: 17379 },
      completion_tokens: 889,
      // 17713 + 68 + 821 = 18602 = totalTokenCount.
      total_tokens: 18602,
    });
    expect(completion.choices[0]!.message.content).toMatch(/^This video demonstrates/);
  });

  it("thought parts → reasoning_content; n>1 candidates → choices by index; toolUsePromptTokenCount is input", () => {
    const { completion, usage } = convertGeminiResponse(
      {
        candidates: [
          { content: { role: "model", parts: [{ text: "B" }] }, finishReason: "STOP", index: 1 },
          { content: { role: "model", parts: [{ text: "thinking…", thought: true }, { text: "A" }] }, finishReason: "RECITATION", index: 0 },
        ],
        usageMetadata: { promptTokenCount: 10, toolUsePromptTokenCount: 4, candidatesTokenCount: 2, thoughtsTokenCount: 3, totalTokenCount: 19 },
        modelVersion: "gemini-2.5-flash",
        responseId: "r",
      },
      testContext(),
    );
    expect(completion.choices.map((c) => [c.index, c.message.content, c.message.reasoning_content, c.finish_reason])).toEqual([
      [0, "A", "thinking…", "content_filter"],
      [1, "B", undefined, "stop"],
    ]);
    expect(usage).toMatchObject({ inputTokens: 14, outputTokens: 5, reasoningTokens: 3 });
  });

  it("a blocked prompt (promptFeedback.blockReason, no candidates) → content_filter", () => {
    const { completion } = convertGeminiResponse(
      { promptFeedback: { blockReason: "SAFETY" }, usageMetadata: { promptTokenCount: 6, totalTokenCount: 6 }, modelVersion: "gemini-2.5-flash", responseId: "b" },
      testContext(),
    );
    expect(completion.choices).toEqual([{ index: 0, message: { role: "assistant", content: "", refusal: null }, logprobs: null, finish_reason: "content_filter" }]);
  });

  it("malformed bodies → upstream_bad_response", () => {
    for (const body of [{ candidates: "x" }, {}, null]) {
      const run = () => convertGeminiResponse(body, testContext());
      expect(run).toThrow(GatewayError);
      try {
        run();
      } catch (err) {
        expect(err).toMatchObject({ code: "upstream_bad_response", status: 502 });
      }
    }
  });
});
