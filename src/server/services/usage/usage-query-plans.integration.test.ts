import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UsageEvent } from "@/gateway/usage-event";
import type { Queryable } from "@/server/db/queryable";
import { createPool } from "@/server/db/pool";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";
import { getConversation } from "./get-conversation";
import { getRequest } from "./get-request";
import { getUsageByApiKey } from "./get-usage-by-api-key";
import { getUsageByModel } from "./get-usage-by-model";
import { getUsageByProvider } from "./get-usage-by-provider";
import { getUsageByTag } from "./get-usage-by-tag";
import { getUsageSummary } from "./get-usage-summary";
import { getUsageTimeseries } from "./get-usage-timeseries";
import { listConversations } from "./list-conversations";
import { listRequests } from "./list-requests";
import { API_KEYS, makeEvents, seedLedger } from "./usage-seed.test-helper";

/**
 * The dashboard must stay usable at millions of ledger rows: aggregate views never read
 * request_log, and drill-downs read it by index only. Checked on plans of 20k analysed rows,
 * where the planner would pick a sequential scan if a query left it no index to use.
 */
const START = new Date("2026-06-01T00:00:00Z");
const END = new Date("2026-07-01T00:00:00Z");
const RANGE = { from: START, to: END };

let db: TestDatabase;
let pool: pg.Pool;
let events: UsageEvent[];

beforeAll(async () => {
  db = await createTestDatabase("sy_usage_plans");
  pool = createPool(db.url, { max: 4 });
  events = makeEvents({ seed: 3, count: 20_000, start: START, end: END, conversations: 1_500 });
  await seedLedger(pool, events, 1_000);
  await pool.query("ANALYZE");
}, 180_000);

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Plans?: PlanNode[];
}

function nodes(n: PlanNode): PlanNode[] {
  return [n, ...(n.Plans ?? []).flatMap(nodes)];
}

