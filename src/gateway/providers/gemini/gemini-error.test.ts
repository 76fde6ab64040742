import { describe, expect, it } from "vitest";
import { errorHeaders, toErrorBody } from "../../errors";
import { parseGeminiError, retryDelayToSeconds } from "./gemini-error";
import { fixtureText } from "./gemini-test-support";

const envelope = (code: number, status: string, message: string, details?: unknown[]) =>
  JSON.stringify({ error: { code, message, status, ...(details ? { details } : {}) } });

describe("Gemini errors → gateway errors", () => {
  it("error-404-not-found.json → 404 model_not_found", () => {
    const err = parseGeminiError(404, fixtureText("error-404-not-found.json"), new Headers());
    expect(err).toMatchObject({ code: "model_not_found", status: 404, type: "invalid_request_error", publicCode: "model_not_found", upstreamStatus: 404 });
    expect(err.message).toContain("models/gemini-3.6-flahs is not found");
  });

  it("error-429-resource-exhausted.json → 429 with retry-after from RetryInfo.retryDelay (34.4s → 35)", () => {
    const err = parseGeminiError(429, fixtureText("error-429-resource-exhausted.json"), new Headers());
    expect(err).toMatchObject({ code: "rate_limited", status: 429, type: "rate_limit_error", publicCode: "rate_limit_exceeded", retryAfter: "35" });
    expect(errorHeaders(err)).toEqual({ "retry-after": "35" });
  });

  it("a retry-after header is used when the body has no RetryInfo", () => {
    const err = parseGeminiError(429, envelope(429, "RESOURCE_EXHAUSTED", "slow down"), new Headers({ "retry-after": "12" }));
    expect(err.retryAfter).toBe("12");
  });

  it("error-400-invalid-argument-vertex.json → 400 invalid_request_error", () => {
    const raw = fixtureText("error-400-invalid-argument-vertex.json");
    const err = parseGeminiError(400, raw, new Headers());
    expect(err).toMatchObject({ code: "invalid_request", status: 400, type: "invalid_request_error", publicCode: null });
    expect(toErrorBody(err).error.message).toMatch(/^Gemini: Cannot fetch content from the provided URL/);
    expect(err.upstreamBody).toBe(raw);
  });

  it("INVALID_ARGUMENT with reason API_KEY_INVALID → 401 invalid_api_key", () => {
    // The body shape Google documents for a bad key (provider-protocols.md §4.8 [S21]).
    const body = envelope(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [
      { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com", metadata: { service: "generativelanguage.googleapis.com" } },
    ]);
    const err = parseGeminiError(400, body, new Headers());
    expect(err).toMatchObject({ code: "invalid_api_key", status: 401, type: "authentication_error", publicCode: "invalid_api_key", upstreamStatus: 400 });
  });

  it.each([
    [403, "PERMISSION_DENIED", "permission_denied", 403, "permission_error"],
    [500, "INTERNAL", "upstream_error", 500, "server_error"],
    [503, "UNAVAILABLE", "overloaded", 503, "server_error"],
    [504, "DEADLINE_EXCEEDED", "upstream_timeout", 504, "timeout_error"],
  ] as const)("%i %s → %s", (status, rpc, code, clientStatus, type) => {
    const err = parseGeminiError(status, envelope(status, rpc, "boom"), new Headers());
    expect(err).toMatchObject({ code, status: clientStatus, type });
  });

  it("an unreadable body is not echoed to the client", () => {
    const err = parseGeminiError(502, "<html>secret-header-reflection</html>", new Headers());
    expect(err.message).not.toContain("secret");
    expect(err).toMatchObject({ status: 502, code: "upstream_error" });
  });

  it("retryDelayToSeconds rounds up protobuf durations", () => {
    expect(retryDelayToSeconds("34.4s")).toBe("35");
    expect(retryDelayToSeconds("60s")).toBe("60");
    expect(retryDelayToSeconds("0.2s")).toBe("1");
    expect(retryDelayToSeconds("soon")).toBeUndefined();
  });
});
