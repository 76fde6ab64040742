import { createHash } from "node:crypto";
import { z } from "zod";
import type { UsageEvent } from "@/gateway/usage-event";

/**
 * A usage event made safe to store: every value fits its column, so one odd event can never fail
 * a batch (a failing batch would sit in the spool forever). Plain JSON values only (cost as a
 * decimal string, time as an ISO string), so the same object is a spool line without any
 * BigInt/Date special-casing. Field for field the request_log row.
 */
export interface LedgerRow {
  id: string;
  createdAt: string;
  endpoint: string;
  apiKeyId: string | null;
  provider: string | null;
  model: string;
  status: string;
  httpStatus: number;
  errorCode: string | null;
  errorMessage: string | null;
  upstreamStatus: number | null;
  streamed: boolean;
  byok: boolean;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  /** Integer nano-USD as a decimal string; null when unpriced. */
  costNanoUsd: string | null;
  priceVersion: string | null;
  pricingStatus: string;
  latencyMs: number;
  ttftMs: number | null;
  /** Sorted, unique. */
  tags: string[];
  conversationId: string | null;
  requestId: string;
  traceId: string | null;
  /** JSON text, already capped and redacted; null when payload logging was off. */
  requestBody: string | null;
  responseBody: string | null;
}

/** Rollup key values for "none", so the rollup keys contain no NULLs. */
export const NO_API_KEY_ID = "00000000-0000-0000-0000-000000000000";
export const NO_PROVIDER = "";
/** Separator of tags in usage_hourly.tags_key (and in the batch parameters). */
export const TAGS_SEPARATOR = "\u001f";

/**
 * Limits that keep every value insertable. Indexed text stays far below PostgreSQL's ~2.7 kB btree
 * entry limit (usage_hourly's key holds model + tags_key), and payloads stay small enough for
 * batches of hundreds of rows.
 */
export const LEDGER_LIMITS = {
  identifierChars: 256,
  errorMessageChars: 4_000,
  tagChars: 128,
  /** UTF-8 bytes of all tags joined; tags past it (in sorted order) are left off the row. */
  tagsKeyBytes: 1_500,
  payloadStringChars: 8_192,
  payloadNodes: 20_000,
  payloadJsonChars: 256 * 1024,
} as const;

const INT4_MAX = 2_147_483_647;
const INT8_MAX = 9_223_372_036_854_775_807n;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// NUL is rejected by PostgreSQL text and jsonb; lone surrogates by jsonb.
const UNSTORABLE_RE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// Control characters would break the tags_key encoding (U+001F) and are never meaningful in a tag.
const CONTROL_RE = /[\u0000-\u001f\u007f]/g;

const HAS_UNSTORABLE_RE = new RegExp(UNSTORABLE_RE.source);

export function cleanText(value: string, maxChars: number): string {
  const cleaned = HAS_UNSTORABLE_RE.test(value) ? value.replace(UNSTORABLE_RE, (m) => (m === "\u0000" ? "" : "\ufffd")) : value;
  if (cleaned.length <= maxChars) return cleaned;
  // Do not cut a surrogate pair in half.
  const end = /[\ud800-\udbff]/.test(cleaned.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
  return cleaned.slice(0, end);
}

function text(value: unknown, maxChars: number, fallback: string): string {
  return typeof value === "string" ? cleanText(value, maxChars) : value == null ? fallback : cleanText(String(value), maxChars);
}

function optionalText(value: unknown, maxChars: number): string | null {
  return value == null ? null : text(value, maxChars, "");
}

/** Counts and durations are non-negative int4; anything else is clamped, NaN becomes 0. */
function int4(value: unknown): number {
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n)) return n === Infinity ? INT4_MAX : 0;
  return Math.min(Math.max(Math.trunc(n), 0), INT4_MAX);
}

function optionalInt4(value: unknown): number | null {
  return value == null ? null : int4(value);
}

function costText(value: unknown): string | null {
  if (value == null) return null;
  let n: bigint;
  try {
    n = typeof value === "bigint" ? value : BigInt(Math.round(Number(value)));
  } catch {
    return null; // not a number at all: better unpriced than a wrong price
  }
  if (n > INT8_MAX) n = INT8_MAX;
  if (n < -INT8_MAX) n = -INT8_MAX;
  return n.toString();
}

