import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors";
import type { ChatCompletionChunk } from "../../openai/chat-response";
import { SseDecoder } from "../../sse";
import { createAnthropicStreamTransformer } from "./anthropic-stream-transformer";
import {
  assembledToolCalls,
  chatRequest,
  cutsInsideMultiByteChars,
  deltas,
  finishReasons,
  joinedContent,
  joinedReasoning,
  makeCtx,
  replay,
  seededRandom,
  splitAt,
  sseText,
  streamBytes,
  TEST_NOW,
} from "./anthropic-test-support";

const streamFixtures = [
  "text-stream.sse",
  "thinking-tool-use-stream.sse",
  "adaptive-thinking-stream.sse",
  "redacted-thinking-stream.sse",
  "stop-sequence-stream.sse",
  "structured-output-stream.sse",
  "thinking-stream.chunks.txt",
  "tool-use-stream.chunks.txt",
] as const;

const plainRequest = chatRequest({ messages: [{ role: "user", content: "hi" }], stream: true });
const jsonModeRequest = chatRequest({ messages: [{ role: "user", content: "hi" }], stream: true, response_format: { type: "json_object" } });

function replayWhole(name: string, req = plainRequest) {
  const ctx = makeCtx("claude-sonnet-4-6");
  return { ...replay([streamBytes(name)], req, ctx), ctx };
}

function caught(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error("expected a GatewayError");
}

