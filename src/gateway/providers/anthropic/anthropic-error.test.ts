import { describe, expect, it } from "vitest";
import { errorHeaders, toErrorBody } from "../../errors";
import { anthropicAdapter } from "./anthropic-adapter";
import { fixtureText } from "./anthropic-test-support";

function parse(status: number, body: string, headers: Record<string, string> = {}) {
  return anthropicAdapter.parseError(status, body, new Headers(headers));
}

const body = (type: string, message: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: "error", error: { type, message, ...extra }, request_id: "req_test" });

describe("Anthropic error bodies → gateway errors", () => {
  it("error-400-invalid-request.json → 400 invalid_request_error, upstream message kept", () => {
    const raw = fixtureText("error-400-invalid-request.json");
    const err = parse(400, raw);
    expect(err.status).toBe(400);
    expect(err.code).toBe("invalid_request");
    expect(toErrorBody(err)).toEqual({
      error: {
        message: "Anthropic: This model does not support effort level 'xhigh'. Supported levels: high, low, max, medium.",
        type: "invalid_request_error",
        param: null,
        code: null,
      },
    });
    expect(err.upstreamStatus).toBe(400);
    expect(err.upstreamBody).toBe(raw);
  });

  it("error-404-not-found.json → 404 model_not_found", () => {
    const err = parse(404, fixtureText("error-404-not-found.json"));
    expect(err.status).toBe(404);
    expect(err.code).toBe("model_not_found");
    expect(err.publicCode).toBe("model_not_found");
    expect(err.message).toBe("Anthropic: model: claude-sonet-4-5");
  });

  it.each([
    [401, "authentication_error", "invalid x-api-key", 401, "invalid_api_key", "authentication_error"],
    [403, "permission_error", "Your API key does not have permission", 403, "permission_denied", "permission_error"],
    [413, "request_too_large", "Request exceeds the maximum allowed number of bytes.", 413, "request_too_large", "invalid_request_error"],
    [500, "api_error", "Internal server error", 500, "upstream_error", "server_error"],
    [529, "overloaded_error", "Overloaded", 503, "overloaded", "server_error"],
  ])("HTTP %i %s → %i %s", (status, type, message, clientStatus, code, openaiType) => {
    const err = parse(status, body(type, message));
    expect(err.status).toBe(clientStatus);
    expect(err.code).toBe(code);
    expect(err.type).toBe(openaiType);
    expect(err.message).toBe(`Anthropic: ${message}`);
  });

  it("429 rate limit passes retry-after on", () => {
    const err = parse(429, body("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"), { "retry-after": "17" });
    expect(err.status).toBe(429);
    expect(err.code).toBe("rate_limited");
    expect(err.publicCode).toBe("rate_limit_exceeded");
    expect(errorHeaders(err)).toEqual({ "retry-after": "17" });
  });

  it("429 spend limit → insufficient_quota, not retried", () => {
    const err = parse(429, body("rate_limit_error", "You have reached your specified API usage limits.", { details: { error_code: "enforced_spend_limit_reached" } }), {
      "retry-after": "3600",
    });
    expect(err.status).toBe(429);
    expect(err.code).toBe("insufficient_quota");
    expect(err.type).toBe("insufficient_quota");
    expect(err.publicCode).toBe("insufficient_quota");
    expect(errorHeaders(err)).toEqual({ "retry-after": "3600", "x-should-retry": "false" });
  });

  it("a prompt that is too long → context_length_exceeded", () => {
    const err = parse(400, body("invalid_request_error", "prompt is too long: 215000 tokens > 200000 maximum"));
    expect(err.status).toBe(400);
    expect(err.code).toBe("context_length_exceeded");
  });

  it("an unreadable body → a generic message with the status, never the body", () => {
    const html = "<html><body>502 Bad Gateway — x-api-key: sk-ant-api03-SECRET</body></html>";
    const err = parse(502, html);
    expect(err.message).toBe("Anthropic: upstream returned HTTP 502 without a readable error body.");
    expect(JSON.stringify(toErrorBody(err))).not.toContain("SECRET");
    expect(err.status).toBe(502);
    expect(err.upstreamStatus).toBe(502);
  });
});
