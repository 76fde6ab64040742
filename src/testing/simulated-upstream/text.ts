/** Small deterministic text helpers: word counting, delta splitting, schema instances. */

/** Whitespace-separated words; the simulator's unit of "tokens". */
export function countWords(text: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 11;
    if (space) inWord = false;
    else if (!inWord) {
      inWord = true;
      n++;
    }
  }
  return n;
}

export function splitWords(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

/** One delta per word, the space kept at the front of each later word (concatenation is the text). */
export function wordPieces(words: readonly string[]): string[] {
  return words.map((w, i) => (i === 0 ? w : ` ${w}`));
}

/** `text` cut into at most `n` non-empty pieces of near-equal length. */
export function charPieces(text: string, n: number): string[] {
  if (text.length === 0) return [];
  const count = Math.max(1, Math.min(n, text.length));
  const size = Math.ceil(text.length / count);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * A value that validates against `schema`: required properties filled by type (string → the
 * property name, integer/number → 1, boolean → true, array → one item). Accepts Gemini's OpenAPI
 * subset (upper-case `type`) as well as JSON Schema.
 */
export function schemaInstance(schema: unknown, name = "value", depth = 0): Json {
  if (depth > 8 || schema === null || typeof schema !== "object") return name;
  const s = schema as Record<string, unknown>;
  if ("const" in s) return s.const as Json;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0] as Json;
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    const list = s[key];
    if (Array.isArray(list) && list.length > 0) {
      const pick = list.find((x) => !isNullSchema(x)) ?? list[0];
      return schemaInstance(pick, name, depth + 1);
    }
  }
  let type = s.type;
  if (Array.isArray(type)) type = type.find((t) => String(t).toLowerCase() !== "null") ?? type[0];
  const t = typeof type === "string" ? type.toLowerCase() : s.properties ? "object" : "string";
  switch (t) {
    case "object": {
      const out: { [k: string]: Json } = {};
      const props = (s.properties ?? {}) as Record<string, unknown>;
      const required = Array.isArray(s.required) ? (s.required as unknown[]) : [];
      for (const key of required) {
        if (typeof key === "string") out[key] = schemaInstance(props[key], key, depth + 1);
      }
      return out;
    }
    case "array":
      return [schemaInstance(s.items, name, depth + 1)];
    case "integer":
    case "number":
      return typeof s.minimum === "number" ? Math.ceil(s.minimum) : 1;
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return name;
  }
}

function isNullSchema(x: unknown): boolean {
  return typeof x === "object" && x !== null && String((x as { type?: unknown }).type).toLowerCase() === "null";
}

/** Text of a tool result as the model reads it: a lone string field unwrapped, else JSON. */
export function toolResultText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const vals = Object.values(value);
    if (vals.length === 1 && typeof vals[0] === "string") return vals[0];
  }
  return JSON.stringify(value);
}