describe("recorded streams → OpenAI chunks", () => {
  it.each(streamFixtures)("%s: chunk list snapshot and chunk invariants", (name) => {
    const { chunks, transformer } = replayWhole(name);
    expect(chunks).toMatchSnapshot();

    // Role chunk first, exactly one finish chunk, last; every chunk shares id/created/model.
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "" });
    expect(finishReasons(chunks)).toHaveLength(1);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).not.toBeNull();
    const id = transformer.responseId();
    expect(id).toMatch(/^chatcmpl-msg_/);
    for (const c of chunks) {
      expect(c.id).toBe(id);
      expect(c.object).toBe("chat.completion.chunk");
      expect(c.created).toBe(Math.floor(TEST_NOW / 1000));
      expect(c).not.toHaveProperty("usage");
    }
  });

  it("text-stream: text reassembles, end_turn → stop, usage from message_start + message_delta", () => {
    const { chunks, transformer } = replayWhole("text-stream.sse");
    expect(joinedContent(chunks)).toBe("**Pete** or **Scoop**");
    expect(chunks[0]?.model).toBe("claude-sonnet-4-6");
    expect(transformer.responseId()).toBe("chatcmpl-msg_01BCgDjb5HqsydH2BtaUkzpX");
    expect(transformer.finishReason()).toBe("stop");
    expect(transformer.usage()).toEqual({ inputTokens: 17, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 12, reasoningTokens: 0 });
  });

  it("thinking-tool-use-stream: reasoning, signed thinking block, tool call index 0 with {} arguments, stored state", () => {
    const { chunks, transformer, ctx } = replayWhole("thinking-tool-use-stream.sse");
    expect(joinedReasoning(chunks)).toBe(
      "The user wants me to:\n1. Use the fixed_version tool\n2. Tell them the version\n3. Make a short joke about it\n\nLet me first call the fixed_version tool to see what version it returns.",
    );
    // The empty thinking_delta is skipped.
    expect(deltas(chunks).filter((d) => d.reasoning_content !== undefined).every((d) => d.reasoning_content !== "")).toBe(true);

    const blocks = deltas(chunks).flatMap((d) => d.thinking_blocks ?? []);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({ type: "thinking", signature: expect.stringMatching(/^EoQDCm0IDhgCKkCDzGs2kL2P/) });

    expect(assembledToolCalls(chunks)).toEqual([{ id: "toolu_01825dXWLSoJwCst1qTsiWdb", name: "fixed_version", arguments: "{}" }]);
    const toolDeltas = deltas(chunks).flatMap((d) => d.tool_calls ?? []);
    // Anthropic block index 1, OpenAI tool index 0; the first delta announces id/type/name with "".
    expect(toolDeltas[0]).toEqual({ index: 0, id: "toolu_01825dXWLSoJwCst1qTsiWdb", type: "function", function: { name: "fixed_version", arguments: "" } });
    expect(toolDeltas.every((t) => t.index === 0)).toBe(true);

    expect(transformer.finishReason()).toBe("tool_calls");
    expect(transformer.usage()).toEqual({ inputTokens: 598, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 92, reasoningTokens: 53 });
    expect(ctx.store.get("toolu_01825dXWLSoJwCst1qTsiWdb")).toEqual({ provider: "anthropic", thinkingBlocks: blocks });
  });

  it("adaptive-thinking-stream: text before thinking, both streamed in order", () => {
    const { chunks, transformer } = replayWhole("adaptive-thinking-stream.sse");
    expect(joinedContent(chunks)).toBe("\n\n1. **Captain Scoop**\n2. **Gullet**");
    expect(joinedReasoning(chunks)).toBe("Brief answer with two pet pelican names.");
    const firstReasoning = chunks.findIndex((c) => c.choices[0]?.delta.reasoning_content);
    const firstText = chunks.findIndex((c) => c.choices[0]?.delta.content === "\n\n");
    expect(firstText).toBeLessThan(firstReasoning);
    expect(deltas(chunks).flatMap((d) => d.thinking_blocks ?? [])).toEqual([
      expect.objectContaining({ type: "thinking", thinking: "Brief answer with two pet pelican names.", signature: expect.stringMatching(/^EtABCkYI/) }),
    ]);
    expect(assembledToolCalls(chunks)).toEqual([]);
    expect(transformer.finishReason()).toBe("stop");
    expect(transformer.usage()).toMatchObject({ inputTokens: 34, outputTokens: 44 });
  });

  it("redacted-thinking-stream: redacted blocks kept as thinking_blocks, never shown as text or reasoning", () => {
    const { chunks, transformer } = replayWhole("redacted-thinking-stream.sse");
    const blocks = deltas(chunks).flatMap((d) => d.thinking_blocks ?? []);
    expect(blocks.map((b) => b.type)).toEqual(["redacted_thinking", "redacted_thinking"]);
    expect(blocks[1]).toMatchObject({ data: expect.stringMatching(/^EtgBCkYIBxgCKkDQ/) });
    expect(joinedReasoning(chunks)).toBe("");
    expect(joinedContent(chunks)).toMatch(/^I notice that you've sent what appears to be some kind of test string/);
    expect(joinedContent(chunks)).not.toContain("EqkECkYI");
    expect(transformer.usage()).toMatchObject({ inputTokens: 92, outputTokens: 189 });
  });

  it("stop-sequence-stream: stop_sequence → stop", () => {
    const { chunks, transformer } = replayWhole("stop-sequence-stream.sse");
    expect(joinedContent(chunks)).toBe('\ndef pelican():\n    return "A large waterbird with a long bill and a throat pouch for catching fish."\n');
    expect(transformer.finishReason()).toBe("stop");
    expect(transformer.usage()).toMatchObject({ inputTokens: 16, outputTokens: 28 });
  });

  it("structured-output-stream: JSON text deltas reassemble into the schema's object", () => {
    const { chunks, transformer } = replayWhole("structured-output-stream.sse");
    expect(JSON.parse(joinedContent(chunks))).toMatchObject({ name: "Biscuit", age: 4, bio: expect.stringContaining("golden retriever") });
    expect(transformer.usage()).toMatchObject({ inputTokens: 231, outputTokens: 118 });
  });

  it("thinking-stream.chunks.txt: reasoning then text, multi-byte characters intact", () => {
    const { chunks, transformer } = replayWhole("thinking-stream.chunks.txt");
    expect(joinedReasoning(chunks)).toBe("The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185");
    expect(joinedContent(chunks)).toBe("925 ÷ 5 = 185");
    expect(deltas(chunks).flatMap((d) => d.thinking_blocks ?? [])).toHaveLength(1);
    expect(transformer.finishReason()).toBe("stop");
    expect(transformer.usage()).toMatchObject({ inputTokens: 69, outputTokens: 53, reasoningTokens: 0 });
  });

  it("tool-use-stream.chunks.txt: text then a tool call whose arguments arrive in fragments", () => {
    const { chunks, transformer, ctx } = replayWhole("tool-use-stream.chunks.txt");
    expect(joinedContent(chunks)).toBe("I'll invoke the JSON response tool.");
    const calls = assembledToolCalls(chunks);
    expect(calls).toEqual([{ id: "toolu_01KFbKqPYSuAKujiL6mTfzYA", name: "json", arguments: expect.any(String) }]);
    expect(JSON.parse(calls[0]?.arguments ?? "")).toEqual({ elements: [{ location: "San Francisco", temperature: 58, condition: "sunny" }] });
    // Block index 1 upstream, tool index 0 downstream; the empty first fragment is not forwarded.
    const toolDeltas = deltas(chunks).flatMap((d) => d.tool_calls ?? []);
    expect(toolDeltas.map((t) => t.index)).toEqual([0, 0, 0]);
    expect(toolDeltas.slice(1).every((t) => t.function?.arguments !== "")).toBe(true);
    expect(transformer.finishReason()).toBe("tool_calls");
    expect(transformer.usage()).toMatchObject({ inputTokens: 849, outputTokens: 47 });
    // No thinking in this message: nothing to store.
    expect(ctx.store.size).toBe(0);
  });

  it("tool-use-stream.chunks.txt in JSON mode: the forced tool's input becomes the content, finish stop", () => {
    const { chunks, transformer } = replayWhole("tool-use-stream.chunks.txt", jsonModeRequest);
    expect(chunks).toMatchSnapshot();
    expect(JSON.parse(joinedContent(chunks))).toEqual({ elements: [{ location: "San Francisco", temperature: 58, condition: "sunny" }] });
    expect(assembledToolCalls(chunks)).toEqual([]);
    expect(transformer.finishReason()).toBe("stop");
  });
});

