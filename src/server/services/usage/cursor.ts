import { z } from "zod";

/**
 * Opaque keyset cursors: base64url of `[epoch ms, tie-break key]`, the sort key of the last row of
 * the page. Stable under inserts (no offsets) and cheap at any depth (an index seek).
 */
export interface CursorPosition {
  at: Date;
  key: string;
}

export function encodeCursor(at: Date, key: string): string {
  return Buffer.from(JSON.stringify([at.getTime(), key]), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): CursorPosition | null {
  if (!/^[A-Za-z0-9_-]{1,1024}$/.test(cursor)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return null;
  const [ms, key] = parsed as [unknown, unknown];
  if (typeof ms !== "number" || !Number.isSafeInteger(ms) || typeof key !== "string" || key === "") return null;
  const at = new Date(ms);
  return Number.isNaN(at.getTime()) ? null : { at, key };
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Stays a string after parsing (so a parsed input parses again unchanged, as tRPC does); services
 * decode it. `uuidKey` for ledger cursors, whose tie-break is the row id.
 */
export function cursorSchema(opts: { uuidKey: boolean }) {
  return z.string().refine(
    (s) => {
      const c = decodeCursor(s);
      return c !== null && (!opts.uuidKey || UUID_RE.test(c.key));
    },
    { error: "is not a cursor returned by this endpoint" },
  );
}

export const limitSchema = (max: number, def: number) => z.number().int().min(1).max(max).default(def);
