import type pg from "pg";
import type { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UsageEvent } from "@/gateway/usage-event";
import type { Queryable } from "@/server/db/queryable";
import { createPool } from "@/server/db/pool";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";
import { encodeCursor } from "./cursor";
import { exportRequestsCsv } from "./export-requests-csv";
import { getConversation } from "./get-conversation";
import { getRequest } from "./get-request";
import { listConversations } from "./list-conversations";
import { listRequests, type listRequestsInput } from "./list-requests";
import { LEDGER_COLUMNS } from "./request-row";
import { API_KEYS, makeEvents, seedLedger } from "./usage-seed.test-helper";
import { expectHourlyProviderRollup, oracleWhere, type OracleFilter } from "./usage-oracle.test-helper";

const START = new Date("2026-05-01T00:00:00Z");
const END = new Date("2026-05-08T00:00:00Z");
const ALL = { from: START, to: END };

let db: TestDatabase;
let pool: pg.Pool;
let events: UsageEvent[];

beforeAll(async () => {
  db = await createTestDatabase("sy_usage");
  pool = createPool(db.url, { max: 4 });
  events = makeEvents({ seed: 11, count: 700, start: START, end: END, conversations: 30 });
  await seedLedger(pool, events, 128);
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** Ids of request_log rows for a filter, newest first (ties by id), computed directly. */
async function expectedIds(f: OracleFilter): Promise<string[]> {
  const params: unknown[] = [];
  const res = await pool.query<{ id: string }>(`SELECT id FROM request_log WHERE ${oracleWhere(f, params)} ORDER BY created_at DESC, id DESC`, params);
  return res.rows.map((r) => r.id);
}

type ListFilter = Omit<z.input<typeof listRequestsInput>, "cursor" | "limit">;

describe("the ledger behind the lists", () => {
  it("kept usage_hourly_provider equal to request_log's aggregates, batch after batch", async () => {
    await expectHourlyProviderRollup(pool);
  });
});

describe("listRequests", () => {
  it("the seed has created_at ties, so paging has to break them", async () => {
    const res = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT created_at FROM request_log GROUP BY 1 HAVING count(*) > 1) t`);
    expect(res.rows[0]!.n).toBeGreaterThan(5);
  });

  it.each([
    ["everything", {}],
    ["one model", { model: ["grok-4"] }],
    ["one api key", { apiKeyId: [API_KEYS[2].id] }],
    ["two tags (all of)", { tags: ["env:prod", "team:web"] }],
    ["errors of two providers", { status: ["error"], provider: ["openai", "anthropic"] }],
    ["one conversation", { conversationId: "conv-3" }],
    ["a narrow window", { from: new Date("2026-05-03T10:00:00Z"), to: new Date("2026-05-03T11:30:00Z") }],
  ] as Array<[string, ListFilter]>)("cursor paging visits every row exactly once, newest first (%s)", async (_, filter) => {
    const f = { ...ALL, ...filter } as OracleFilter & ListFilter;
    const want = await expectedIds(f);
    expect(want.length).toBeGreaterThan(0);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listRequests(pool, { ...f, cursor, limit: 37 });
      expect(page.rows.length).toBeLessThanOrEqual(37);
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
      if (cursor) expect(page.rows).toHaveLength(37);
      pages++;
    } while (cursor && pages < 100);
    expect(seen).toEqual(want);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("breaks created_at ties by id when a page ends inside a tie", async () => {
    const ties = await pool.query<{ at: Date }>(`SELECT created_at AS at FROM request_log GROUP BY 1 HAVING count(*) > 1 ORDER BY count(*) DESC, 1 LIMIT 3`);
    for (const { at } of ties.rows) {
      const window = { from: new Date(at.getTime() - 600_000), to: new Date(at.getTime() + 600_000) };
      const want = await expectedIds(window);
      for (const limit of [1, 2]) {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await listRequests(pool, { ...window, cursor, limit });
          seen.push(...page.rows.map((r) => r.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor && seen.length <= want.length);
        expect(seen).toEqual(want);
      }
    }
  });

  it("returns rows with exact money and ledger values", async () => {
    const page = await listRequests(pool, { ...ALL, limit: 500 });
    expect(page.rows).toHaveLength(500);
    const byId = new Map(events.map((e) => [e.id, e]));
    for (const r of page.rows) {
      const e = byId.get(r.id)!;
      expect(r.createdAt).toEqual(e.createdAt);
      expect(r.costNanoUsd).toBe(e.costNanoUsd === null ? null : e.costNanoUsd.toString());
      if (e.costNanoUsd !== null) expect(BigInt(r.costUsd!.replace(".", ""))).toBe(e.costNanoUsd);
      expect(r.tags).toEqual(e.tags);
      expect([r.model, r.provider, r.status, r.inputTokens, r.latencyMs, r.ttftMs, r.conversationId]).toEqual([
        e.model,
        e.provider,
        e.status,
        e.inputTokens,
        e.latencyMs,
        e.ttftMs,
        e.conversationId,
      ]);
    }
  });

  it("defaults to 50 rows, caps at 500, and rejects foreign cursors", async () => {
    expect((await listRequests(pool, ALL)).rows).toHaveLength(50);
    await expect(listRequests(pool, { ...ALL, limit: 501 })).rejects.toThrow();
    await expect(listRequests(pool, { ...ALL, cursor: "not-a-cursor!" })).rejects.toThrow(/cursor/);
    // A conversation cursor (tie-break is not a row id) is not a request cursor.
    await expect(listRequests(pool, { ...ALL, cursor: encodeCursor(START, "conv-1") })).rejects.toThrow(/cursor/);
  });
});

describe("getRequest", () => {
  it("returns the detail, with the error message and payloads, with or without created_at", async () => {
    const failed = events.find((e) => e.status === "error" && e.errorMessage !== null)!;
    const withBody = events.find((e) => e.requestBody !== undefined)!;
    const a = await getRequest(pool, { id: failed.id, createdAt: failed.createdAt });
    expect(a).toMatchObject({ id: failed.id, errorMessage: failed.errorMessage, upstreamStatus: failed.upstreamStatus, byok: failed.byok });
    expect(await getRequest(pool, { id: failed.id })).toEqual(a);
    const b = await getRequest(pool, { id: withBody.id, createdAt: withBody.createdAt.toISOString() });
    expect(b?.requestBody).toEqual(withBody.requestBody);
    expect(b?.responseBody).toEqual(withBody.responseBody);
    expect((await getRequest(pool, { id: failed.id }))?.requestBody).toBe(failed.requestBody ?? null);
  });

  it("returns null for an unknown id or a wrong created_at", async () => {
    const e = events[0]!;
    expect(await getRequest(pool, { id: "00000000-0000-4000-8000-000000000000" })).toBeNull();
    expect(await getRequest(pool, { id: e.id, createdAt: new Date(e.createdAt.getTime() + 1) })).toBeNull();
  });
});

describe("exportRequestsCsv", () => {
  it("streams a header and one line per row, page by page", async () => {
    const filter = { ...ALL, status: ["success" as const] };
    const want = await expectedIds(filter);
    const chunks: string[] = [];
    for await (const chunk of exportRequestsCsv(pool, filter, { pageSize: 64 })) chunks.push(chunk);
    const lines = chunks.join("").split("\n");
    expect(lines.pop()).toBe("");
    expect(lines[0]).toBe(LEDGER_COLUMNS.join(","));
    expect(lines).toHaveLength(want.length + 1);
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(want);
    // One chunk per page plus the header: never the whole result in one piece.
    expect(chunks.length).toBe(1 + Math.ceil(want.length / 64));
    const row = lines[1]!.split(",");
    const cell = (name: (typeof LEDGER_COLUMNS)[number]) => row[LEDGER_COLUMNS.indexOf(name)];
    const e = events.find((x) => x.id === want[0])!;
    expect(cell("created_at")).toBe(e.createdAt.toISOString());
    expect(cell("cost_nano_usd")).toBe(e.costNanoUsd === null ? "" : e.costNanoUsd.toString());
    expect(cell("streamed")).toBe(String(e.streamed));
    expect(cell("tags")).toBe(e.tags.join(";"));
  });

  it("reads the next page only when the consumer asks for it", async () => {
    const queries: string[] = [];
    const counting: Queryable = {
      query: (text, params) => {
        queries.push(text);
        return pool.query(text, params) as never;
      },
    };
    const it = exportRequestsCsv(counting, ALL, { pageSize: 10 });
    await it.next(); // header
    await it.next(); // first page
    expect(queries).toHaveLength(1);
    await it.return();
  });
});

describe("conversations", () => {
  async function expectedConversations(f: { from: Date; to: Date }) {
    const res = await pool.query<{ conversation_id: string; first_at: Date; last_at: Date; requests: number; cost: string; models: string[]; tags: string[] }>(
      `SELECT conversation_id, min(created_at) AS first_at, max(created_at) AS last_at, count(*)::int AS requests,
              COALESCE(sum(cost_nano_usd), 0)::text AS cost, array_agg(DISTINCT model ORDER BY model) AS models,
              ARRAY(SELECT DISTINCT t FROM request_log r2, unnest(r2.tags) t WHERE r2.conversation_id = r.conversation_id ORDER BY t) AS tags
         FROM request_log r WHERE conversation_id IS NOT NULL
        GROUP BY conversation_id
       HAVING max(created_at) >= $1 AND min(created_at) < $2
        ORDER BY max(created_at) DESC, conversation_id DESC`,
      [f.from, f.to],
    );
    return res.rows;
  }

  it("lists conversations active in the range, most recent first, paged, with request_log's numbers", async () => {
    const range = { from: new Date("2026-05-07T00:00:00Z"), to: END };
    const want = await expectedConversations(range);
    expect(want.length).toBeGreaterThan(10);
    const seen: Array<Awaited<ReturnType<typeof listConversations>>["rows"][number]> = [];
    let cursor: string | undefined;
    do {
      const page = await listConversations(pool, { ...range, cursor, limit: 4 });
      seen.push(...page.rows);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.map((c) => c.conversationId)).toEqual(want.map((c) => c.conversation_id));
    for (const [i, c] of seen.entries()) {
      const w = want[i]!;
      expect([c.firstAt, c.lastAt, c.requests, c.costNanoUsd, c.models, c.tags]).toEqual([w.first_at, w.last_at, w.requests, w.cost, w.models, w.tags]);
    }
  });

  it("a range ending in the past lists the conversations still active at its end first, then those that ended in it", async () => {
    const range = { from: new Date("2026-05-05T00:00:00Z"), to: new Date("2026-05-07T12:00:00Z") };
    const want = await expectedConversations(range);
    // Both parts of the query are exercised: conversations spanning `to`, and ones ending before it.
    expect(want.filter((c) => c.last_at.getTime() >= range.to.getTime()).length).toBeGreaterThan(0);
    expect(want.filter((c) => c.last_at.getTime() < range.to.getTime()).length).toBeGreaterThan(0);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listConversations(pool, { ...range, cursor, limit: 3 });
      seen.push(...page.rows.map((c) => c.conversationId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(want.map((c) => c.conversation_id));
  });

  it("filters by model (any) and tags (all, across the conversation's requests)", async () => {
    const want = (await expectedConversations(ALL)).filter((c) => c.models.includes("grok-4") && c.tags.includes("beta") && c.tags.includes("team:ml"));
    expect(want.length).toBeGreaterThan(0);
    const got = await listConversations(pool, { ...ALL, model: ["grok-4"], tags: ["beta", "team:ml"], limit: 200 });
    expect(got.rows.map((c) => c.conversationId)).toEqual(want.map((c) => c.conversation_id));
    expect(got.nextCursor).toBeNull();
  });

  it("returns a conversation with its requests in order, paged", async () => {
    const want = (await pool.query<{ id: string }>(`SELECT id FROM request_log WHERE conversation_id = 'conv-5' ORDER BY created_at, id`)).rows.map((r) => r.id);
    expect(want.length).toBeGreaterThan(8);
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await getConversation(pool, { conversationId: "conv-5", cursor, limit: 3 });
      expect(page?.conversation.requests).toBe(want.length);
      ids.push(...page!.requests.map((r) => r.id));
      cursor = page!.nextCursor ?? undefined;
    } while (cursor);
    expect(ids).toEqual(want);
    expect(await getConversation(pool, { conversationId: "no-such-conversation" })).toBeNull();
  });
});
