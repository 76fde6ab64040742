import { upstreamError, type GatewayError } from "../../errors";
import { flatErrorBodySchema, openAIErrorBodySchema } from "./openai-compatible-api";

/** What `upstreamError()` takes; the provider hook may rewrite it. */
export type ErrorExtraction = Parameters<typeof upstreamError>[2];

/** The fields an OpenAI-compatible error body carries, whichever of the two shapes it used. */
export interface CompatErrorFields {
  message: string;
  type: string | null;
  param: string | null;
  code: string | null;
}

/**
 * Provider hook: adjusts the extraction for provider quirks (OpenAI `insufficient_quota`,
 * xAI's bad-key 400). `status` is the upstream HTTP status (inferred for mid-stream errors).
 */
export type RefineError = (status: number, fields: CompatErrorFields, extraction: ErrorExtraction) => ErrorExtraction;

/** Reads `{error:{message,type,param,code}}` (OpenAI) or `{code, error}` (xAI). */
export function readErrorFields(body: unknown): CompatErrorFields | undefined {
  // Both shapes need an `error` key. Checking for it first spares every ordinary stream event two
  // failing schema parses (which build zod issue lists): a hot path under load.
  if (typeof body !== "object" || body === null || !("error" in body)) return undefined;
  const nested = openAIErrorBodySchema.safeParse(body);
  if (nested.success) {
    const e = nested.data.error;
    return {
      message: e.message ?? "",
      type: e.type ?? null,
      param: e.param ?? null,
      code: e.code == null ? null : String(e.code),
    };
  }
  const flat = flatErrorBodySchema.safeParse(body);
  if (flat.success) {
    // xAI's `code` is a human description ("Client specified an invalid argument"), not a
    // machine code, so it is not surfaced as the OpenAI `code`; the raw body keeps it for the ledger.
    return { message: flat.data.error, type: null, param: null, code: null };
  }
  return undefined;
}

// Provider key formats (OpenAI `sk-…`, xAI `xai-…`) and bearer tokens. Providers mask keys in
// their messages already; this is the gateway's own guarantee that none reaches a client or the ledger.
const secretPatterns: ReadonlyArray<[RegExp, string]> = [
  [/\b(?:sk|xai)-[A-Za-z0-9_-]{16,}/g, "[redacted]"],
  [/Bearer\s+[A-Za-z0-9._~+/-]{16,}=*/gi, "Bearer [redacted]"],
];

export function redactSecrets(text: string): string {
  return secretPatterns.reduce((acc, [pattern, replacement]) => acc.replace(pattern, replacement), text);
}

/**
 * `retry-after-ms` (OpenAI's precise hint) wins over `retry-after`; both become whole seconds,
 * rounded up so a client never retries early. An HTTP-date `retry-after` is passed on as is
 * (valid for the header, and converting it would need a clock).
 */
export function retryAfterFromHeaders(headers: Headers): string | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "") {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return String(Math.ceil(n / 1000));
  }
  const value = headers.get("retry-after")?.trim();
  if (value) {
    const n = Number(value);
    if (Number.isFinite(n) && n >= 0) return String(Math.ceil(n));
    if (!Number.isNaN(Date.parse(value))) return value;
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function fallbackMessage(status: number, bodyText: string): string {
  const text = bodyText.replace(/\s+/g, " ").trim();
  // An HTML error page from a proxy says nothing useful to an API client.
  if (text === "" || text.startsWith("<")) return `upstream answered HTTP ${status}`;
  return `upstream answered HTTP ${status}: ${text.slice(0, 200)}`;
}

function baseExtraction(fields: CompatErrorFields, retryAfter: string | undefined): ErrorExtraction {
  return {
    message: redactSecrets(fields.message),
    param: fields.param,
    // Upstream codes (`unsupported_parameter`, `empty_array`, `model_not_found`...) are kept;
    // without one, upstreamError() picks the default for the status.
    publicCode: fields.code ?? undefined,
    code: fields.code === "context_length_exceeded" ? "context_length_exceeded" : undefined,
    retryAfter,
  };
}

/** A non-2xx answer → GatewayError (status mapping lives in `upstreamError`). */
export function parseOpenAICompatibleError(
  displayName: string,
  status: number,
  bodyText: string,
  headers: Headers,
  refine?: RefineError,
): GatewayError {
  const safeBody = redactSecrets(bodyText);
  const fields = readErrorFields(parseJson(bodyText)) ?? {
    message: fallbackMessage(status, safeBody),
    type: null,
    param: null,
    code: null,
  };
  if (fields.message === "") fields.message = fallbackMessage(status, "");
  const extraction = baseExtraction(fields, retryAfterFromHeaders(headers));
  return upstreamError(displayName, status, refine ? refine(status, fields, extraction) : extraction, safeBody);
}

const statusByCode: Record<string, number> = {
  insufficient_quota: 429,
  rate_limit_exceeded: 429,
  invalid_api_key: 401,
  model_not_found: 404,
  context_length_exceeded: 400,
};

const statusByType: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  rate_limit_error: 429,
  insufficient_quota: 429,
  server_error: 500,
  overloaded_error: 503,
  timeout_error: 504,
};

/**
 * An error object sent as a data event after the 200 (the OpenAI SDKs raise on it too). There is
 * no HTTP status, so one is inferred from `code`, then `type`; otherwise it counts as a 500.
 */
export function parseOpenAICompatibleStreamError(
  displayName: string,
  event: unknown,
  refine?: RefineError,
): GatewayError | undefined {
  const fields = readErrorFields(event);
  if (!fields) return undefined;
  if (fields.message === "") fields.message = "the provider reported an error mid-stream";
  const status = (fields.code && statusByCode[fields.code]) || (fields.type && statusByType[fields.type]) || 500;
  const extraction = baseExtraction(fields, undefined);
  return upstreamError(displayName, status, refine ? refine(status, fields, extraction) : extraction, redactSecrets(JSON.stringify(event)));
}