describe("re-chunking at arbitrary byte boundaries yields identical chunks", () => {
  it.each(streamFixtures)("%s: 60 seeded random splits and a byte-by-byte split", (name) => {
    const bytes = streamBytes(name);
    const reference = replay([bytes], plainRequest, makeCtx("claude-sonnet-4-6")).chunks;
    const multiByteCuts = cutsInsideMultiByteChars(bytes);
    for (let seed = 1; seed <= 60; seed++) {
      const random = seededRandom(seed);
      const cuts = Array.from({ length: 1 + Math.floor(random() * 80) }, () => Math.floor(random() * bytes.length));
      // Every other seed also cuts inside some multi-byte characters.
      if (seed % 2 === 0) cuts.push(...multiByteCuts.filter(() => random() < 0.5));
      const pieces = splitAt(bytes, cuts);
      const { chunks } = replay(pieces, plainRequest, makeCtx("claude-sonnet-4-6"));
      expect(chunks, `seed ${seed}`).toEqual(reference);
    }
    const byteByByte = Array.from(bytes, (_b, i) => bytes.subarray(i, i + 1));
    expect(replay(byteByByte, plainRequest, makeCtx("claude-sonnet-4-6")).chunks).toEqual(reference);
  });

  it("splits inside every multi-byte UTF-8 character of thinking-stream.chunks.txt", () => {
    const bytes = streamBytes("thinking-stream.chunks.txt");
    const cuts = cutsInsideMultiByteChars(bytes);
    expect(cuts.length).toBeGreaterThan(0);
    const reference = replay([bytes], plainRequest, makeCtx("claude-sonnet-4-6")).chunks;
    expect(replay(splitAt(bytes, cuts), plainRequest, makeCtx("claude-sonnet-4-6")).chunks).toEqual(reference);
  });
});

