import { describe, expect, it } from "vitest";
import { openaiAdapter } from "../openai/openai-adapter";
import { xaiAdapter } from "../xai/xai-adapter";
import { fakeContext, listStreamFixtures, parseRequest, replay, splitRandomly, streamBytes } from "./replay-fixtures.test-helper";
import { OpenAICompatibleStreamTransformer } from "./openai-compatible-stream-transformer";
import { convertOpenAIUsage } from "../openai/convert-openai-usage";

const req = parseRequest({ model: "m", messages: [{ role: "user", content: "hi" }], stream: true });
const cases = [
  ...listStreamFixtures("openai").map((name) => ({ adapter: openaiAdapter, provider: "openai" as const, name })),
  ...listStreamFixtures("xai").map((name) => ({ adapter: xaiAdapter, provider: "xai" as const, name })),
];

/** Byte offsets that fall inside a multi-byte UTF-8 character (continuation bytes). */
function continuationOffsets(bytes: Uint8Array): number[] {
  const out: number[] = [];
  bytes.forEach((b, i) => {
    if ((b & 0xc0) === 0x80) out.push(i);
  });
  return out;
}

describe("re-chunking recorded streams at random byte boundaries", () => {
  it("covers every recorded OpenAI and xAI stream", () => {
    expect(cases.length).toBe(8);
  });

  it.each(cases)("$provider/$name gives identical chunks, usage and finish for any split", ({ adapter, provider, name }) => {
    const bytes = streamBytes(provider, name);
    const whole = replay(adapter, req, fakeContext("m"), [bytes]);
    expect(whole.chunks.length).toBeGreaterThan(0);
    for (let seed = 1; seed <= 40; seed++) {
      const pieces = splitRandomly(bytes, seed, 1 + (seed % 7) * 11);
      const split = replay(adapter, req, fakeContext("m"), pieces);
      expect(split.chunks, `seed ${seed}`).toEqual(whole.chunks);
      expect(split.transformer.usage()).toEqual(whole.transformer.usage());
      expect(split.transformer.finishReason()).toBe(whole.transformer.finishReason());
    }
  });

  it.each(cases.filter((c) => continuationOffsets(streamBytes(c.provider, c.name)).length > 0))(
    "$provider/$name survives a split inside every multi-byte character",
    ({ adapter, provider, name }) => {
      const bytes = streamBytes(provider, name);
      const whole = replay(adapter, req, fakeContext("m"), [bytes]);
      const offsets = continuationOffsets(bytes);
      for (const at of offsets) {
        const split = replay(adapter, req, fakeContext("m"), [bytes.subarray(0, at), bytes.subarray(at)]);
        expect(split.chunks, `split at byte ${at}`).toEqual(whole.chunks);
      }
      // One byte at a time splits every character too.
      const single = replay(adapter, req, fakeContext("m"), Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)));
      expect(single.chunks).toEqual(whole.chunks);
    },
  );
});

describe("stream transformer rules", () => {
  const make = () => new OpenAICompatibleStreamTransformer({ displayName: "Test", convertUsage: convertOpenAIUsage });
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
    data: JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 5, model: "m", choices, ...extra }),
  });

  it("adds role to the first delta of a choice that lacks it, without adding a chunk", () => {
    const t = make();
    const out = t.push(chunk([{ index: 0, delta: { content: "Hi" } }]));
    expect(out).toEqual([
      { id: "c1", object: "chat.completion.chunk", created: 5, model: "m", choices: [{ index: 0, delta: { role: "assistant", content: "Hi" }, logprobs: null, finish_reason: null }] },
    ]);
    expect(t.push(chunk([{ index: 0, delta: { content: "!" } }]))[0]?.choices[0]?.delta).toEqual({ content: "!" });
  });

  it("ignores events after [DONE] and keeps the last usage seen", () => {
    const t = make();
    t.push(chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: "stop" }]));
    expect(t.push(chunk([], { usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } }))).toEqual([]);
    expect(t.push({ data: "[DONE]" })).toEqual([]);
    expect(t.push(chunk([{ index: 0, delta: { content: "late" } }]))).toEqual([]);
    expect(t.end()).toEqual([]);
    expect(t.usage()).toMatchObject({ inputTokens: 3, outputTokens: 4 });
  });

  it("maps a non-OpenAI finish reason to stop", () => {
    const t = make();
    expect(t.push(chunk([{ index: 0, delta: {}, finish_reason: "end_turn" }]))[0]?.choices[0]?.finish_reason).toBe("stop");
  });

  it("with n > 1, a choice left unfinished makes end() fail", () => {
    const t = make();
    t.push(chunk([{ index: 0, delta: { role: "assistant", content: "a" } }]));
    t.push(chunk([{ index: 1, delta: { role: "assistant", content: "b" } }]));
    t.push(chunk([{ index: 0, delta: {}, finish_reason: "stop" }]));
    expect(() => t.end()).toThrowError(expect.objectContaining({ code: "upstream_bad_response" }));
  });

  it("an empty body fails in end()", () => {
    expect(() => make().end()).toThrowError(expect.objectContaining({ code: "upstream_bad_response" }));
  });
});
