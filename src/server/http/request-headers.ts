import { randomUUID } from "node:crypto";
import { GatewayError } from "@/gateway/errors";

const MAX_TAGS = 32;
const TAG_PART = /^[\p{L}\p{N}_.\-/@+#]{1,64}$/u;
const CONVERSATION_ID = /^[\p{L}\p{N}_.:\-/@+=#]{1,128}$/u;
const REQUEST_ID = /^[A-Za-z0-9_.:\-]{1,128}$/;
const TRACEPARENT = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})$/;

const badHeader = (header: string, message: string) =>
  new GatewayError("invalid_request", message, { param: header, publicCode: "invalid_header" });

/**
 * `x-tags: team:ml, feature:review` → ["feature:review", "team:ml"] (trimmed, de-duplicated, sorted).
 * Each tag is `key:value` or a bare `value`; anything else is a 400 naming the header.
 */
export function parseTags(header: string | null): string[] {
  if (header === null || header.trim() === "") return [];
  if (header.length > 4096) throw badHeader("x-tags", "The x-tags header is longer than 4096 characters.");
  const tags = new Set<string>();
  for (const raw of header.split(",")) {
    const tag = raw.trim();
    if (tag === "") continue;
    const colon = tag.indexOf(":");
    const parts = colon === -1 ? [tag] : [tag.slice(0, colon).trim(), tag.slice(colon + 1).trim()];
    if (!parts.every((p) => TAG_PART.test(p))) {
      throw badHeader("x-tags", "Each x-tags entry must be 'key:value' or 'value' using letters, digits and _ . - / @ + # (at most 64 characters per part), separated by commas.");
    }
    tags.add(parts.join(":"));
  }
  if (tags.size > MAX_TAGS) throw badHeader("x-tags", `At most ${MAX_TAGS} tags are allowed per request.`);
  return [...tags].sort();
}

export function parseConversationId(header: string | null): string | null {
  if (header === null || header === "") return null;
  if (!CONVERSATION_ID.test(header)) {
    throw badHeader("x-conversation-id", "x-conversation-id must be 1–128 characters of letters, digits and _ . : - / @ + = #.");
  }
  return header;
}

/** A client's `x-request-id` is kept when well-formed; otherwise one is generated. */
export function requestIdFrom(header: string | null): string {
  return header !== null && REQUEST_ID.test(header) ? header : `req_${randomUUID().replaceAll("-", "")}`;
}

/** W3C trace context: an invalid `traceparent` is ignored (as the spec requires), not an error. */
export function parseTraceparent(header: string | null): { traceparent: string; traceId: string } | null {
  const value = header === null ? "" : header.trim().toLowerCase();
  const m = TRACEPARENT.exec(value);
  if (!m || m[1] === "ff" || /^0+$/.test(m[2]!) || /^0+$/.test(m[3]!)) return null;
  return { traceparent: value, traceId: m[2]! };
}

export function parseByokKey(header: string | null): string | null {
  if (header === null || header === "") return null;
  // Never echo the value: only its shape is described.
  if (header.length > 1024 || !/^[\x21-\x7e]+$/.test(header)) {
    throw badHeader("x-provider-api-key", "x-provider-api-key must be a single token of printable ASCII characters (at most 1024).");
  }
  return header;
}

export function bearerToken(authorization: string | null): string | null {
  if (authorization === null) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return m ? m[1]! : null;
}
