import os from "node:os";
import type pg from "pg";
import { createPool } from "../../src/server/db/pool";
import type { Queryable } from "../../src/server/db/queryable";
import { getConversation } from "../../src/server/services/usage/get-conversation";
import { getRequest } from "../../src/server/services/usage/get-request";
import { getUsageByApiKey } from "../../src/server/services/usage/get-usage-by-api-key";
import { getUsageByModel } from "../../src/server/services/usage/get-usage-by-model";
import { getUsageByProvider } from "../../src/server/services/usage/get-usage-by-provider";
import { getUsageByTag } from "../../src/server/services/usage/get-usage-by-tag";
import { getUsageSummary } from "../../src/server/services/usage/get-usage-summary";
import { getUsageTimeseries } from "../../src/server/services/usage/get-usage-timeseries";
import { listConversations } from "../../src/server/services/usage/list-conversations";
import { listRequests } from "../../src/server/services/usage/list-requests";
import { VOLUME_DATABASE_URL, parseArgs } from "./bench-database";
import { prng } from "./volume-profile";

/**
 * npm run bench:queries [-- --runs 30 --explain full|check|none --strict --database-url URL]
 *
 * Times every dashboard query over the seeded ledger (`npm run seed:volume` first): each query
 * `runs` times with varied ranges and filters (after one warm-up pass), p50/p95 per query, against
 * a 150 ms p95 target. Then EXPLAIN (ANALYZE, BUFFERS) of one call of each: aggregate views must
 * not touch request_log at all, drill-downs must reach it through an index only. Exits non-zero on
 * a plan violation, and with --strict also on a missed p95 target (timings depend on the machine).
 */

const args = parseArgs(process.argv.slice(2));
const RUNS = Number(args.get("runs") ?? 30);
const EXPLAIN = args.get("explain") ?? "full";
const url = args.get("database-url") ?? VOLUME_DATABASE_URL;
const TARGET_P95_MS = 150;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Call = (db: Queryable) => Promise<unknown>;
interface Variant {
  label: string;
  run: Call;
}
interface Bench {
  name: string;
  /** "rollup": must not read request_log; "ledger": must read it by index only. */
  kind: "rollup" | "ledger";
  variants: Variant[];
}

interface Dataset {
  end: number;
  start: number;
  models: string[];
  providers: ("openai" | "anthropic" | "gemini" | "xai")[];
  keys: string[];
  tags: string[];
  conversations: string[];
  requests: { id: string; createdAt: Date }[];
}

async function dataset(pool: pg.Pool): Promise<Dataset> {
  const range = (await pool.query<{ start: Date; end: Date }>(`SELECT min(bucket) AS start, max(bucket) AS end FROM usage_hourly`)).rows[0]!;
  if (!range.start) throw new Error(`no data in ${url}: run \`npm run seed:volume -- --rows 10000000\` first`);
  const col = async (sql: string) => (await pool.query<{ v: string }>(sql)).rows.map((r) => r.v);
  const sample = await pool.query<{ id: string; created_at: Date }>(`SELECT id, created_at FROM request_log TABLESAMPLE SYSTEM (0.05) LIMIT ${RUNS}`);
  return {
    start: range.start.getTime(),
    end: range.end.getTime() + HOUR,
    // By traffic, so variants cover both popular and long-tail values.
    models: await col(`SELECT model AS v FROM usage_hourly GROUP BY 1 ORDER BY sum(requests) DESC`),
    providers: (await col(`SELECT provider AS v FROM usage_hourly WHERE provider <> '' GROUP BY 1 ORDER BY sum(requests) DESC`)) as Dataset["providers"],
    keys: await col(`SELECT api_key_id::text AS v FROM usage_hourly GROUP BY 1 ORDER BY sum(requests) DESC`),
    tags: await col(`SELECT tag AS v FROM usage_hourly_tag GROUP BY 1 ORDER BY sum(requests) DESC`),
    conversations: await col(
      `SELECT conversation_id AS v FROM (SELECT conversation_id FROM conversations TABLESAMPLE SYSTEM (1) ORDER BY requests DESC LIMIT ${RUNS}) c`,
    ),
    requests: sample.rows.map((r) => ({ id: r.id, createdAt: r.created_at })),
  };
}

