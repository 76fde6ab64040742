import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors";
import { toOpenAIUsage } from "../../usage";
import { GeminiStreamTransformer } from "./gemini-stream-transformer";
import {
  GOOGLE_FIXTURES,
  collect,
  fixtureJson,
  fixtureText,
  replay,
  seededRandom,
  splitAtRandom,
  streamFixtureBytes,
  testContext,
} from "./gemini-test-support";

const streamFixtures = readdirSync(GOOGLE_FIXTURES)
  .filter((f) => f.endsWith(".sse") || f.endsWith(".chunks.txt"))
  .sort();

const sse = (payloads: unknown[]) => new TextEncoder().encode(payloads.map((p) => `data: ${JSON.stringify(p)}\r\n\r\n`).join(""));

/** Reference reading of a recorded stream, independent of the transformer: every event's parts. */
function recordedParts(name: string): Array<{ text?: string; thought?: boolean; thoughtSignature?: string }> {
  const raw = name.endsWith(".sse")
    ? fixtureText(name).split("\r\n\r\n").filter((e) => e.trim()).map((e) => e.replace(/^data: /, ""))
    : fixtureText(name).split("\n").filter((l) => l.trim());
  return raw.flatMap((e) => (JSON.parse(e) as { candidates: Array<{ content: { parts: [] } }> }).candidates.flatMap((c) => c.content.parts));
}

describe("Gemini stream transformer: recorded streams", () => {
  it("finds the recorded streams", () => {
    expect(streamFixtures).toEqual(["function-call-stream.sse", "text-stream-gemini3.chunks.txt", "text-stream.sse", "thought-stream.sse"]);
  });

  for (const name of streamFixtures) {
    it(`${name}: emitted chunks match the snapshot, role chunk first, one finish chunk`, () => {
      const { chunks, transformer } = replay([streamFixtureBytes(name)]);
      expect({ chunks, usage: transformer.usage(), finishReason: transformer.finishReason() }).toMatchSnapshot();

      expect(chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "" });
      expect(chunks.filter((c) => c.choices.some((ch) => ch.finish_reason !== null))).toHaveLength(1);
      expect(chunks.at(-1)?.choices[0]?.delta).toEqual({});
      // Every chunk repeats the same id, created and model; none carries usage (the core adds it).
      const first = chunks[0]!;
      for (const c of chunks) {
        expect([c.id, c.created, c.model]).toEqual([first.id, first.created, first.model]);
        expect(c).not.toHaveProperty("usage");
      }
      expect(first.created).toBe(1_760_000_000);
    });

    it(`${name}: re-chunking at random byte boundaries gives identical chunks`, () => {
      const bytes = streamFixtureBytes(name);
      const baseline = replay([bytes]).chunks;
      for (let seed = 1; seed <= 60; seed++) {
        const pieces = splitAtRandom(bytes, seededRandom(seed), seed % 3 === 0 ? 7 : 97);
        expect(replay(pieces).chunks, `seed ${seed}`).toEqual(baseline);
      }
    });
  }

  it("text-stream.sse (gemini-2.0-flash-exp, CRLF framing): text, stop, usage from the LAST usageMetadata", () => {
    const { chunks, transformer } = replay([streamFixtureBytes("text-stream.sse")]);
    const got = collect(chunks);
    expect(got.content).toBe("The capital of France is Paris.\n");
    expect(got.reasoning).toBe("");
    expect(got.finish).toBe("stop");
    expect(transformer.responseId()).toBe("w1peaMz6INOvnvgPgYfPiQY");
    expect(chunks[0]!.model).toBe("gemini-2.0-flash-exp");
    // Earlier events said promptTokenCount 15; the last one says 13 and wins.
    expect(transformer.usage()).toEqual({ inputTokens: 13, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 8, reasoningTokens: 0 });
  });

  it("thought-stream.sse (gemini-2.5-pro): thoughts → reasoning_content, answer → content, thoughts counted as output", () => {
    const { chunks, transformer } = replay([streamFixtureBytes("thought-stream.sse")]);
    const got = collect(chunks);
    const parts = recordedParts("thought-stream.sse");
    expect(got.reasoning).toBe(parts.filter((p) => p.thought).map((p) => p.text).join(""));
    expect(got.content).toBe(parts.filter((p) => !p.thought).map((p) => p.text).join(""));
    expect(got.reasoning.startsWith("**Clarifying User Goals**")).toBe(true);
    expect(got.content.startsWith("This is a great question!")).toBe(true);
    expect(got.content).not.toContain("Clarifying User Goals");
    // Thought chunks come before the first content chunk.
    const firstContent = chunks.findIndex((c) => c.choices[0]?.delta.content);
    const lastReasoning = chunks.findLastIndex((c) => c.choices[0]?.delta.reasoning_content);
    expect(lastReasoning).toBeLessThan(firstContent);
    expect(got.finish).toBe("stop");

    // §4.5: 34 prompt + 469 candidates + 787 thoughts = 1290 totalTokenCount.
    const usage = transformer.usage();
    expect(usage).toEqual({ inputTokens: 34, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 469 + 787, reasoningTokens: 787 });
    const openai = toOpenAIUsage(usage);
    expect(openai.completion_tokens).toBe(1256);
    expect(openai.total_tokens).toBe(1290);
    expect(openai.completion_tokens_details.reasoning_tokens).toBe(787);
  });

  it("function-call-stream.sse (gemini-3-pro-preview): one whole tool call with synthesized id and thought signature", () => {
    const ctx = testContext("gemini-3-pro-preview");
    const { chunks, transformer } = replay([streamFixtureBytes("function-call-stream.sse")], ctx);
    const signature = recordedParts("function-call-stream.sse")[0]!.thoughtSignature!;
    expect(signature.startsWith("EpwICpkIAXLI2nx")).toBe(true);

    const toolChunks = chunks.filter((c) => c.choices[0]?.delta.tool_calls);
    expect(toolChunks).toHaveLength(1);
    expect(toolChunks[0]!.choices[0]!.delta.tool_calls).toEqual([
      {
        index: 0,
        id: "call_id1",
        type: "function",
        function: { name: "get_country", arguments: "{}" },
        extra_content: { google: { thought_signature: signature } },
      },
    ]);
    // The closing `{text: ""}` part emits nothing.
    expect(chunks.some((c) => c.choices[0]?.delta.content)).toBe(false);
    // STOP after a functionCall → tool_calls.
    expect(collect(chunks).finish).toBe("tool_calls");
    expect(transformer.finishReason()).toBe("tool_calls");
    expect(ctx.store.get("call_id1")).toEqual({ provider: "gemini", thoughtSignature: signature });
    expect(transformer.usage()).toEqual({ inputTokens: 29, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 10 + 202, reasoningTokens: 202 });
  });

  it("text-stream-gemini3.chunks.txt: the trailing empty text part with a thoughtSignature emits nothing", () => {
    const { chunks, transformer } = replay([streamFixtureBytes("text-stream-gemini3.chunks.txt")]);
    const got = collect(chunks);
    expect(got.content).toBe('There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y');
    // role + 2 text chunks + finish chunk: the signature-only part adds no chunk.
    expect(chunks).toHaveLength(4);
    expect(JSON.stringify(chunks)).not.toContain("EqsFCqgF");
    expect(got.finish).toBe("stop");
    expect(transformer.usage()).toEqual({ inputTokens: 9, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 23 + 185, reasoningTokens: 185 });
  });

  it("thought-function-call-stream.json-array.txt (no alt=sse), replayed element by element: thought then tool call", () => {
    const elements = fixtureJson<unknown[]>("thought-function-call-stream.json-array.txt");
    const ctx = testContext("gemini-2.5-flash");
    const t = new GeminiStreamTransformer(ctx);
    const chunks = [...elements.flatMap((e) => t.push({ data: JSON.stringify(e) })), ...t.end()];
    const got = collect(chunks);
    expect(got.reasoning.startsWith("**Generating Pelican Names**")).toBe(true);
    expect(got.toolCalls).toEqual([
      { id: "call_id1", name: "pelican_name_generator", arguments: "{}", extra: { google: { thought_signature: expect.stringMatching(/^ClgBEU0yD8z3/) } } },
    ]);
    expect(got.finish).toBe("tool_calls");
    expect(t.usage()).toEqual({ inputTokens: 32, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 12 + 42, reasoningTokens: 42 });
  });
});

