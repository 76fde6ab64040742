import { z } from "zod";
import { formatNanoUsd } from "@/gateway/pricing/compute-cost";
import { microUsd } from "./usage-totals";

/**
 * A request_log row as the views show it. The list/CSV shape leaves out the large columns
 * (error message, payloads); the detail adds them.
 */
export const requestRowSchema = z.object({
  id: z.string(),
  createdAt: z.date(),
  endpoint: z.string(),
  apiKeyId: z.string().nullable(),
  provider: z.string().nullable(),
  model: z.string(),
  status: z.string(),
  httpStatus: z.number().int(),
  errorCode: z.string().nullable(),
  streamed: z.boolean(),
  byok: z.boolean(),
  inputTokens: z.number().int(),
  cachedInputTokens: z.number().int(),
  cacheWriteTokens: z.number().int(),
  outputTokens: z.number().int(),
  reasoningTokens: z.number().int(),
  /** Integer nano-USD as digits; `null` when the model had no price. */
  costNanoUsd: z.string().nullable(),
  costUsd: z.string().nullable(),
  priceVersion: z.string().nullable(),
  pricingStatus: z.string(),
  latencyMs: z.number().int(),
  ttftMs: z.number().int().nullable(),
  tags: z.array(z.string()),
  conversationId: z.string().nullable(),
  requestId: z.string(),
  traceId: z.string().nullable(),
});
export type RequestRow = z.infer<typeof requestRowSchema>;

export const requestDetailSchema = requestRowSchema.extend({
  errorMessage: z.string().nullable(),
  upstreamStatus: z.number().int().nullable(),
  /** Present only when payload logging was on for the request. */
  requestBody: z.unknown().nullable(),
  responseBody: z.unknown().nullable(),
});
export type RequestDetail = z.infer<typeof requestDetailSchema>;

/** Select list of the list shape over request_log `r` (cost as text: int8 stays exact). */
export const REQUEST_ROW_COLUMNS = `r.id, r.created_at, r.endpoint, r.api_key_id, r.provider, r.model, r.status, r.http_status,
       r.error_code, r.streamed, r.byok, r.input_tokens, r.cached_input_tokens, r.cache_write_tokens,
       r.output_tokens, r.reasoning_tokens, r.cost_nano_usd::text AS cost_nano_usd, r.price_version,
       r.pricing_status, r.latency_ms, r.ttft_ms, r.tags, r.conversation_id, r.request_id, r.trace_id`;

export const REQUEST_DETAIL_COLUMNS = `${REQUEST_ROW_COLUMNS}, r.error_message, r.upstream_status, r.request_body, r.response_body`;

export type RequestDbRow = {
  id: string;
  created_at: Date;
  endpoint: string;
  api_key_id: string | null;
  provider: string | null;
  model: string;
  status: string;
  http_status: number;
  error_code: string | null;
  streamed: boolean;
  byok: boolean;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cost_nano_usd: string | null;
  price_version: string | null;
  pricing_status: string;
  latency_ms: number;
  ttft_ms: number | null;
  tags: string[] | null;
  conversation_id: string | null;
  request_id: string;
  trace_id: string | null;
};

export type RequestDetailDbRow = RequestDbRow & {
  error_message: string | null;
  upstream_status: number | null;
  request_body: unknown;
  response_body: unknown;
};

export function toRequestRow(r: RequestDbRow): RequestRow {
  const nano = r.cost_nano_usd === null ? null : BigInt(r.cost_nano_usd);
  return {
    id: r.id,
    createdAt: r.created_at,
    endpoint: r.endpoint,
    apiKeyId: r.api_key_id,
    provider: r.provider,
    model: r.model,
    status: r.status,
    httpStatus: r.http_status,
    errorCode: r.error_code,
    streamed: r.streamed,
    byok: r.byok,
    inputTokens: r.input_tokens,
    cachedInputTokens: r.cached_input_tokens,
    cacheWriteTokens: r.cache_write_tokens,
    outputTokens: r.output_tokens,
    reasoningTokens: r.reasoning_tokens,
    costNanoUsd: nano === null ? null : nano.toString(),
    costUsd: nano === null ? null : formatNanoUsd(nano),
    priceVersion: r.price_version,
    pricingStatus: r.pricing_status,
    latencyMs: r.latency_ms,
    ttftMs: r.ttft_ms,
    tags: r.tags ?? [],
    conversationId: r.conversation_id,
    requestId: r.request_id,
    traceId: r.trace_id,
  };
}

export function toRequestDetail(r: RequestDetailDbRow): RequestDetail {
  return {
    ...toRequestRow(r),
    errorMessage: r.error_message,
    upstreamStatus: r.upstream_status,
    requestBody: r.request_body ?? null,
    responseBody: r.response_body ?? null,
  };
}

/** Column order of the REST rows and the CSV export: the ledger's own column names. */
export const LEDGER_COLUMNS = [
  "id",
  "created_at",
  "endpoint",
  "api_key_id",
  "provider",
  "model",
  "status",
  "http_status",
  "error_code",
  "streamed",
  "byok",
  "input_tokens",
  "cached_input_tokens",
  "cache_write_tokens",
  "output_tokens",
  "reasoning_tokens",
  "cost_micro_usd",
  "cost_nano_usd",
  "cost_usd",
  "price_version",
  "pricing_status",
  "latency_ms",
  "ttft_ms",
  "tags",
  "conversation_id",
  "request_id",
  "trace_id",
] as const;

export type LedgerColumnsRow = Record<(typeof LEDGER_COLUMNS)[number], unknown>;

/**
 * The REST/CSV form of a row: snake_case names exactly as in request_log, time as ISO 8601,
 * `cost_micro_usd` an integer (half up), `cost_nano_usd` exact digits, `cost_usd` exact decimal.
 */
export function toLedgerColumns(r: RequestRow): LedgerColumnsRow {
  return {
    id: r.id,
    created_at: r.createdAt.toISOString(),
    endpoint: r.endpoint,
    api_key_id: r.apiKeyId,
    provider: r.provider,
    model: r.model,
    status: r.status,
    http_status: r.httpStatus,
    error_code: r.errorCode,
    streamed: r.streamed,
    byok: r.byok,
    input_tokens: r.inputTokens,
    cached_input_tokens: r.cachedInputTokens,
    cache_write_tokens: r.cacheWriteTokens,
    output_tokens: r.outputTokens,
    reasoning_tokens: r.reasoningTokens,
    cost_micro_usd: r.costNanoUsd === null ? null : microUsd(BigInt(r.costNanoUsd)),
    cost_nano_usd: r.costNanoUsd,
    cost_usd: r.costUsd,
    price_version: r.priceVersion,
    pricing_status: r.pricingStatus,
    latency_ms: r.latencyMs,
    ttft_ms: r.ttftMs,
    tags: r.tags,
    conversation_id: r.conversationId,
    request_id: r.requestId,
    trace_id: r.traceId,
  };
}

export function toLedgerDetailColumns(r: RequestDetail): LedgerColumnsRow & Record<string, unknown> {
  return {
    ...toLedgerColumns(r),
    error_message: r.errorMessage,
    upstream_status: r.upstreamStatus,
    request_body: r.requestBody,
    response_body: r.responseBody,
  };
}
