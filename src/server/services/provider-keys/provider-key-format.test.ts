import { describe, expect, it } from "vitest";
import { normalizeBaseUrl, providerKeyFormatError } from "./provider-key-format";

describe("providerKeyFormatError", () => {
  it("accepts each provider's documented key shape", () => {
    expect(providerKeyFormatError("openai", "sk-proj-abcdefghijklmnopqrstuvwxyz0123")).toBeNull();
    expect(providerKeyFormatError("openai", "sk-sim-0123456789abcdef")).toBeNull();
    expect(providerKeyFormatError("anthropic", "sk-ant-api03-abcdefghijklmnop_qrs")).toBeNull();
    expect(providerKeyFormatError("gemini", "AIza" + "a".repeat(35))).toBeNull();
    expect(providerKeyFormatError("xai", "xai-" + "A1".repeat(20))).toBeNull();
  });

  it("rejects a key pasted into the wrong provider, naming the expected shape", () => {
    expect(providerKeyFormatError("anthropic", "sk-proj-abcdefghijklmnopqrstuvwxyz")).toMatch(/sk-ant-/);
    expect(providerKeyFormatError("gemini", "AIza" + "a".repeat(20))).toMatch(/39 characters/);
    expect(providerKeyFormatError("xai", "sk-abcdefghijklmnopqrstuvwxyz")).toMatch(/xai-/);
  });

  it("rejects empty, whitespace-containing and absurdly long input without echoing it", () => {
    expect(providerKeyFormatError("openai", "")).toMatch(/Paste/);
    const spaced = "sk-abcdefghij klmnopqrstuv";
    const msg = providerKeyFormatError("openai", spaced);
    expect(msg).toMatch(/spaces/);
    expect(msg).not.toContain("abcdefghij");
    expect(providerKeyFormatError("openai", "sk-" + "a".repeat(600))).toMatch(/too long/);
  });
});

describe("normalizeBaseUrl", () => {
  it("strips trailing slashes and spaces", () => {
    expect(normalizeBaseUrl(" https://api.openai.com/v1/ ")).toBe("https://api.openai.com/v1");
    expect(normalizeBaseUrl("http://127.0.0.1:4010/anthropic//")).toBe("http://127.0.0.1:4010/anthropic");
  });
});
