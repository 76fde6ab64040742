import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";
import { applyRetention } from "./retention";

let db: TestDatabase;
let client: pg.Client;

async function insertRow(createdAt: string): Promise<void> {
  await client.query(
    `INSERT INTO request_log (id, created_at, endpoint, model, status, http_status, streamed, byok, input_tokens, cached_input_tokens,
       cache_write_tokens, output_tokens, reasoning_tokens, pricing_status, latency_ms, request_id)
     VALUES (gen_random_uuid(), $1, 'chat', 'gpt-4.1-nano', 'success', 200, false, false, 1, 0, 0, 1, 0, 'priced', 5, 'req')`,
    [createdAt],
  );
}

beforeAll(async () => {
  db = await createTestDatabase("sy_retention");
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

describe("ledger retention", () => {
  it("keeps everything at 0 and deletes only raw rows older than N days in bounded batches", async () => {
    const now = new Date("2026-12-04T12:00:00Z");
    for (let d = 0; d < 25; d++) await insertRow(new Date(now.getTime() - d * 86_400_000 - 1000).toISOString());
    await client.query(
      `INSERT INTO usage_hourly (bucket, api_key_id, provider, model, status, tags_key, requests) VALUES ($1, '00000000-0000-0000-0000-000000000000', 'openai', 'gpt-4.1-nano', 'success', '', 25)`,
      [new Date(now.getTime() - 20 * 86_400_000).toISOString()],
    );
    expect(await applyRetention(client, 0, now)).toEqual({ mode: "off", deletedRows: 0 });
    expect((await client.query(`SELECT count(*)::int AS n FROM request_log`)).rows[0].n).toBe(25);

    // Rows 10..24 days old go (15 rows), in batches of 4.
    expect(await applyRetention(client, 10, now, 4)).toEqual({ mode: "delete", deletedRows: 15 });
    const left = await client.query<{ oldest: Date; n: number }>(`SELECT min(created_at) AS oldest, count(*)::int AS n FROM request_log`);
    expect(left.rows[0]!.n).toBe(10);
    expect(now.getTime() - left.rows[0]!.oldest.getTime()).toBeLessThan(10 * 86_400_000);
    // Rollups are kept: the dashboard's history survives raw retention.
    expect((await client.query(`SELECT sum(requests)::int AS n FROM usage_hourly`)).rows[0].n).toBe(25);
  });
});
