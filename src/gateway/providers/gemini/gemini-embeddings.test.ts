import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors";
import { decodeEmbeddingBase64, embeddingsRequestSchema } from "../../openai/embeddings-request";
import { buildGeminiEmbeddingsRequest, parseGeminiEmbeddingsResponse } from "./gemini-embeddings";
import { fixtureJson, testContext } from "./gemini-test-support";

const fixture = fixtureJson<{ embeddings: Array<{ values: number[] }>; usageMetadata: { promptTokenCount: number } }>("embeddings-batch.json");
const req = (body: Record<string, unknown>) => embeddingsRequestSchema.parse({ model: "gemini-embedding-001", ...body });

describe("Gemini embeddings", () => {
  it("builds one batchEmbedContents request per input string, with outputDimensionality from dimensions", () => {
    const upstream = buildGeminiEmbeddingsRequest(req({ input: ["hello", "world"], dimensions: 768 }), testContext("gemini-embedding-001"));
    expect(upstream.url).toBe("https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents");
    expect(upstream.method).toBe("POST");
    expect(upstream.headers).toEqual({ "content-type": "application/json", "x-goog-api-key": "test-key" });
    expect(JSON.parse(upstream.body!)).toEqual({
      requests: [
        { model: "models/gemini-embedding-001", content: { parts: [{ text: "hello" }] }, outputDimensionality: 768 },
        { model: "models/gemini-embedding-001", content: { parts: [{ text: "world" }] }, outputDimensionality: 768 },
      ],
    });
    const single = JSON.parse(buildGeminiEmbeddingsRequest(req({ input: "one" }), testContext("gemini-embedding-001")).body!);
    expect(single).toEqual({ requests: [{ model: "models/gemini-embedding-001", content: { parts: [{ text: "one" }] } }] });
  });

  it("rejects token-array inputs, user, unknown fields and batches over Google's limit (400 naming the param)", () => {
    const ctx = testContext("gemini-embedding-001");
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ input: [1, 2, 3] }, "input"],
      [{ input: [[1, 2], [3]] }, "input"],
      [{ input: "x", user: "u" }, "user"],
      [{ input: "x", task_type: "RETRIEVAL_QUERY" }, "task_type"],
      [{ input: Array.from({ length: 101 }, (_, i) => `t${i}`) }, "input"],
    ];
    for (const [body, param] of cases) {
      let caught: unknown;
      try {
        buildGeminiEmbeddingsRequest(req(body), ctx);
      } catch (err) {
        caught = err;
      }
      expect(caught, param).toBeInstanceOf(GatewayError);
      expect(caught).toMatchObject({ status: 400, param });
    }
  });

  it("embeddings-batch.json, float: OpenAI list shape, values unchanged, usage from usageMetadata", () => {
    const { response, usage } = parseGeminiEmbeddingsResponse(fixture, req({ input: ["a", "b"] }), testContext("gemini-embedding-001"));
    expect(response.object).toBe("list");
    expect(response.model).toBe("gemini-embedding-001");
    expect(response.data).toHaveLength(2);
    expect(response.data.map((d) => [d.object, d.index])).toEqual([
      ["embedding", 0],
      ["embedding", 1],
    ]);
    expect(response.data[0]!.embedding).toEqual(fixture.embeddings[0]!.values);
    expect(response.data[1]!.embedding).toHaveLength(768);
    expect(response.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
    expect(usage).toEqual({ inputTokens: 4, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 });
  });

  it("embeddings-batch.json, base64: little-endian float32 that decodes back to the values", () => {
    const { response } = parseGeminiEmbeddingsResponse(fixture, req({ input: ["a", "b"], encoding_format: "base64" }), testContext("gemini-embedding-001"));
    for (const [i, item] of response.data.entries()) {
      expect(typeof item.embedding).toBe("string");
      const decoded = decodeEmbeddingBase64(item.embedding as string);
      expect(decoded).toEqual(fixture.embeddings[i]!.values.map((v) => Math.fround(v)));
    }
    expect(Buffer.from(response.data[0]!.embedding as string, "base64").length).toBe(768 * 4);
  });

  it("no usageMetadata → 0 tokens (unknown, not estimated); wrong count or shape → upstream_bad_response", () => {
    const { response } = parseGeminiEmbeddingsResponse({ embeddings: [{ values: [0.5] }] }, req({ input: "a" }), testContext("gemini-embedding-001"));
    expect(response.usage).toEqual({ prompt_tokens: 0, total_tokens: 0 });
    expect(() => parseGeminiEmbeddingsResponse(fixture, req({ input: "only one" }), testContext())).toThrow(/2 embeddings for 1 inputs/);
    expect(() => parseGeminiEmbeddingsResponse({ embedding: {} }, req({ input: "a" }), testContext())).toThrow(GatewayError);
  });
});