function benches(d: Dataset): Bench[] {
  const rand = prng(2026);
  const pick = <T>(xs: readonly T[], skew = 1) => xs[Math.floor(Math.pow(rand(), skew) * xs.length)]!;
  const n = Array.from({ length: RUNS }, (_, i) => i);
  // Dashboard ranges: last day/week/30 days/90 days, and arbitrary past windows.
  const range = (i: number) => {
    const spans = [DAY, 7 * DAY, 30 * DAY, 30 * DAY, 90 * DAY, 7 * DAY, 14 * DAY];
    const span = spans[i % spans.length]!;
    const shift = i % 3 === 0 ? Math.floor(rand() * Math.max(0, d.end - d.start - span) / HOUR) * HOUR : 0;
    return { from: new Date(Math.max(d.start, d.end - span - shift)), to: new Date(d.end - shift) };
  };
  const filter = (i: number) => {
    switch (i % 8) {
      case 0: return {};
      case 1: return { model: [pick(d.models, 2)] };
      case 2: return { provider: [pick(d.providers)] };
      case 3: return { status: ["error" as const] };
      case 4: return { apiKeyId: [pick(d.keys, 2)] };
      case 5: return { tags: [pick(d.tags, 2)] };
      case 6: return { model: [pick(d.models), pick(d.models)], status: ["success" as const] };
      default: return { tags: [pick(d.tags.filter((t) => t.startsWith("feature:"))), "env:prod"] };
    }
  };
  const tagFilter = () => [pick(d.tags.filter((t) => t.startsWith("team:") || t.startsWith("feature:")), 2)];
  const tzs = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"];
  /** A variant: its input (shown for the slowest runs) and the call. */
  const v = <I extends object>(input: I, run: (db: Queryable, input: I) => Promise<unknown>): Variant => ({
    label: label(input as Record<string, unknown>),
    run: (db) => run(db, input),
  });
  return [
    { name: "summary (+ previous period)", kind: "rollup", variants: n.map((i) => v({ ...range(i), ...filter(i) }, getUsageSummary)) },
    {
      name: "timeseries, hourly",
      kind: "rollup",
      variants: n.map((i) => v({ from: new Date(d.end - [DAY, 7 * DAY, 14 * DAY][i % 3]!), to: new Date(d.end), bucket: "hour" as const, ...filter(i) }, getUsageTimeseries)),
    },
    {
      name: "timeseries, daily",
      kind: "rollup",
      variants: n.map((i) => v({ from: new Date(d.end - [30, 90, 60][i % 3]! * DAY), to: new Date(d.end), bucket: "day" as const, tz: tzs[i % tzs.length]!, ...filter(i + 1) }, getUsageTimeseries)),
    },
    { name: "by model", kind: "rollup", variants: n.map((i) => v({ ...range(i), ...filter(i) }, getUsageByModel)) },
    { name: "by provider", kind: "rollup", variants: n.map((i) => v({ ...range(i), ...filter(i) }, getUsageByProvider)) },
    { name: "by api key", kind: "rollup", variants: n.map((i) => v({ ...range(i), ...filter(i) }, getUsageByApiKey)) },
    {
      name: "by tag (tag keys)",
      kind: "rollup",
      variants: n.map((i) => v({ ...range(i), tagKey: [undefined, "team", "feature", "env"][i % 4], ...(i % 2 ? { provider: [pick(d.providers)] } : {}) }, getUsageByTag)),
    },
    {
      name: "tag filter: summary",
      kind: "rollup",
      variants: n.map((i) => v({ ...range(i), tags: i % 2 ? tagFilter() : [...tagFilter(), "env:prod"] }, getUsageSummary)),
    },
    {
      name: "tag filter: by tag within tags",
      kind: "rollup",
      variants: n.map((i) => v({ ...range(i), tags: tagFilter(), tagKey: ["team", "feature", undefined][i % 3] }, getUsageByTag)),
    },
    {
      name: "conversations list (+ next page)",
      kind: "rollup",
      variants: n.map((i) =>
        v({ ...range(i), ...[{}, { model: [pick(d.models, 2)] }, { apiKeyId: [pick(d.keys, 2)] }, { tags: tagFilter() }][i % 4]!, limit: 50 }, async (db, input) => {
          const first = await listConversations(db, input);
          // Every other run also reads the next page through the cursor.
          if (i % 2 && first.nextCursor) await listConversations(db, { ...input, cursor: first.nextCursor });
        }),
      ),
    },
    { name: "request page (first)", kind: "ledger", variants: n.map((i) => v({ ...range(i), ...filter(i), limit: 50 }, listRequests)) },
    {
      name: "request page + cursor (pages 2-4)",
      kind: "ledger",
      variants: n.map((i) =>
        v({ ...range(i), ...filter(i), limit: 50 }, async (db, input) => {
          let page = await listRequests(db, input);
          for (let p = 0; p < 3 && page.nextCursor; p++) page = await listRequests(db, { ...input, cursor: page.nextCursor });
        }),
      ),
    },
    {
      name: "conversation drill-down (2 pages)",
      kind: "ledger",
      variants: n.map((i) =>
        v({ conversationId: d.conversations[i % d.conversations.length]!, limit: 10 }, async (db, input) => {
          const first = await getConversation(db, input);
          if (first?.nextCursor) await getConversation(db, { ...input, cursor: first.nextCursor });
        }),
      ),
    },
    {
      name: "request detail",
      kind: "ledger",
      variants: n.map((i) => {
        const r = d.requests[i % d.requests.length]!;
        return v<{ id: string; createdAt?: Date }>(i % 2 ? { id: r.id, createdAt: r.createdAt } : { id: r.id }, getRequest);
      }),
    },
  ];
}

