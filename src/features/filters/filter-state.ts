/**
 * The shared filter of every analytics page, kept in the URL so a view is a link:
 * `?range=month&tag=feature:code-review&tag=team:ml&model=gpt-4.1&provider=openai&key=<uuid>`.
 * Pure: parsing, serialising and turning it into the usage services' input.
 */

export const rangePresets = ["24h", "7d", "30d", "month", "custom"] as const;
export type RangePreset = (typeof rangePresets)[number];

export const rangeLabels: Record<RangePreset, string> = { "24h": "24 hours", "7d": "7 days", "30d": "30 days", month: "This month", custom: "Custom" };

export type BucketChoice = "auto" | "hour" | "day";

export interface FilterState {
  range: RangePreset;
  /** Custom range, local calendar dates (yyyy-mm-dd), `to` inclusive. */
  from: string | null;
  to: string | null;
  tags: string[];
  model: string | null;
  provider: string | null;
  /** Gateway key id. */
  key: string | null;
  bucket: BucketChoice;
}

export const DEFAULT_RANGE: RangePreset = "7d";

export const emptyFilters: FilterState = { range: DEFAULT_RANGE, from: null, to: null, tags: [], model: null, provider: null, key: null, bucket: "auto" };

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Unknown or malformed parameters fall back to defaults: a hand-edited link never breaks the page. */
export function parseFilters(params: URLSearchParams): FilterState {
  const range = params.get("range");
  const bucket = params.get("bucket");
  const date = (v: string | null) => (v && DATE_RE.test(v) && !Number.isNaN(Date.parse(v)) ? v : null);
  const text = (v: string | null) => (v && v.trim() !== "" && v.length <= 256 ? v : null);
  const state: FilterState = {
    range: (rangePresets as readonly string[]).includes(range ?? "") ? (range as RangePreset) : DEFAULT_RANGE,
    from: date(params.get("from")),
    to: date(params.get("to")),
    tags: [...new Set(params.getAll("tag").filter((t) => t !== "" && t.length <= 128))].sort().slice(0, 32),
    model: text(params.get("model")),
    provider: text(params.get("provider")),
    key: params.get("key") && UUID_RE.test(params.get("key")!) ? params.get("key") : null,
    bucket: bucket === "hour" || bucket === "day" ? bucket : "auto",
  };
  if (state.range === "custom" && (!state.from || !state.to || state.from > state.to)) {
    return { ...state, range: DEFAULT_RANGE, from: null, to: null };
  }
  if (state.range !== "custom") return { ...state, from: null, to: null };
  return state;
}

/** Only what differs from the defaults, in a stable order; other parameters of `base` are kept. */
export function serializeFilters(state: FilterState, base?: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const [k, v] of base ?? []) if (!["range", "from", "to", "tag", "model", "provider", "key", "bucket", "cursor"].includes(k)) out.append(k, v);
  if (state.range !== DEFAULT_RANGE) out.set("range", state.range);
  if (state.range === "custom" && state.from && state.to) {
    out.set("from", state.from);
    out.set("to", state.to);
  }
  for (const t of [...state.tags].sort()) out.append("tag", t);
  if (state.model) out.set("model", state.model);
  if (state.provider) out.set("provider", state.provider);
  if (state.key) out.set("key", state.key);
  if (state.bucket !== "auto") out.set("bucket", state.bucket);
  return out;
}

export function toggleTag(state: FilterState, tag: string): FilterState {
  const has = state.tags.includes(tag);
  return { ...state, tags: has ? state.tags.filter((t) => t !== tag) : [...state.tags, tag].sort() };
}

export function activeFilterCount(state: FilterState): number {
  return state.tags.length + (state.model ? 1 : 0) + (state.provider ? 1 : 0) + (state.key ? 1 : 0);
}

function localMidnight(ymd: string): Date {
  const [y, m, d] = ymd.split("-").map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
}

const MINUTE = 60_000;

/**
 * The instants a preset means, in the viewer's time zone. `to` is "now" rounded up to the next
 * minute, so the queries of one page (and their cache keys) agree for a minute.
 */
export function resolveTimeRange(state: FilterState, now: Date): { from: Date; to: Date } {
  const to = new Date(Math.ceil(now.getTime() / MINUTE) * MINUTE);
  switch (state.range) {
    case "24h":
      return { from: new Date(to.getTime() - 24 * 3_600_000), to };
    case "7d":
      return { from: new Date(to.getTime() - 7 * 86_400_000), to };
    case "30d":
      return { from: new Date(to.getTime() - 30 * 86_400_000), to };
    case "month":
      return { from: new Date(now.getFullYear(), now.getMonth(), 1), to };
    case "custom": {
      const from = localMidnight(state.from!);
      const end = localMidnight(state.to!);
      end.setDate(end.getDate() + 1); // `to` is inclusive: up to the next midnight
      return { from, to: end };
    }
  }
}

export interface UsageQuery {
  from: Date;
  to: Date;
  tags: string[];
  model: string[];
  provider: Array<"openai" | "anthropic" | "gemini" | "xai">;
  apiKeyId: string[];
}

const providers = ["openai", "anthropic", "gemini", "xai"] as const;

/** The usage services' filter input (arrays, as they accept several values). */
export function toUsageQuery(state: FilterState, now: Date): UsageQuery {
  const { from, to } = resolveTimeRange(state, now);
  const provider = providers.find((p) => p === state.provider);
  return {
    from,
    to,
    tags: state.tags,
    model: state.model ? [state.model] : [],
    provider: provider ? [provider] : [],
    apiKeyId: state.key ? [state.key] : [],
  };
}

/** Query string for the CSV download of the request ledger (explicit instants: what you see is what you get). */
export function csvExportParams(query: UsageQuery, extra: { status?: string[] } = {}): URLSearchParams {
  const p = new URLSearchParams();
  p.set("from", query.from.toISOString());
  p.set("to", query.to.toISOString());
  for (const t of query.tags) p.append("tags", t);
  for (const m of query.model) p.append("model", m);
  for (const pr of query.provider) p.append("provider", pr);
  for (const k of query.apiKeyId) p.append("apiKeyId", k);
  for (const s of extra.status ?? []) p.append("status", s);
  return p;
}
