import { upstreamError, type GatewayError, type GatewayErrorCode } from "../../errors";
import { geminiErrorBodySchema, type GeminiError } from "./gemini-api";

/**
 * Gemini errors → gateway errors (provider-protocols.md §4.8). HTTP error bodies and an error
 * object arriving inside a stream share the google.rpc envelope
 * `{error:{code, message, status, details}}`.
 */

const PROVIDER = "Gemini";

/** HTTP status for each google.rpc status, for an error whose envelope lacks `code` (mid-stream). */
const httpStatusForRpcStatus: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

export function parseGeminiError(status: number, bodyText: string, headers: Headers): GatewayError {
  const parsed = parseErrorBody(bodyText);
  const headerRetryAfter = headers.get("retry-after") ?? undefined;
  if (!parsed) {
    // Never echo the raw body: a proxy's error page could reflect request headers.
    return upstreamError(PROVIDER, status, { message: `upstream returned HTTP ${status} without a readable error body.`, retryAfter: headerRetryAfter }, bodyText);
  }
  return fromGeminiError(status, parsed, bodyText, headerRetryAfter);
}

/** An error object found in a stream event after the 200: its own `code`/`status` decide the class. */
export function geminiStreamError(error: GeminiError, rawData: string): GatewayError {
  const status = error.code ?? (error.status ? httpStatusForRpcStatus[error.status] : undefined) ?? 500;
  return fromGeminiError(status, error, rawData, undefined);
}

function fromGeminiError(status: number, error: GeminiError, rawBody: string, headerRetryAfter: string | undefined): GatewayError {
  const message = error.message ?? error.status ?? `HTTP ${status}`;
  const details = error.details ?? [];
  let code: GatewayErrorCode | undefined;
  // Google answers a bad key with 400 INVALID_ARGUMENT; only the ErrorInfo reason tells it apart.
  if (details.some((d) => d.reason === "API_KEY_INVALID")) code = "invalid_api_key";
  const retryDelay = details.find((d) => d.retryDelay !== undefined)?.retryDelay;
  const retryAfter = (retryDelay !== undefined ? retryDelayToSeconds(retryDelay) : undefined) ?? headerRetryAfter;
  return upstreamError(PROVIDER, status, { message, code, retryAfter }, rawBody);
}

/**
 * google.rpc.RetryInfo `retryDelay` is a protobuf Duration in JSON form ("34.4s"); `retry-after`
 * takes whole seconds, rounded up so a client never retries too early ("34.4s" → "35").
 */
export function retryDelayToSeconds(retryDelay: string): string | undefined {
  const match = /^(\d+(?:\.\d+)?)s$/.exec(retryDelay.trim());
  if (!match?.[1]) return undefined;
  return String(Math.ceil(Number(match[1])));
}

function parseErrorBody(bodyText: string): GeminiError | undefined {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  // Some proxies wrap the envelope in a one-element array, as the streaming endpoint does without alt=sse.
  const candidate = Array.isArray(json) ? json[0] : json;
  const result = geminiErrorBodySchema.safeParse(candidate);
  return result.success ? result.data.error : undefined;
}
