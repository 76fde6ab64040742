import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";
import { LATENCY_BUCKET_COUNT, LATENCY_BUCKET_LOWER_BOUNDS_MS, addLatencyHistograms, latencyBucket } from "./latency-histogram";

describe("the SQL histogram helpers agree with latency-histogram.ts", () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it("ledger_latency_bucket puts every latency in the same bucket as latencyBucket", async () => {
    const samples = new Set<number>([0, 1, 2, 2_147_483_647]);
    for (const b of LATENCY_BUCKET_LOWER_BOUNDS_MS) [b - 1, b, b + 1].forEach((x) => samples.add(x));
    for (let x = 0; x < 400_000; x += 997) samples.add(x);
    const values = [...samples];
    const { rows } = await client.query<{ ms: number; b: number }>(
      `SELECT ms, "ledger_latency_bucket"(ms) AS b FROM unnest($1::int[]) AS ms`,
      [values],
    );
    expect(rows.length).toBe(values.length);
    for (const r of rows) expect(r.b, `latency ${r.ms} ms`).toBe(latencyBucket(r.ms));
    expect(Math.max(...rows.map((r) => r.b))).toBe(LATENCY_BUCKET_COUNT - 1);
  });

  it("builds one-hot histograms and sums them element-wise, shorter arrays counting as zeros", async () => {
    const one = await client.query<{ h: number[] }>(`SELECT "ledger_latency_hist_one"(120) AS h`);
    const expected = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
    expected[latencyBucket(120)] = 1;
    expect(one.rows[0]?.h).toEqual(expected);

    const add = await client.query<{ h: number[] }>(`SELECT "ledger_hist_add"('{1,2}', '{3,4,5}') AS h`);
    expect(add.rows[0]?.h).toEqual(addLatencyHistograms([1, 2], [3, 4, 5]));

    const sum = await client.query<{ h: number[] }>(
      `SELECT "ledger_hist_sum"("ledger_latency_hist_one"(ms)) AS h FROM unnest('{0,5,5,1000,999999}'::int[]) AS ms`,
    );
    const tally = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
    for (const ms of [0, 5, 5, 1000, 999999]) tally[latencyBucket(ms)]!++;
    expect(sum.rows[0]?.h).toEqual(tally);
  });

  it("ledger_array_union merges arrays as a sorted set without NULLs", async () => {
    const { rows } = await client.query<{ u: string[] }>(`SELECT "ledger_array_union"('{b,a}'::text[], '{c,a,NULL}'::text[]) AS u`);
    expect(rows[0]?.u).toEqual(["a", "b", "c"]);
  });
});
