/**
 * The dashboard's one formatter module: numbers, money, durations, percentages, change and time.
 * Numbers use en-US grouping; times are shown in the viewer's time zone.
 */

const LOCALE = "en-US";

const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat(LOCALE, { notation: "compact", maximumFractionDigits: 1 });

export function formatInteger(n: number): string {
  return integer.format(n);
}

/** 950 → "950", 12_345 → "12.3K", 4_200_000 → "4.2M". */
export function formatCompact(n: number): string {
  return Math.abs(n) < 1000 ? integer.format(n) : compact.format(n);
}

const NANO_PER_USD = 1_000_000_000n;

/** Integer nano-USD (as the API's digit strings) → dollars as a float, for charts only. */
export function nanoToUsd(nano: string | bigint | null | undefined): number {
  if (nano === null || nano === undefined) return 0;
  const n = typeof nano === "bigint" ? nano : BigInt(nano);
  const whole = n / NANO_PER_USD;
  return Number(whole) + Number(n - whole * NANO_PER_USD) / 1e9;
}

/**
 * Dollars with the precision the amount needs: "$1,234.56", "$0.42", "$0.0042", "<$0.000001".
 * Exact input (nano-USD digits) so a tiny per-request cost is never shown as "$0.00".
 */
export function formatUsd(nano: string | bigint | null | undefined, opts: { compact?: boolean } = {}): string {
  if (nano === null || nano === undefined) return "—";
  const usd = nanoToUsd(nano);
  return formatUsdAmount(usd, opts);
}

export function formatUsdAmount(usd: number, opts: { compact?: boolean } = {}): string {
  if (usd === 0) return "$0.00";
  const abs = Math.abs(usd);
  const sign = usd < 0 ? "-" : "";
  if (abs < 0.000001) return `${sign}<$0.000001`;
  if (opts.compact && abs >= 10_000) {
    return sign + "$" + new Intl.NumberFormat(LOCALE, { notation: "compact", maximumFractionDigits: 1 }).format(abs);
  }
  if (abs >= 1) return sign + "$" + new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(abs);
  // Below a dollar: two significant digits, at least two decimals.
  const decimals = Math.min(6, Math.max(2, 1 - Math.floor(Math.log10(abs))));
  return sign + "$" + abs.toFixed(decimals);
}

/** 850 → "850 ms", 1_234 → "1.23 s", 95_000 → "1m 35s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s === 60 ? `${m + 1}m 0s` : `${m}m ${s}s`;
}

/** A ratio (0.025) as "2.5%"; small non-zero ratios keep a visible digit ("0.04%"). */
export function formatPercent(ratio: number): string {
  if (ratio === 0) return "0%";
  const pct = ratio * 100;
  const abs = Math.abs(pct);
  return `${pct.toFixed(abs >= 1 ? 1 : 2).replace(/\.0+$/, "")}%`;
}

export interface Change {
  /** "+12%", "−3.4%", "new", "—" */
  text: string;
  direction: "up" | "down" | "flat";
}

/** Change of a metric against the previous period. */
export function formatChange(current: number | null, previous: number | null): Change {
  if (current === null || previous === null) return { text: "—", direction: "flat" };
  if (previous === 0) return current === 0 ? { text: "0%", direction: "flat" } : { text: "new", direction: "up" };
  const ratio = (current - previous) / Math.abs(previous);
  if (Math.abs(ratio) < 0.0005) return { text: "0%", direction: "flat" };
  const pct = Math.abs(ratio * 100);
  const body = pct >= 100 ? pct.toFixed(0) : pct >= 10 ? pct.toFixed(0) : pct.toFixed(1);
  return { text: `${ratio > 0 ? "+" : "−"}${body}%`, direction: ratio > 0 ? "up" : "down" };
}

/** Change of a rate in percentage points ("+1.2 pp"), which reads better than a relative change of a rate. */
export function formatPointChange(current: number, previous: number): Change {
  const pp = (current - previous) * 100;
  if (Math.abs(pp) < 0.05) return { text: "0 pp", direction: "flat" };
  return { text: `${pp > 0 ? "+" : "−"}${Math.abs(pp).toFixed(1)} pp`, direction: pp > 0 ? "up" : "down" };
}

export function formatDateTime(d: Date, timeZone?: string): string {
  return new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeStyle: "short", timeZone }).format(d);
}

export function formatDateTimePrecise(d: Date, timeZone?: string): string {
  return new Intl.DateTimeFormat(LOCALE, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    fractionalSecondDigits: 3,
    hour12: false,
    timeZone,
  }).format(d);
}

export function formatDate(d: Date, timeZone?: string): string {
  return new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeZone }).format(d);
}

/** Axis/tooltip label of a time bucket. */
export function formatBucket(d: Date, bucket: "hour" | "day", style: "axis" | "tooltip", timeZone?: string): string {
  if (bucket === "day") {
    return new Intl.DateTimeFormat(LOCALE, style === "axis" ? { month: "short", day: "numeric", timeZone } : { weekday: "short", month: "short", day: "numeric", timeZone }).format(d);
  }
  return new Intl.DateTimeFormat(
    LOCALE,
    style === "axis" ? { hour: "2-digit", minute: "2-digit", hour12: false, timeZone } : { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false, timeZone },
  ).format(d);
}

const relative = new Intl.RelativeTimeFormat(LOCALE, { numeric: "auto" });

/** "3 minutes ago", "yesterday", or a date for anything older than a month. */
export function formatRelative(d: Date | null | undefined, now: Date = new Date()): string {
  if (!d) return "never";
  const sec = Math.round((d.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(sec);
  if (abs < 45) return "just now";
  if (abs < 3600) return relative.format(Math.round(sec / 60), "minute");
  if (abs < 86_400) return relative.format(Math.round(sec / 3600), "hour");
  if (abs < 30 * 86_400) return relative.format(Math.round(sec / 86_400), "day");
  return formatDate(d);
}
