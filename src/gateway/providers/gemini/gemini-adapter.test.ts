import { describe, expect, it } from "vitest";
import { chatCompletionRequestSchema } from "../../openai/chat-request";
import { geminiAdapter } from "./gemini-adapter";
import { collect, fixtureJson, replay, streamFixtureBytes, testContext } from "./gemini-test-support";

const req = chatCompletionRequestSchema.parse({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "Hi" }] });

describe("geminiAdapter", () => {
  it("identifies itself", () => {
    expect([geminiAdapter.id, geminiAdapter.displayName, geminiAdapter.defaultBaseUrl]).toEqual([
      "gemini",
      "Google Gemini",
      "https://generativelanguage.googleapis.com/v1beta",
    ]);
  });

  it("streaming and non-streaming URLs, key header, JSON body", async () => {
    const ctx = testContext("gemini-2.5-flash");
    const streaming = await geminiAdapter.buildChatRequest(req, ctx, true);
    expect(streaming.url).toBe("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    expect(streaming.method).toBe("POST");
    expect(streaming.headers).toEqual({ "content-type": "application/json", "x-goog-api-key": "test-key" });
    expect(JSON.parse(streaming.body!)).toEqual({ contents: [{ role: "user", parts: [{ text: "Hi" }] }] });

    const plain = await geminiAdapter.buildChatRequest(req, { ...ctx, baseUrl: "http://127.0.0.1:9999/v1beta" }, false);
    expect(plain.url).toBe("http://127.0.0.1:9999/v1beta/models/gemini-2.5-flash:generateContent");
  });

  it("key check: GET {baseUrl}/models?pageSize=1 with the key header", () => {
    expect(geminiAdapter.buildKeyCheckRequest("k-1", "https://generativelanguage.googleapis.com/v1beta")).toEqual({
      url: "https://generativelanguage.googleapis.com/v1beta/models?pageSize=1",
      method: "GET",
      headers: { "x-goog-api-key": "k-1" },
    });
  });

  it("wires response, stream, embeddings and error parsing", () => {
    const ctx = testContext("gemini-3-pro-preview");
    expect(geminiAdapter.parseChatResponse(fixtureJson("text.json"), req, ctx).completion.choices[0]!.finish_reason).toBe("stop");
    const { chunks } = replay([streamFixtureBytes("text-stream.sse")]);
    expect(collect(chunks).content).toBe("The capital of France is Paris.\n");
    expect(geminiAdapter.createChatStream(req, ctx).responseId()).toBeUndefined();
    expect(geminiAdapter.buildEmbeddingsRequest).toBeTypeOf("function");
    expect(geminiAdapter.parseEmbeddingsResponse).toBeTypeOf("function");
    expect(geminiAdapter.parseError(503, JSON.stringify({ error: { code: 503, message: "x", status: "UNAVAILABLE" } }), new Headers()).code).toBe("overloaded");
  });
});
