import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UsageEvent } from "@/gateway/usage-event";
import { createPool } from "@/server/db/pool";
import { ApiKeyAuthenticator } from "@/server/keys/api-key-auth";
import { createApiKey } from "@/server/services/create-api-key";
import { revokeApiKey } from "@/server/services/revoke-api-key";
import { getUsageSummary } from "@/server/services/usage/get-usage-summary";
import { listRequests } from "@/server/services/usage/list-requests";
import { LEDGER_COLUMNS } from "@/server/services/usage/request-row";
import { API_KEYS, makeEvents, seedLedger } from "@/server/services/usage/usage-seed.test-helper";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";
import { serveUsageApi, type UsageEndpoint } from "./usage-api";

const START = new Date("2026-08-01T00:00:00Z");
const END = new Date("2026-08-04T00:00:00Z");
const RANGE_QS = `from=${START.toISOString()}&to=${END.toISOString()}`;

let db: TestDatabase;
let pool: pg.Pool;
let events: UsageEvent[];
let rt: { auth: ApiKeyAuthenticator; pool: pg.Pool };
let readKey: string;
let revokedKey: string;

/** Two rows whose costs test cost_micro_usd's half-up rounding. */
function costProbe(base: UsageEvent, id: string, nano: bigint, at: string): UsageEvent {
  return { ...base, id, createdAt: new Date(at), costNanoUsd: nano, pricingStatus: "priced", priceVersion: "p", conversationId: "probe/conv", tags: ["probe"] };
}

beforeAll(async () => {
  db = await createTestDatabase("sy_usage_api");
  pool = createPool(db.url, { max: 4 });
  events = makeEvents({ seed: 5, count: 300, start: START, end: END, conversations: 10 });
  events.push(
    costProbe(events[0]!, "aaaaaaaa-0000-4000-8000-000000000001", 1_500n, "2026-08-02T12:00:00.000Z"),
    costProbe(events[0]!, "aaaaaaaa-0000-4000-8000-000000000002", 2_499n, "2026-08-02T12:00:01.000Z"),
  );
  await seedLedger(pool, events);
  rt = { auth: new ApiKeyAuthenticator(pool, { ttlMs: 60_000 }), pool };
  readKey = (await createApiKey(pool, { name: "reader", role: "read" })).key;
  const revoked = await createApiKey(pool, { name: "gone", role: "admin" });
  await revokeApiKey(pool, { id: revoked.id });
  revokedKey = revoked.key;
});

afterAll(async () => {
  await rt?.auth.close();
  await pool?.end();
  await db?.drop();
});

function call(endpoint: UsageEndpoint, qs = "", opts: { id?: string; key?: string | null } = {}): Promise<Response> {
  const path = opts.id === undefined ? endpoint : `${endpoint}/${encodeURIComponent(opts.id)}`;
  const headers: Record<string, string> = { "x-request-id": "req_usage_test" };
  const key = opts.key === undefined ? readKey : opts.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  return serveUsageApi(rt, new Request(`http://localhost/api/ai/usage/${path}?${qs}`, { headers }), endpoint, opts.id);
}