/**
 * The id is the idempotency key of spool replays, so it must map to the same UUID every time: a
 * value that is not a UUID (contract violation) is hashed into one instead of failing the batch.
 */
export function toUuid(value: string): string {
  if (UUID_RE.test(value)) return value.toLowerCase();
  const h = createHash("sha256").update(value).digest("hex");
  // Version 8 (custom) and RFC 4122 variant bits, so it is a well-formed UUID.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function isoTime(value: unknown): string {
  const d = value instanceof Date ? value : new Date(value as string | number);
  return Number.isNaN(d.getTime()) ? new Date().toISOString() : d.toISOString();
}

export function normalizeTags(tags: unknown): string[] {
  if (!Array.isArray(tags)) return [];
  const set = new Set<string>();
  for (const t of tags) {
    if (typeof t !== "string") continue;
    const clean = cleanText(t.replace(CONTROL_RE, ""), LEDGER_LIMITS.tagChars).trim();
    if (clean) set.add(clean);
  }
  const sorted = [...set].sort();
  const kept: string[] = [];
  let bytes = 0;
  for (const t of sorted) {
    const size = Buffer.byteLength(t, "utf8") + (kept.length > 0 ? 1 : 0);
    if (bytes + size > LEDGER_LIMITS.tagsKeyBytes) break;
    bytes += size;
    kept.push(t);
  }
  return kept;
}

export function tagsKey(tags: readonly string[]): string {
  return tags.join(TAGS_SEPARATOR);
}

const REDACTED_KEY_RE =
  /^(api[-_]?key|x[-_]api[-_]key|authorization|proxy[-_]authorization|password|passwd|secret|client[-_]secret|access[-_]token|refresh[-_]token|id[-_]token|token|cookie|set[-_]cookie|x[-_]provider[-_]api[-_]key)$/i;
const DATA_URL_RE = /^data:([^;,]{0,100})(;[^,]{0,100})?,/;

/**
 * Credentials people paste into prompts: provider and gateway keys, cloud and VCS tokens, bearer
 * tokens, JWTs and PEM private keys. Replaced inside free text before a payload is stored.
 */
const SECRET_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, "[redacted private key]"],
  [/\b(sk-(?:ant-|proj-|svcacct-)?[A-Za-z0-9_-]{20,}|xai-[A-Za-z0-9_-]{20,}|sy_[A-Za-z0-9_-]{30,}|AIza[0-9A-Za-z_-]{35})\b/g, "[redacted key]"],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, "[redacted key]"],
  [/\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,}|xox[abpr]-[A-Za-z0-9-]{10,})\b/g, "[redacted token]"],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g, "[redacted jwt]"],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{16,}/g, "$1 [redacted]"],
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const [re, replacement] of SECRET_PATTERNS) out = out.replace(re, replacement);
  return out;
}

/**
 * JSON text of a request/response body for the optional payload columns: credentials under
 * well-known key names are replaced by "[redacted]", inline base64 (data: URLs, images) is replaced
 * by a size note, long strings are cut, and the walk is bounded (node count, depth), so the cost
 * and the row size stay bounded whatever the body. Returns null for undefined.
 */
export function preparePayload(value: unknown): string | null {
  if (value === undefined) return null;
  let nodes = 0;
  let cut = false;
  const seen = new WeakSet<object>();
  const walk = (v: unknown, depth: number): unknown => {
    if (++nodes > LEDGER_LIMITS.payloadNodes || depth > 64) {
      cut = true;
      return "[truncated]";
    }
    if (v === null || typeof v === "boolean") return v;
    if (typeof v === "number") return Number.isFinite(v) ? v : null;
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "string") {
      const dataUrl = DATA_URL_RE.exec(v);
      if (dataUrl) return `[${dataUrl[1] || "data"} data URL, ${v.length} chars omitted]`;
      if (v.length > LEDGER_LIMITS.payloadStringChars) {
        return `${redactSecrets(cleanText(v, LEDGER_LIMITS.payloadStringChars))}…[${v.length - LEDGER_LIMITS.payloadStringChars} chars truncated]`;
      }
      return redactSecrets(cleanText(v, LEDGER_LIMITS.payloadStringChars));
    }
    if (typeof v !== "object") return null; // functions, symbols, undefined
    if (seen.has(v)) return "[circular]";
    seen.add(v);
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return `[${v.byteLength} bytes omitted]`;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined || typeof x === "function") continue;
      out[cleanText(k, LEDGER_LIMITS.identifierChars)] = REDACTED_KEY_RE.test(k) ? "[redacted]" : walk(x, depth + 1);
    }
    return out;
  };
  const prepared = walk(value, 0);
  let json = JSON.stringify(prepared) ?? "null";
  if (json.length > LEDGER_LIMITS.payloadJsonChars) {
    json = JSON.stringify({ truncated: true, chars: json.length, preview: json.slice(0, LEDGER_LIMITS.payloadStringChars) });
  } else if (cut) {
    json = JSON.stringify({ truncated: true, value: prepared });
  }
  return json;
}

