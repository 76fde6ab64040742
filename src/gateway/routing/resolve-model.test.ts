import { describe, expect, it } from "vitest";
import { resolveModel } from "./resolve-model";
import { GatewayError } from "../errors";

describe("resolveModel", () => {
  it.each([
    ["claude-sonnet-4-6", "anthropic"],
    ["gpt-4.1-nano", "openai"],
    ["o3", "openai"],
    ["o4-mini", "openai"],
    ["o1-preview", "openai"],
    ["gemini-2.5-flash", "gemini"],
    ["grok-4.3", "xai"],
    ["claude-3-7-sonnet-latest", "anthropic"],
  ])("routes %s to %s", (model, provider) => {
    expect(resolveModel(model, "chat").provider).toBe(provider);
  });

  it("routes embeddings by prefix", () => {
    expect(resolveModel("text-embedding-3-small", "embedding")).toMatchObject({ provider: "openai", upstreamModel: "text-embedding-3-small" });
    expect(resolveModel("gemini-embedding-001", "embedding").provider).toBe("gemini");
  });

  it("accepts the explicit provider/model form and strips the prefix", () => {
    expect(resolveModel("anthropic/claude-haiku-4-5", "chat")).toMatchObject({ provider: "anthropic", upstreamModel: "claude-haiku-4-5" });
    expect(resolveModel("xai/grok-3-mini", "chat")).toMatchObject({ provider: "xai", upstreamModel: "grok-3-mini" });
    expect(resolveModel("google/gemini-2.5-flash", "chat").provider).toBe("gemini");
    // An OpenAI-compatible fine-tune or custom name goes where the prefix says.
    expect(resolveModel("openai/ft:gpt-4.1-nano:acme::abc", "chat")).toMatchObject({ provider: "openai", upstreamModel: "ft:gpt-4.1-nano:acme::abc" });
  });

  it("resolves dated aliases to the catalog entry but sends the name as given", () => {
    const r = resolveModel("claude-haiku-4-5-20251001", "chat");
    expect(r.info?.id).toBe("claude-haiku-4-5");
    expect(r.upstreamModel).toBe("claude-haiku-4-5-20251001");
  });

  it("answers 404 model_not_found for names it cannot route", () => {
    for (const name of ["llama-3-70b", "mystery/model", "anthropic/"]) {
      try {
        resolveModel(name, "chat");
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(GatewayError);
        expect((e as GatewayError).status).toBe(404);
        expect((e as GatewayError).publicCode).toBe("model_not_found");
        expect((e as GatewayError).param).toBe("model");
      }
    }
  });

  it("rejects a known model on the wrong provider or the wrong endpoint", () => {
    expect(() => resolveModel("anthropic/gpt-4.1", "chat")).toThrow(/served by openai/);
    expect(() => resolveModel("text-embedding-3-small", "chat")).toThrow(/embedding model/);
    expect(() => resolveModel("gpt-4.1", "embedding")).toThrow(/chat model/);
  });
});