/** "30d to 2026-12-04T17 model=[…] tags=[…]": the range as a span, then the filters. */
function label(input: Record<string, unknown>): string {
  const parts: string[] = [];
  if (input.from instanceof Date && input.to instanceof Date) {
    parts.push(`${Math.round((input.to.getTime() - input.from.getTime()) / HOUR)}h to ${input.to.toISOString().slice(0, 13)}`);
  }
  for (const [k, val] of Object.entries(input)) {
    if (k === "from" || k === "to" || k === "limit" || val === undefined) continue;
    parts.push(`${k}=${val instanceof Date ? val.toISOString() : JSON.stringify(val)}`);
  }
  return parts.join(" ");
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}
const flatten = (p: PlanNode): PlanNode[] => [p, ...(p.Plans ?? []).flatMap(flatten)];
const isLedger = (rel: string | undefined) => rel !== undefined && (rel === "request_log" || rel.startsWith("_hyper_"));
const INDEX_SCANS = new Set(["Index Scan", "Index Only Scan", "Bitmap Index Scan", "Bitmap Heap Scan"]);

/** EXPLAIN (ANALYZE, BUFFERS) of every statement one call runs; returns the rule violations. */
async function explain(pool: pg.Pool, b: Bench, call: Call): Promise<string[]> {
  const statements: Array<{ text: string; params?: unknown[] }> = [];
  await call({ query: (text, params) => (statements.push({ text, params }), pool.query(text, params) as never) });
  const problems: string[] = [];
  for (const [i, s] of statements.entries()) {
    const json = await pool.query<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${s.text}`, s.params);
    const nodes = flatten(json.rows[0]!["QUERY PLAN"][0]!.Plan);
    const ledger = nodes.filter((n) => isLedger(n["Relation Name"]));
    if (b.kind === "rollup" && ledger.length > 0) problems.push(`statement ${i + 1} reads request_log (${ledger.map((n) => n["Node Type"]).join(", ")})`);
    if (b.kind === "ledger") {
      for (const n of ledger) if (!INDEX_SCANS.has(n["Node Type"])) problems.push(`statement ${i + 1}: ${n["Node Type"]} on ${n["Relation Name"]}`);
    }
    if (EXPLAIN === "full") {
      const text = await pool.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, s.params);
      console.log(`\n--- ${b.name}: statement ${i + 1} of ${statements.length}`);
      console.log(text.rows.map((r) => r["QUERY PLAN"]).join("\n"));
    }
  }
  return problems;
}

const q = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

async function main(): Promise<void> {
  const pool = createPool(url, { max: 2, applicationName: "switchyard-bench-queries" });
  try {
    const counts = await pool.query<{ t: string; n: string; size: string }>(
      `SELECT c.relname AS t, c.reltuples::bigint::text AS n, pg_size_pretty(pg_total_relation_size(c.oid)) AS size
         FROM pg_class c WHERE c.relname IN ('request_log', 'usage_hourly', 'usage_daily', 'usage_hourly_provider', 'usage_hourly_tag', 'usage_daily_tag', 'conversations') ORDER BY 1`,
    );
    const d = await dataset(pool);
    console.log(`# Dashboard query benchmark: ${new URL(url).pathname.slice(1)}, ${new Date(d.start).toISOString()} .. ${new Date(d.end).toISOString()}`);
    console.log(`  ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} at start`);
    for (const c of counts.rows) console.log(`  ${c.t.padEnd(21)} ~${Number(c.n).toLocaleString("en-US").padStart(12)} rows  ${c.size}`);
    const list = benches(d);
    // One warm-up pass (first touches of cold pages are not what a running dashboard sees).
    for (const b of list) for (const v of b.variants.slice(0, 3)) await v.run(pool);

    console.log(`\n${"query".padEnd(36)} ${"runs".padStart(4)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"max ms".padStart(8)}  target p95 < ${TARGET_P95_MS} ms`);
    const misses: string[] = [];
    const slowest: string[] = [];
    for (const b of list) {
      const runs: Array<{ ms: number; label: string }> = [];
      for (const v of b.variants) {
        const t = performance.now();
        await v.run(pool);
        runs.push({ ms: performance.now() - t, label: v.label });
      }
      const times = runs.map((r) => r.ms).sort((a, b2) => a - b2);
      const p95 = q(times, 0.95);
      if (p95 >= TARGET_P95_MS) {
        misses.push(b.name);
        const worst = [...runs].sort((x, y) => y.ms - x.ms).slice(0, 3);
        slowest.push(`${b.name}:\n${worst.map((w) => `  ${w.ms.toFixed(1).padStart(8)} ms  ${w.label}`).join("\n")}`);
      }
      console.log(
        `${b.name.padEnd(36)} ${String(times.length).padStart(4)} ${q(times, 0.5).toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)} ${times[times.length - 1]!.toFixed(1).padStart(8)}  ${p95 < TARGET_P95_MS ? "ok" : "MISS"}`,
      );
    }
    if (slowest.length > 0) console.log(`\n# Slowest runs of the queries that missed\n${slowest.join("\n")}`);

    const violations: string[] = [];
    if (EXPLAIN !== "none") {
      console.log(`\n# Plans (EXPLAIN ANALYZE, BUFFERS) of the first variant of each query`);
      for (const b of list) for (const p of await explain(pool, b, b.variants[0]!.run)) violations.push(`${b.name}: ${p}`);
      console.log(`\n# Plan check: rollup views never read request_log; drill-downs read it by index only`);
      console.log(violations.length === 0 ? "ok: no violation" : violations.map((v) => `VIOLATION ${v}`).join("\n"));
    }
    if (misses.length > 0) console.log(`\np95 target missed by: ${misses.join(", ")}`);
    process.exitCode = violations.length > 0 || (args.has("strict") && misses.length > 0) ? 1 : 0;
  } finally {
    await pool.end();
  }
}

await main();