async function body(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

describe("authentication", () => {
  it("needs a valid, unrevoked key; any role may read", async () => {
    const none = await call("summary", "", { key: null });
    expect(none.status).toBe(401);
    expect(await body(none)).toMatchObject({ error: { type: "authentication_error", code: "missing_api_key" } });
    expect((await call("summary", "", { key: "sy_nope" })).status).toBe(401);
    expect((await call("summary", "", { key: revokedKey })).status).toBe(401);
    const ok = await call("summary", RANGE_QS);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-request-id")).toBe("req_usage_test");
  });
});

describe("aggregates", () => {
  it("summary is the service's output in snake_case", async () => {
    const res = await call("summary", `${RANGE_QS}&model=grok-4,gpt-4.1-mini&tags=team:ml`);
    const b = await body(res);
    const s = await getUsageSummary(pool, { from: START, to: END, model: ["grok-4", "gpt-4.1-mini"], tags: ["team:ml"] });
    expect(b).toMatchObject({ object: "usage.summary", from: START.toISOString(), to: END.toISOString(), previous_from: s.previousFrom.toISOString() });
    expect(b.current).toEqual({
      requests: s.current.requests,
      error_requests: s.current.errorRequests,
      error_rate: s.current.errorRate,
      streamed_requests: s.current.streamedRequests,
      input_tokens: s.current.inputTokens,
      cached_input_tokens: s.current.cachedInputTokens,
      cache_write_tokens: s.current.cacheWriteTokens,
      output_tokens: s.current.outputTokens,
      reasoning_tokens: s.current.reasoningTokens,
      cost_nano_usd: s.current.costNanoUsd,
      cost_usd: s.current.costUsd,
      unpriced_requests: s.current.unpricedRequests,
      avg_latency_ms: s.current.avgLatencyMs,
      p95_latency_ms: s.current.p95LatencyMs,
      avg_ttft_ms: s.current.avgTtftMs,
    });
    expect(s.current.requests).toBeGreaterThan(0);
  });

  it("reads an offset whose '+' was not percent-encoded", async () => {
    const b = await body(await call("summary", "from=2026-08-01T02:00:00+02:00&to=2026-08-02T02:00:00%2B02:00"));
    expect([b.from, b.to]).toEqual(["2026-08-01T00:00:00.000Z", "2026-08-02T00:00:00.000Z"]);
  });

  it("timeseries and breakdowns answer lists", async () => {
    const ts = await body(await call("timeseries", `${RANGE_QS}&bucket=day&tz=America/New_York`));
    expect(ts).toMatchObject({ object: "list", bucket: "day", tz: "America/New_York" });
    expect((ts.data as unknown[]).length).toBe(4);
    expect(Object.keys((ts.data as Array<Record<string, unknown>>)[0]!)).toContain("bucket_start");
    for (const ep of ["by-model", "by-provider", "by-api-key"] as const) {
      const b = await body(await call(ep, `${RANGE_QS}&status=success,error`));
      expect(b.object).toBe("list");
      expect((b.data as Array<{ requests: number }>).reduce((n, r) => n + r.requests, 0)).toBe(events.filter((e) => e.status !== "cancelled").length);
    }
    const byKey = await body(await call("by-api-key", RANGE_QS));
    expect((byKey.data as Array<{ api_key_id: string | null; name: string | null }>).find((r) => r.api_key_id === API_KEYS[0].id)?.name).toBe("backend");
    const byTag = await body(await call("by-tag", `${RANGE_QS}&tag_key=team&tags=feature:chat`));
    expect(byTag.data).toEqual([expect.objectContaining({ tag_key: "team", values: expect.any(Array) })]);
  });
});

describe("requests", () => {
  it("rows carry exactly the ledger's column names, in order, with exact money", async () => {
    const b = await body(await call("requests", `${RANGE_QS}&tags=probe&limit=10`));
    const rows = b.data as Array<Record<string, unknown>>;
    expect(b.object).toBe("list");
    expect(b.next_cursor).toBeNull();
    expect(rows.map((r) => r.id)).toEqual(["aaaaaaaa-0000-4000-8000-000000000002", "aaaaaaaa-0000-4000-8000-000000000001"]);
    for (const r of rows) expect(Object.keys(r)).toEqual([...LEDGER_COLUMNS]);
    // Half up: 2499 nano → 2 micro, 1500 nano → 2 micro.
    expect(rows.map((r) => [r.cost_nano_usd, r.cost_usd, r.cost_micro_usd])).toEqual([
      ["2499", "0.000002499", 2],
      ["1500", "0.000001500", 2],
    ]);
    expect(rows[0]!.created_at).toBe("2026-08-02T12:00:01.000Z");
  });

  it("applies every filter parameter and pages with next_cursor", async () => {
    const qs = `${RANGE_QS}&model=gpt-4.1-mini,claude-sonnet-4-5&provider=openai,anthropic&status=success&api_key_id=${API_KEYS[0].id},${API_KEYS[1].id}`;
    const want = await listRequests(pool, {
      from: START,
      to: END,
      model: ["gpt-4.1-mini", "claude-sonnet-4-5"],
      provider: ["openai", "anthropic"],
      status: ["success"],
      apiKeyId: [API_KEYS[0].id, API_KEYS[1].id],
      limit: 500,
    });
    expect(want.rows.length).toBeGreaterThan(10);
    const ids: unknown[] = [];
    let cursor: string | null = null;
    do {
      const b = await body(await call("requests", `${qs}&limit=7${cursor ? `&cursor=${cursor}` : ""}`));
      ids.push(...(b.data as Array<{ id: string }>).map((r) => r.id));
      cursor = b.next_cursor as string | null;
    } while (cursor);
    expect(ids).toEqual(want.rows.map((r) => r.id));
    const conv = await body(await call("requests", `${RANGE_QS}&conversation_id=conv-2&limit=500`));
    expect((conv.data as unknown[]).length).toBe(events.filter((e) => e.conversationId === "conv-2").length);
  });

  it("exports CSV as a streamed attachment: a header and one line per row", async () => {
    const res = await call("requests", `${RANGE_QS}&format=csv&status=error`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="switchyard-requests-20260801T000000Z-20260804T000000Z.csv"');
    expect(res.body).toBeInstanceOf(ReadableStream);
    const lines = (await res.text()).split("\n");
    expect(lines.pop()).toBe("");
    expect(lines[0]).toBe(LEDGER_COLUMNS.join(","));
    expect(lines.length - 1).toBe(events.filter((e) => e.status === "error").length);
  });

  it("returns one request with its detail columns, 404 when unknown, 400 on a malformed id", async () => {
    const e = events.find((x) => x.status === "error" && x.requestBody !== undefined) ?? events.find((x) => x.status === "error")!;
    const b = await body(await call("request", `created_at=${e.createdAt.toISOString()}`, { id: e.id }));
    expect(b).toMatchObject({ id: e.id, status: "error", error_message: e.errorMessage, upstream_status: e.upstreamStatus, byok: e.byok });
    expect(b.request_body).toEqual(e.requestBody ?? null);
    expect((await body(await call("request", "", { id: e.id }))).id).toBe(e.id);
    const missing = await call("request", "", { id: "00000000-0000-4000-8000-000000000000" });
    expect(missing.status).toBe(404);
    expect(await body(missing)).toMatchObject({ error: { code: "not_found", param: "id" } });
    const bad = await call("request", "", { id: "not-a-uuid" });
    expect(bad.status).toBe(400);
    expect(await body(bad)).toMatchObject({ error: { type: "invalid_request_error", param: "id" } });
  });
});

describe("conversations", () => {
  it("lists conversations and returns one with its requests in order", async () => {
    const list = await body(await call("conversations", `${RANGE_QS}&limit=200`));
    const convs = list.data as Array<Record<string, unknown>>;
    expect(convs.map((c) => c.conversation_id)).toContain("probe/conv");
    expect(Object.keys(convs[0]!)).toEqual(expect.arrayContaining(["conversation_id", "first_at", "last_at", "requests", "cost_nano_usd", "cost_usd", "models", "tags"]));
    const one = await body(await call("conversation", "", { id: "probe/conv" }));
    expect(one).toMatchObject({ conversation_id: "probe/conv", requests: { object: "list", next_cursor: null } });
    expect((one.requests as { data: Array<{ id: string }> }).data.map((r) => r.id)).toEqual([
      "aaaaaaaa-0000-4000-8000-000000000001",
      "aaaaaaaa-0000-4000-8000-000000000002",
    ]);
    expect((await call("conversation", "", { id: "nope" })).status).toBe(404);
  });
});

describe("bad query parameters are 400s naming the parameter", () => {
  it.each([
    ["summary", "from=yesterday", "from"],
    ["summary", `from=${END.toISOString()}&to=${START.toISOString()}`, "from"],
    ["summary", "from=2026-08-01T00:00:00Z&from=2026-08-02T00:00:00Z", "from"],
    ["summary", "provider=openia", "provider"],
    ["summary", "status=ok", "status"],
    ["summary", "api_key_id=nope", "api_key_id"],
    ["summary", "bucket=day", "bucket"],
    ["timeseries", "bucket=week", "bucket"],
    ["timeseries", "tz=Mars/Olympus", "tz"],
    ["timeseries", "from=2000-01-01T00:00:00Z&bucket=hour", "bucket"],
    ["by-tag", "modle=grok-4", "modle"],
    ["requests", "limit=0", "limit"],
    ["requests", "limit=501", "limit"],
    ["requests", "limit=ten", "limit"],
    ["requests", "cursor=abc!", "cursor"],
    ["requests", "format=xml", "format"],
    ["requests", "format=csv&limit=10", "limit"],
    ["request", "from=2026-08-01T00:00:00Z", "from"],
    ["conversations", "provider=openai", "provider"],
  ] as Array<[UsageEndpoint, string, string]>)("%s?%s → %s", async (endpoint, qs, param) => {
    const res = await call(endpoint, qs, endpoint === "request" ? { id: events[0]!.id } : {});
    expect(res.status).toBe(400);
    const b = (await body(res)) as { error: { message: string; type: string; param: string; code: string } };
    expect(b.error).toMatchObject({ type: "invalid_request_error", param });
    expect(b.error.message).toContain(param);
  });
});
