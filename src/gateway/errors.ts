/**
 * One closed union of gateway error codes, one status map, one outbound shape:
 * `{ "error": { "message", "type", "param", "code" } }` (provider-protocols.md §1.3, §6).
 */

export const gatewayErrorStatus = {
  invalid_request: 400,
  invalid_json: 400,
  unsupported_parameter: 400,
  context_length_exceeded: 400,
  invalid_api_key: 401,
  missing_api_key: 401,
  insufficient_role: 403,
  permission_denied: 403,
  model_not_found: 404,
  not_found: 404,
  method_not_allowed: 405,
  request_too_large: 413,
  unsupported_media_type: 415,
  provider_not_configured: 400,
  rate_limited: 429,
  insufficient_quota: 429,
  upstream_error: 502,
  upstream_bad_response: 502,
  overloaded: 503,
  service_unavailable: 503,
  upstream_timeout: 504,
  internal_error: 500,
  cancelled: 499,
} as const;

export type GatewayErrorCode = keyof typeof gatewayErrorStatus;

export type OpenAIErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "rate_limit_error"
  | "insufficient_quota"
  | "server_error"
  | "timeout_error"
  | "overloaded_error";

const defaultType: Record<GatewayErrorCode, OpenAIErrorType> = {
  invalid_request: "invalid_request_error",
  invalid_json: "invalid_request_error",
  unsupported_parameter: "invalid_request_error",
  context_length_exceeded: "invalid_request_error",
  invalid_api_key: "authentication_error",
  missing_api_key: "authentication_error",
  insufficient_role: "permission_error",
  permission_denied: "permission_error",
  model_not_found: "invalid_request_error",
  not_found: "invalid_request_error",
  method_not_allowed: "invalid_request_error",
  request_too_large: "invalid_request_error",
  unsupported_media_type: "invalid_request_error",
  provider_not_configured: "invalid_request_error",
  rate_limited: "rate_limit_error",
  insufficient_quota: "insufficient_quota",
  upstream_error: "server_error",
  upstream_bad_response: "server_error",
  overloaded: "server_error",
  service_unavailable: "server_error",
  upstream_timeout: "timeout_error",
  internal_error: "server_error",
  cancelled: "invalid_request_error",
};

export interface GatewayErrorOptions {
  param?: string | null;
  /** Overrides the status of `code` (e.g. an upstream 5xx passed on as is). */
  status?: number;
  type?: OpenAIErrorType;
  /** The `code` string clients see; defaults to the gateway code. */
  publicCode?: string | null;
  /** Seconds, passed on as `retry-after`. */
  retryAfter?: string;
  /** `x-should-retry` for the OpenAI SDKs' retry logic. */
  shouldRetry?: boolean;
  /** What the provider answered, kept for the ledger (never sent to the client verbatim). */
  upstreamStatus?: number;
  upstreamBody?: string;
  cause?: unknown;
}

const gatewayErrorBrand = Symbol.for("switchyard.GatewayError");

export class GatewayError extends Error {
  /**
   * Brand check instead of prototype identity: the production server loads this module once and
   * Next's bundle has its own copy, and an error from one must still be recognised by the other.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[gatewayErrorBrand] === true;
  }

  readonly [gatewayErrorBrand] = true;
  readonly code: GatewayErrorCode;
  readonly status: number;
  readonly type: OpenAIErrorType;
  readonly param: string | null;
  readonly publicCode: string | null;
  readonly retryAfter?: string;
  readonly shouldRetry?: boolean;
  readonly upstreamStatus?: number;
  readonly upstreamBody?: string;

  constructor(code: GatewayErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "GatewayError";
    this.code = code;
    this.status = options.status ?? gatewayErrorStatus[code];
    this.type = options.type ?? defaultType[code];
    this.param = options.param ?? null;
    this.publicCode = options.publicCode === undefined ? code : options.publicCode;
    this.retryAfter = options.retryAfter;
    this.shouldRetry = options.shouldRetry;
    this.upstreamStatus = options.upstreamStatus;
    this.upstreamBody = options.upstreamBody;
  }
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function toErrorBody(err: GatewayError): OpenAIErrorBody {
  return { error: { message: err.message, type: err.type, param: err.param, code: err.publicCode } };
}

/** Headers that go with an error response (retry hints for the official SDKs). */
export function errorHeaders(err: GatewayError): Record<string, string> {
  const h: Record<string, string> = {};
  if (err.retryAfter !== undefined) h["retry-after"] = err.retryAfter;
  if (err.shouldRetry !== undefined) h["x-should-retry"] = String(err.shouldRetry);
  return h;
}

export function asGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  return new GatewayError("internal_error", "The gateway failed to handle this request.", { cause: err });
}

/** Shared mapping of an upstream HTTP status to a gateway code, for adapters' error parsers. */
export function codeForUpstreamStatus(status: number): GatewayErrorCode {
  if (status === 400 || status === 422) return "invalid_request";
  if (status === 401) return "invalid_api_key";
  if (status === 402) return "insufficient_quota";
  if (status === 403) return "permission_denied";
  if (status === 404) return "model_not_found";
  if (status === 408 || status === 504) return "upstream_timeout";
  if (status === 413) return "request_too_large";
  if (status === 429) return "rate_limited";
  if (status === 503 || status === 529) return "overloaded";
  return "upstream_error";
}

/** Status the client sees for an upstream failure: 4xx kept, 529 → 503, other 5xx kept. */
export function clientStatusForUpstream(status: number): number {
  if (status === 529) return 503;
  if (status === 402) return 429;
  if (status === 422) return 400;
  if (status >= 400 && status < 600) return status;
  return 502;
}

/**
 * Builds the GatewayError for a non-2xx upstream answer, given what an adapter extracted from
 * the provider's error body. Adapters call this so that status/type/retry mapping lives once.
 */
export function upstreamError(
  provider: string,
  status: number,
  extracted: { message: string; param?: string | null; publicCode?: string | null; code?: GatewayErrorCode; retryAfter?: string; shouldRetry?: boolean },
  rawBody: string,
): GatewayError {
  const code = extracted.code ?? codeForUpstreamStatus(status);
  const clientStatus = extracted.code ? gatewayErrorStatus[extracted.code] : clientStatusForUpstream(status);
  const publicCode =
    extracted.publicCode !== undefined
      ? extracted.publicCode
      : code === "invalid_request"
        ? null
        : code === "rate_limited"
          ? "rate_limit_exceeded"
          : code === "upstream_error"
            ? "upstream_error"
            : code;
  return new GatewayError(code, `${provider}: ${extracted.message}`, {
    status: clientStatus,
    param: extracted.param ?? null,
    publicCode,
    retryAfter: extracted.retryAfter,
    shouldRetry: extracted.shouldRetry,
    upstreamStatus: status,
    upstreamBody: rawBody.slice(0, 8192),
  });
}
