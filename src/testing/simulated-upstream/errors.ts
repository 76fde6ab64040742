import { randomId } from "./ids";
import type { Directives, SimProvider } from "./types";

/**
 * Each provider's own error envelope, as recorded in src/gateway/__fixtures__/providers and
 * described in docs/provider-protocols.md §1.3, §3.8, §4.8, §5.3:
 * - OpenAI: `{"error":{message,type,param,code}}`, pretty-printed with 4 spaces like the wire.
 * - xAI: flat `{"code": <gRPC status text>, "error": <message>}`; a bad key is a 400.
 * - Anthropic: `{"type":"error","error":{type,message},"request_id"}` + `request-id` header.
 * - Gemini: google.rpc `{"error":{code,message,status,details?}}`, pretty-printed with 2 spaces.
 */

export interface JsonReply {
  type: "json";
  status: number;
  body: string;
  headers?: Record<string, string>;
  /** Delay/hang/reset controls for a successful non-streamed answer. */
  directives?: Directives;
}

export function jsonReply(status: number, body: string, headers?: Record<string, string>): JsonReply {
  return headers ? { type: "json", status, body, headers } : { type: "json", status, body };
}

export function openaiError(
  status: number,
  message: string,
  type: string,
  param: string | null = null,
  code: string | null = null,
  headers?: Record<string, string>,
): JsonReply {
  return jsonReply(status, `${JSON.stringify({ error: { message, type, param, code } }, null, 4)}\n`, headers);
}

export function xaiError(status: number, code: string, error: string, headers?: Record<string, string>): JsonReply {
  return jsonReply(status, JSON.stringify({ code, error }), headers);
}

export function anthropicError(status: number, type: string, message: string, headers?: Record<string, string>): JsonReply {
  const requestId = randomId("req_011C", 20);
  return jsonReply(status, JSON.stringify({ type: "error", error: { type, message }, request_id: requestId }), {
    "request-id": requestId,
    ...headers,
  });
}

export function geminiError(status: number, rpcStatus: string, message: string, details?: unknown[]): JsonReply {
  const error = details ? { code: status, message, status: rpcStatus, details } : { code: status, message, status: rpcStatus };
  return jsonReply(status, `${JSON.stringify({ error }, null, 2)}\n`);
}

/** The key as the providers echo it in auth errors: never the whole credential. */
export function maskKey(key: string, keep: number): string {
  if (key.length <= keep * 2) return "*".repeat(key.length);
  return `${key.slice(0, keep)}***${key.slice(-keep)}`;
}

// xAI answers with gRPC canonical status descriptions in `code`.
const XAI_CODES = {
  400: "Client specified an invalid argument",
  401: "The request does not have valid authentication credentials for the operation",
  403: "The caller does not have permission to execute the specified operation",
  404: "Some requested entity was not found",
  429: "Some resource has been exhausted",
  500: "Internal error",
  503: "The service is currently unavailable",
} as const;

export function xaiCode(status: number): string {
  return XAI_CODES[status as keyof typeof XAI_CODES] ?? (status >= 500 ? XAI_CODES[500] : XAI_CODES[400]);
}

/**
 * `#error=<status>`: the provider's real body for that class. 503 and 529 both mean "overloaded",
 * answered with the provider's own overloaded status (Anthropic 529, the others 503).
 * 429 carries `retry-after: 7` (Gemini instead carries RetryInfo.retryDelay "6.2s" in the body).
 */