/** Never throws for any input the type allows (and most it does not). */
export function toLedgerRow(e: UsageEvent): LedgerRow {
  const id = text(e.id, 100, "");
  return {
    id: toUuid(id),
    createdAt: isoTime(e.createdAt),
    endpoint: text(e.endpoint, LEDGER_LIMITS.identifierChars, "chat"),
    apiKeyId: e.apiKeyId == null ? null : toUuid(text(e.apiKeyId, 100, "")),
    provider: optionalText(e.provider, LEDGER_LIMITS.identifierChars),
    model: text(e.model, LEDGER_LIMITS.identifierChars, ""),
    status: text(e.status, LEDGER_LIMITS.identifierChars, "error"),
    httpStatus: int4(e.httpStatus),
    errorCode: optionalText(e.errorCode, LEDGER_LIMITS.identifierChars),
    errorMessage: optionalText(e.errorMessage, LEDGER_LIMITS.errorMessageChars),
    upstreamStatus: optionalInt4(e.upstreamStatus),
    streamed: e.streamed === true,
    byok: e.byok === true,
    inputTokens: int4(e.inputTokens),
    cachedInputTokens: int4(e.cachedInputTokens),
    cacheWriteTokens: int4(e.cacheWriteTokens),
    outputTokens: int4(e.outputTokens),
    reasoningTokens: int4(e.reasoningTokens),
    costNanoUsd: costText(e.costNanoUsd),
    priceVersion: optionalText(e.priceVersion, LEDGER_LIMITS.identifierChars),
    pricingStatus: text(e.pricingStatus, LEDGER_LIMITS.identifierChars, "unknown_model"),
    latencyMs: int4(e.latencyMs),
    ttftMs: optionalInt4(e.ttftMs),
    tags: normalizeTags(e.tags),
    conversationId: optionalText(e.conversationId, LEDGER_LIMITS.identifierChars),
    requestId: text(e.requestId, LEDGER_LIMITS.identifierChars, id),
    traceId: optionalText(e.traceId, LEDGER_LIMITS.identifierChars),
    requestBody: preparePayload(e.requestBody),
    responseBody: preparePayload(e.responseBody),
  };
}

const nullableString = z.string().nullable();
const int = z.number().int();

/** Validates rows read back from spool files (a torn or hand-edited line must not poison a batch). */
export const ledgerRowSchema = z.object({
  id: z.string().regex(UUID_RE),
  createdAt: z.iso.datetime(),
  endpoint: z.string(),
  apiKeyId: z.string().regex(UUID_RE).nullable(),
  provider: nullableString,
  model: z.string(),
  status: z.string(),
  httpStatus: int,
  errorCode: nullableString,
  errorMessage: nullableString,
  upstreamStatus: int.nullable(),
  streamed: z.boolean(),
  byok: z.boolean(),
  inputTokens: int,
  cachedInputTokens: int,
  cacheWriteTokens: int,
  outputTokens: int,
  reasoningTokens: int,
  costNanoUsd: z.string().regex(/^-?\d+$/).nullable(),
  priceVersion: nullableString,
  pricingStatus: z.string(),
  latencyMs: int,
  ttftMs: int.nullable(),
  tags: z.array(z.string()),
  conversationId: nullableString,
  requestId: z.string(),
  traceId: nullableString,
  requestBody: nullableString,
  responseBody: nullableString,
}) satisfies z.ZodType<LedgerRow>;