describe("stream edge cases and errors", () => {
  const start = {
    type: "message_start",
    message: { id: "msg_x", type: "message", role: "assistant", model: "claude-sonnet-4-6", content: [], usage: { input_tokens: 10, cache_creation_input_tokens: 5, cache_read_input_tokens: 20, output_tokens: 1 } },
  };

  it("a refusal with no content blocks still yields the role chunk then content_filter", () => {
    // Event order as in vercel/ai's anthropic-refusal fixture (§3.6); payloads written here.
    const bytes = sseText([
      start,
      { type: "ping" },
      { type: "message_delta", delta: { stop_reason: "refusal", stop_sequence: null, stop_details: { type: "refusal" } }, usage: { output_tokens: 3 } },
      { type: "message_stop" },
    ]);
    const { chunks, transformer } = replay([bytes], plainRequest, makeCtx("claude-sonnet-4-6"));
    expect(chunks.map((c) => c.choices[0])).toEqual([
      { index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null },
      { index: 0, delta: {}, logprobs: null, finish_reason: "content_filter" },
    ]);
    expect(transformer.usage()).toEqual({ inputTokens: 35, cachedInputTokens: 20, cacheWriteTokens: 5, outputTokens: 3, reasoningTokens: 0 });
  });

  it("message_delta restating input and cache counts wins over message_start", () => {
    const bytes = sseText([
      start,
      { type: "message_delta", delta: { stop_reason: "max_tokens" }, usage: { input_tokens: 12, cache_read_input_tokens: 30, output_tokens: 50 } },
      { type: "message_stop" },
    ]);
    const { transformer } = replay([bytes], plainRequest, makeCtx("claude-sonnet-4-6"));
    expect(transformer.finishReason()).toBe("length");
    expect(transformer.usage()).toEqual({ inputTokens: 12 + 5 + 30, cachedInputTokens: 30, cacheWriteTokens: 5, outputTokens: 50, reasoningTokens: 0 });
  });

  it("numbers several tool calls 0, 1, … regardless of the blocks between them", () => {
    const bytes = sseText([
      start,
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Two calls." } },
      { type: "content_block_stop", index: 0 },
      { type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "toolu_a", name: "f", input: {} } },
      { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '{"x":' } },
      { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: "1}" } },
      { type: "content_block_stop", index: 1 },
      { type: "content_block_start", index: 2, content_block: { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: {} } },
      { type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: '{"q":"x"}' } },
      { type: "content_block_stop", index: 2 },
      { type: "content_block_start", index: 3, content_block: { type: "tool_use", id: "toolu_b", name: "g", input: {} } },
      { type: "content_block_stop", index: 3 },
      { type: "message_delta", delta: { stop_reason: "tool_use" }, usage: { output_tokens: 40 } },
      { type: "message_stop" },
    ]);
    const { chunks } = replay([bytes], plainRequest, makeCtx("claude-sonnet-4-6"));
    expect(assembledToolCalls(chunks)).toEqual([
      { id: "toolu_a", name: "f", arguments: '{"x":1}' },
      { id: "toolu_b", name: "g", arguments: "{}" },
    ]);
    expect(finishReasons(chunks)).toEqual(["tool_calls"]);
  });

  it("a mid-stream error event throws the mapped GatewayError (overloaded_error → 503 overloaded); earlier chunks and usage stay", () => {
    const full = new TextDecoder().decode(streamBytes("text-stream.sse"));
    const beforeStop = full.slice(0, full.indexOf("event: content_block_stop"));
    // Payload as quoted in anthropic-sdk-go#200 (provider-protocols.md §3.8), padding included.
    const errorEvent = 'event: error\ndata: {"type":"error","error":{"details":null,"type":"overloaded_error","message":"Overloaded"} }\n\n';
    const decoder = new SseDecoder();
    const transformer = createAnthropicStreamTransformer(plainRequest, makeCtx("claude-sonnet-4-6"));
    const emitted: ChatCompletionChunk[] = [];
    let err: GatewayError | undefined;
    for (const event of decoder.push(new TextEncoder().encode(beforeStop + errorEvent))) {
      try {
        emitted.push(...transformer.push(event));
      } catch (e) {
        err = e as GatewayError;
        break;
      }
    }
    expect(err).toBeInstanceOf(GatewayError);
    expect(err?.code).toBe("overloaded");
    expect(err?.status).toBe(503);
    expect(err?.publicCode).toBe("overloaded");
    expect(err?.message).toBe("Anthropic: Overloaded");
    expect(joinedContent(emitted)).toBe("**Pete** or **Scoop**");
    expect(transformer.usage().inputTokens).toBe(17);
    expect(transformer.finishReason()).toBeNull();
  });

  it("other mid-stream error types map by their type (api_error → 500, rate_limit_error → 429)", () => {
    const transformer = createAnthropicStreamTransformer(plainRequest, makeCtx("claude-sonnet-4-6"));
    const apiError = caught(() => transformer.push({ event: "error", data: '{"type":"error","error":{"type":"api_error","message":"Internal server error"}}' }));
    expect(apiError.status).toBe(500);
    const rate = caught(() => transformer.push({ event: "error", data: '{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}' }));
    expect(rate.code).toBe("rate_limited");
    expect(rate.status).toBe(429);
  });

  it("a stream that ends without message_stop makes end() throw upstream_bad_response", () => {
    const full = new TextDecoder().decode(streamBytes("text-stream.sse"));
    const truncated = full.slice(0, full.indexOf("event: message_delta"));
    const err = caught(() => replay([new TextEncoder().encode(truncated)], plainRequest, makeCtx("claude-sonnet-4-6")));
    expect(err.code).toBe("upstream_bad_response");
    expect(err.status).toBe(502);
    // After message_delta but before message_stop is still truncated.
    const almost = full.slice(0, full.indexOf("event: message_stop"));
    expect(caught(() => replay([new TextEncoder().encode(almost)], plainRequest, makeCtx("claude-sonnet-4-6"))).code).toBe("upstream_bad_response");
  });

  it("a stream cut at any random byte before message_stop fails at end(), never silently", () => {
    const bytes = streamBytes("thinking-tool-use-stream.sse");
    const stopAt = new TextDecoder().decode(bytes).indexOf("event: message_stop");
    const random = seededRandom(99);
    for (let i = 0; i < 30; i++) {
      const cut = Math.floor(random() * stopAt);
      const err = caught(() => replay([bytes.subarray(0, cut)], plainRequest, makeCtx("claude-sonnet-4-6")));
      expect(err.code, `cut at ${cut}`).toBe("upstream_bad_response");
    }
  });

  it.each([
    ["non-JSON data", "event: message_start\ndata: {not json\n\n"],
    ["a known event with a wrong shape", 'event: message_start\ndata: {"type":"message_start","message":{"model":"m"}}\n\n'],
    ["content before message_start", 'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n'],
  ])("%s → upstream_bad_response", (_label, text) => {
    const err = caught(() => replay([new TextEncoder().encode(text)], plainRequest, makeCtx("claude-sonnet-4-6")));
    expect(err.code).toBe("upstream_bad_response");
  });

  it("ignores ping and unknown event types", () => {
    const bytes = sseText([start, { type: "ping" }, { type: "future_event", foo: 1 }, { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 2 } }, { type: "message_stop" }]);
    const { chunks } = replay([bytes], plainRequest, makeCtx("claude-sonnet-4-6"));
    expect(chunks).toHaveLength(2);
  });
});