export function directiveError(provider: SimProvider, status: number, model: string): JsonReply {
  const overloaded = status === 503 || status === 529;
  switch (provider) {
    case "openai":
      if (status === 429)
        return openaiError(
          429,
          `Rate limit reached for ${model} in organization org-simulated on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 7s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
          "requests", null, "rate_limit_exceeded", { "retry-after": "7" },
        );
      if (overloaded) return openaiError(503, "The engine is currently overloaded, please try again later", "server_error");
      if (status === 401)
        return openaiError(401, "Incorrect API key provided: sk-***ated. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", null, "invalid_api_key");
      if (status === 403)
        return openaiError(403, "Country, region, or territory not supported", "request_forbidden", null, "unsupported_country_region_territory");
      if (status >= 500) return openaiError(status, "The server had an error while processing your request. Sorry about that!", "server_error");
      return openaiError(status, "Invalid request: the simulated upstream was asked to fail with this status.", "invalid_request_error");
    case "xai":
      if (status === 429)
        return xaiError(429, xaiCode(429), `Too many requests for model ${model}. Please retry later.`, { "retry-after": "7" });
      if (overloaded) return xaiError(503, xaiCode(503), "The service is currently overloaded. Please retry later.");
      if (status === 401) return xaiError(401, xaiCode(401), "Invalid or missing authentication credentials.");
      if (status === 403)
        return xaiError(403, xaiCode(403), "Your team has either used all available credits or reached its monthly spending limit.");
      if (status >= 500) return xaiError(status, xaiCode(500), "An internal error occurred while processing the request.");
      return xaiError(status, xaiCode(400), "The request was rejected by the simulated upstream.");
    case "anthropic":
      if (status === 429)
        return anthropicError(
          429, "rate_limit_error",
          "This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.",
          { "retry-after": "7" },
        );
      if (overloaded) return anthropicError(529, "overloaded_error", "Overloaded");
      if (status === 401) return anthropicError(401, "authentication_error", "invalid x-api-key");
      if (status === 403) return anthropicError(403, "permission_error", "Your API key does not have permission to use the specified resource.");
      if (status >= 500) return anthropicError(status, "api_error", "Internal server error");
      return anthropicError(status, "invalid_request_error", "The request was rejected by the simulated upstream.");
    case "gemini":
      if (status === 429)
        return geminiError(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.", [
          {
            "@type": "type.googleapis.com/google.rpc.QuotaFailure",
            violations: [{ quotaId: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier" }],
          },
          { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "6.2s" },
        ]);
      if (overloaded) return geminiError(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
      if (status === 401)
        return geminiError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.");
      if (status === 403) return geminiError(403, "PERMISSION_DENIED", "The caller does not have permission");
      if (status >= 500)
        return geminiError(status, "INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting");
      return geminiError(status, "INVALID_ARGUMENT", "Request contains an invalid argument.");
  }
}

/** Each provider's 404 for an unknown model. */
export function modelNotFound(provider: SimProvider, model: string, method = "generateContent"): JsonReply {
  switch (provider) {
    case "openai":
      return openaiError(404, `The model \`${model}\` does not exist or you do not have access to it.`, "invalid_request_error", null, "model_not_found");
    case "xai":
      return xaiError(404, xaiCode(404), `The model ${model} does not exist or your team does not have access to it. Please ensure you're using the correct API key. If you believe this is an error, please contact support.`);
    case "anthropic":
      return anthropicError(404, "not_found_error", `model: ${model}`);
    case "gemini":
      return geminiError(404, "NOT_FOUND", `models/${model} is not found for API version v1beta, or is not supported for ${method}. Call ModelService.ListModels to see the list of available models and their supported methods.`);
  }
}

/** Each provider's answer to a path it does not serve. */
export function routeNotFound(provider: SimProvider, method: string, path: string): JsonReply {
  switch (provider) {
    case "openai":
      return openaiError(404, `Invalid URL (${method} ${path})`, "invalid_request_error");
    case "xai":
      return xaiError(404, xaiCode(404), "No handler found on route. Please double check your URL and consult https://api.x.ai/docs for more information.");
    case "anthropic":
      return anthropicError(404, "not_found_error", "Not Found");
    case "gemini":
      return geminiError(404, "NOT_FOUND", `Requested entity was not found: ${path}`);
  }
}

/** Each provider's answer to a body that is not JSON. */
export function invalidJson(provider: SimProvider, detail: string): JsonReply {
  switch (provider) {
    case "openai":
      return openaiError(400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)", "invalid_request_error");
    case "xai":
      return xaiError(400, xaiCode(400), `Failed to deserialize the JSON body into the target type: ${detail}`);
    case "anthropic":
      return anthropicError(400, "invalid_request_error", `There was an error parsing the body: ${detail}`);
    case "gemini":
      return geminiError(400, "INVALID_ARGUMENT", `Invalid JSON payload received. ${detail}`);
  }
}

/** The provider's mid-stream overload, answered as a status when nothing was streamed (non-stream requests). */
export function overloaded(provider: SimProvider, model: string): JsonReply {
  return directiveError(provider, provider === "anthropic" ? 529 : 503, model);
}
