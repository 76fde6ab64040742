import { upstreamError, type GatewayError, type GatewayErrorCode } from "../../errors";
import { anthropicErrorBodySchema, type AnthropicErrorBody } from "./anthropic-api";

/**
 * Anthropic errors → gateway errors (provider-protocols.md §3.8). HTTP error bodies and the
 * mid-stream `error` event carry the same `{type:"error", error:{type, message}}` object.
 */

const PROVIDER = "Anthropic";

/** The HTTP status Anthropic uses for each error type; mid-stream errors arrive after a 200. */
const statusForErrorType: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** Marks a 429 that is a hard spend cap, not a transient rate limit: retrying cannot help. */
const SPEND_LIMIT_ERROR_CODE = "enforced_spend_limit_reached";

export function parseAnthropicError(status: number, bodyText: string, headers: Headers): GatewayError {
  const body = parseErrorBody(bodyText);
  const retryAfter = headers.get("retry-after") ?? undefined;
  const upstreamShouldRetry = headers.get("x-should-retry");
  const shouldRetry = upstreamShouldRetry === "true" ? true : upstreamShouldRetry === "false" ? false : undefined;

  if (!body) {
    // Never echo the raw body: a proxy's error page could reflect request headers.
    return upstreamError(PROVIDER, status, { message: `upstream returned HTTP ${status} without a readable error body.`, retryAfter, shouldRetry }, bodyText);
  }
  const { message } = body.error;
  let code: GatewayErrorCode | undefined;
  let retry = shouldRetry;
  if (body.error.details?.error_code === SPEND_LIMIT_ERROR_CODE || status === 402 || body.error.type === "billing_error") {
    code = "insufficient_quota";
    retry = false;
  } else if (status === 400 && /^prompt is too long/i.test(message)) {
    code = "context_length_exceeded";
  }
  return upstreamError(PROVIDER, status, { message, code, retryAfter, shouldRetry: retry }, bodyText);
}

/**
 * A mid-stream `event: error` payload (already JSON-parsed). The response status is already 200,
 * so the error type decides the status the error would have had.
 */
export function anthropicStreamError(payload: unknown, rawData: string): GatewayError {
  const parsed = anthropicErrorBodySchema.safeParse(payload);
  const status = parsed.success ? (statusForErrorType[parsed.data.error.type] ?? 500) : 500;
  return parseAnthropicError(status, rawData, new Headers());
}

function parseErrorBody(bodyText: string): AnthropicErrorBody | undefined {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  const parsed = anthropicErrorBodySchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