describe("Gemini stream transformer: UTF-8 split anywhere", () => {
  // Synthetic (the recordings are ASCII-only): multi-byte characters of 2, 3 and 4 bytes.
  const text = "Grüße — 日本語 🌍🚀 ok";
  const bytes = sse([
    { candidates: [{ content: { role: "model", parts: [{ text: text.slice(0, 9) }] }, index: 0 }], responseId: "r1", modelVersion: "gemini-2.5-flash" },
    {
      candidates: [{ content: { role: "model", parts: [{ text: text.slice(9) }] }, finishReason: "STOP", index: 0 }],
      usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 9, totalTokenCount: 12 },
      responseId: "r1",
      modelVersion: "gemini-2.5-flash",
    },
  ]);

  it("splits at every single byte, including inside each multi-byte sequence", () => {
    const baseline = replay([bytes]).chunks;
    expect(collect(baseline).content).toBe(text);
    const oneByteEach = Array.from(bytes, (b) => Uint8Array.of(b));
    expect(replay(oneByteEach).chunks).toEqual(baseline);
    for (let seed = 1; seed <= 200; seed++) {
      expect(replay(splitAtRandom(bytes, seededRandom(seed), 5)).chunks, `seed ${seed}`).toEqual(baseline);
    }
  });
});

describe("Gemini stream transformer: failures and edge cases", () => {
  const textEvent = {
    candidates: [{ content: { role: "model", parts: [{ text: "Hello" }] }, index: 0 }],
    usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 1, totalTokenCount: 6 },
    responseId: "r1",
    modelVersion: "gemini-2.5-flash",
  };

  it("a data object with a top-level error throws the mapped GatewayError", () => {
    const t = new GeminiStreamTransformer(testContext());
    expect(t.push({ data: JSON.stringify(textEvent) })).toHaveLength(2);
    const overloaded = { error: { code: 503, message: "The model is overloaded. Please try again later.", status: "UNAVAILABLE" } };
    const err = catchError(() => t.push({ data: JSON.stringify(overloaded) }));
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ code: "overloaded", status: 503, upstreamStatus: 503 });
    expect(err.message).toContain("overloaded");
    // Usage seen before the error stays available for the ledger.
    expect(t.usage().inputTokens).toBe(5);
  });

  it("a mid-stream error without a numeric code is classed by its rpc status", () => {
    const t = new GeminiStreamTransformer(testContext());
    const err = catchError(() => t.push({ data: JSON.stringify({ error: { message: "Quota exceeded", status: "RESOURCE_EXHAUSTED" } }) }));
    expect(err).toMatchObject({ code: "rate_limited", status: 429 });
  });

  it("a body that ends before any finishReason makes end() throw upstream_bad_response", () => {
    const events = fixtureText("text-stream.sse").split("\r\n\r\n").slice(0, 2).join("\r\n\r\n") + "\r\n\r\n";
    const decoderBytes = new TextEncoder().encode(events);
    const err = catchError(() => replay([decoderBytes]));
    expect(err).toMatchObject({ code: "upstream_bad_response", status: 502 });

    // The chunks before the cut were real; usage so far stays readable.
    const t = new GeminiStreamTransformer(testContext());
    for (const e of events.split("\r\n\r\n").filter(Boolean)) t.push({ data: e.replace(/^data: /, "") });
    expect(() => t.end()).toThrow(GatewayError);
    expect(t.usage().inputTokens).toBe(15);
    expect(t.finishReason()).toBeNull();
  });

  it("an empty body makes end() throw", () => {
    expect(() => new GeminiStreamTransformer(testContext()).end()).toThrow(/ended before/);
  });

  it("malformed events become upstream_bad_response, not crashes", () => {
    const t = new GeminiStreamTransformer(testContext());
    expect(catchError(() => t.push({ data: "{not json" }))).toMatchObject({ code: "upstream_bad_response" });
    expect(catchError(() => t.push({ data: JSON.stringify({ candidates: "nope" }) }))).toMatchObject({ code: "upstream_bad_response" });
  });

  it("n>1: candidates by index, a role chunk and a finish chunk per choice, tool-call index per choice", () => {
    const t = new GeminiStreamTransformer(testContext());
    const chunks = [
      ...t.push({
        data: JSON.stringify({
          candidates: [
            { content: { role: "model", parts: [{ text: "A" }] }, index: 0 },
            { content: { role: "model", parts: [{ functionCall: { name: "f", args: { x: 1 } } }] }, index: 1 },
          ],
          responseId: "r2",
          modelVersion: "gemini-2.5-flash",
        }),
      }),
      ...t.push({
        data: JSON.stringify({
          candidates: [
            { content: { role: "model", parts: [{ text: "B" }] }, finishReason: "MAX_TOKENS", index: 0 },
            { content: { role: "model", parts: [{ functionCall: { name: "g", args: {} } }] }, finishReason: "STOP", index: 1 },
          ],
          usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 6, totalTokenCount: 10 },
        }),
      }),
      ...t.end(),
    ];
    expect(collect(chunks, 0)).toMatchObject({ content: "AB", finish: "length", toolCalls: [] });
    const second = collect(chunks, 1);
    expect(second.finish).toBe("tool_calls");
    expect(second.toolCalls.map((c) => [c.id, c.name, c.arguments])).toEqual([
      ["call_id1", "f", '{"x":1}'],
      ["call_id2", "g", "{}"],
    ]);
    expect(chunks.filter((c) => c.choices[0]?.delta.role === "assistant").map((c) => c.choices[0]!.index)).toEqual([0, 1]);
    expect(t.finishReason()).toBe("length");
  });

  it("a blocked prompt (promptFeedback, no candidates) ends with content_filter", () => {
    const t = new GeminiStreamTransformer(testContext());
    const chunks = [
      ...t.push({ data: JSON.stringify({ promptFeedback: { blockReason: "PROHIBITED_CONTENT" }, usageMetadata: { promptTokenCount: 7, totalTokenCount: 7 } }) }),
      ...t.end(),
    ];
    expect(chunks.map((c) => [c.choices[0]!.delta, c.choices[0]!.finish_reason])).toEqual([
      [{ role: "assistant", content: "" }, null],
      [{}, "content_filter"],
    ]);
    expect(t.usage().inputTokens).toBe(7);
  });
});

function catchError(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error("expected a GatewayError");
}