/** Runs `call` against a recording Queryable, then EXPLAINs every statement it ran (with its parameters). */
async function plansOf(call: (db: Queryable) => Promise<unknown>): Promise<Array<{ sql: string; plan: PlanNode[] }>> {
  const statements: Array<{ text: string; params: unknown[] | undefined }> = [];
  const recorder: Queryable = {
    query: (text, params) => {
      statements.push({ text, params });
      return pool.query(text, params) as never;
    },
  };
  await call(recorder);
  expect(statements.length).toBeGreaterThan(0);
  const out = [];
  for (const s of statements) {
    const res = await pool.query<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${s.text}`, s.params);
    out.push({ sql: s.text, plan: nodes(res.rows[0]!["QUERY PLAN"][0]!.Plan) });
  }
  return out;
}

const someConversation = () => events.find((e) => e.conversationId !== null)!.conversationId!;

describe("aggregate views read rollups only", () => {
  it.each([
    ["summary", (d: Queryable) => getUsageSummary(d, RANGE)],
    ["summary with every filter", (d: Queryable) => getUsageSummary(d, { ...RANGE, model: ["grok-4"], provider: ["xai"], status: ["success"], apiKeyId: [API_KEYS[0].id], tags: ["beta"] })],
    ["hourly series", (d: Queryable) => getUsageTimeseries(d, { ...RANGE, bucket: "hour" })],
    ["daily series in a zone", (d: Queryable) => getUsageTimeseries(d, { ...RANGE, bucket: "day", tz: "America/New_York", tags: ["team:ml"] })],
    ["by model", (d: Queryable) => getUsageByModel(d, RANGE)],
    ["by provider", (d: Queryable) => getUsageByProvider(d, { ...RANGE, status: ["error"] })],
    ["by api key", (d: Queryable) => getUsageByApiKey(d, RANGE)],
    ["by tag", (d: Queryable) => getUsageByTag(d, { ...RANGE, tagKey: "team" })],
    ["by tag within tags", (d: Queryable) => getUsageByTag(d, { ...RANGE, tags: ["feature:chat"], tagKey: "team" })],
    ["conversation list", (d: Queryable) => listConversations(d, { ...RANGE, model: ["grok-4"] })],
  ] as Array<[string, (d: Queryable) => Promise<unknown>]>)("%s", async (_, call) => {
    for (const { sql, plan } of await plansOf(call)) {
      expect(sql).not.toMatch(/request_log/);
      expect(plan.filter((n) => n["Relation Name"] === "request_log")).toEqual([]);
    }
  });
});

describe("views without model, key or tag filters read usage_hourly_provider only", () => {
  it.each([
    ["summary", (d: Queryable) => getUsageSummary(d, RANGE)],
    ["summary of one provider's errors", (d: Queryable) => getUsageSummary(d, { ...RANGE, provider: ["openai"], status: ["error"] })],
    ["hourly series", (d: Queryable) => getUsageTimeseries(d, { ...RANGE, bucket: "hour", status: ["success"] })],
    ["daily series, UTC", (d: Queryable) => getUsageTimeseries(d, { ...RANGE, bucket: "day" })],
    ["daily series in a zone", (d: Queryable) => getUsageTimeseries(d, { ...RANGE, bucket: "day", tz: "Asia/Kolkata" })],
    ["daily series in a zone, two providers", (d: Queryable) => getUsageTimeseries(d, { ...RANGE, bucket: "day", tz: "Asia/Kolkata", provider: ["openai", "xai"] })],
    ["by provider", (d: Queryable) => getUsageByProvider(d, { ...RANGE, status: ["error", "cancelled"] })],
  ] as Array<[string, (d: Queryable) => Promise<unknown>]>)("%s", async (_, call) => {
    for (const { sql, plan } of await plansOf(call)) {
      expect(sql).not.toMatch(/request_log|usage_hourly\b|usage_daily/);
      expect([...new Set(plan.flatMap((n) => n["Relation Name"] ?? []))]).toEqual(["usage_hourly_provider"]);
    }
  });
});

describe("ledger drill-downs use an index", () => {
  /** Leading column of each request_log index: a condition on it is what makes an index scan a seek. */
  let leading: Map<string, string>;
  beforeAll(async () => {
    const res = await pool.query<{ index: string; col: string }>(
      `SELECT i.indexrelid::regclass::text AS index, a.attname AS col
         FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
        WHERE i.indrelid = 'request_log'::regclass`,
    );
    leading = new Map(res.rows.map((r) => [r.index, r.col]));
  });

  const cursorAfter = async () => (await listRequests(pool, { ...RANGE, limit: 50 })).nextCursor!;

  it.each([
    ["first page", async (d: Queryable) => listRequests(d, RANGE)],
    ["a later page", async (d: Queryable) => listRequests(d, { ...RANGE, cursor: await cursorAfter(), limit: 500 })],
    ["by model", async (d: Queryable) => listRequests(d, { ...RANGE, model: ["grok-4"] })],
    ["by status and provider", async (d: Queryable) => listRequests(d, { ...RANGE, status: ["error"], provider: ["anthropic"] })],
    ["by api key", async (d: Queryable) => listRequests(d, { ...RANGE, apiKeyId: [API_KEYS[1].id] })],
    ["by tags", async (d: Queryable) => listRequests(d, { ...RANGE, tags: ["beta", "env:prod"] })],
    ["by conversation", async (d: Queryable) => listRequests(d, { ...RANGE, conversationId: someConversation() })],
    ["an hour", async (d: Queryable) => listRequests(d, { from: "2026-06-10T10:00:00Z", to: "2026-06-10T11:00:00Z" })],
    ["a conversation's requests", async (d: Queryable) => getConversation(d, { conversationId: someConversation() })],
    ["one request (with created_at)", async (d: Queryable) => getRequest(d, { id: events[123]!.id, createdAt: events[123]!.createdAt })],
  ] as Array<[string, (d: Queryable) => Promise<unknown>]>)("%s", async (_, call) => {
    const plans = await plansOf(call);
    const ledger = plans.filter((p) => p.sql.includes("request_log"));
    expect(ledger.length).toBeGreaterThan(0);
    for (const { plan } of ledger) {
      expect(plan.filter((n) => n["Node Type"] === "Seq Scan").map((n) => n["Relation Name"])).toEqual([]);
      const scans = plan.filter((n) => leading.has(n["Index Name"] ?? ""));
      expect(scans.length).toBeGreaterThan(0);
      // A condition on a later index column only (e.g. `id` alone on the primary key) walks the whole index.
      for (const n of scans) expect(n["Index Cond"] ?? "").toMatch(new RegExp(`\\b${leading.get(n["Index Name"]!)}\\b`));
    }
  });
});
