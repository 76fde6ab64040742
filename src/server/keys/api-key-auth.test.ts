import { describe, expect, it } from "vitest";
import { ApiKeyAuthenticator, hashApiKey } from "./api-key-auth";
import type { Queryable } from "@/server/db/queryable";

/** A stand-in for the api_keys table that counts look-ups and can fail like a database that is down. */
function fakeDb(rows: Map<string, { id: string; role: "read" | "execute" | "admin"; name: string }>) {
  const state = { queries: 0, down: false };
  const db: Queryable = {
    async query<R extends Record<string, unknown>>(text: string, params?: unknown[]) {
      if (text.startsWith("UPDATE")) return { rows: [] as R[], rowCount: 0 };
      state.queries++;
      if (state.down) throw new Error("connection refused");
      const row = rows.get(params![0] as string);
      return { rows: (row ? [row] : []) as unknown as R[], rowCount: row ? 1 : 0 };
    },
  };
  return { db, state };
}

describe("ApiKeyAuthenticator", () => {
  const key = "sy_test_key_1";
  const rows = new Map([[hashApiKey(key), { id: "k1", role: "execute" as const, name: "k" }]]);

  it("looks a key up once per TTL, then serves the stale entry while re-checking in the background", async () => {
    let now = 0;
    const { db, state } = fakeDb(rows);
    const auth = new ApiKeyAuthenticator(db, { ttlMs: 1000, now: () => now });
    expect(await auth.authenticate(key)).toMatchObject({ id: "k1" });
    expect(await auth.authenticate(key)).toMatchObject({ id: "k1" });
    expect(state.queries).toBe(1);
    now = 5000;
    state.down = true; // even a dead database does not stall or fail a known key
    expect(await auth.authenticate(key)).toMatchObject({ id: "k1" });
    await new Promise((r) => setTimeout(r, 0));
    expect(state.queries).toBe(2);
  });

  it("picks up a revocation made elsewhere on the background re-check", async () => {
    let now = 0;
    const live = new Map(rows);
    const { db } = fakeDb(live);
    const auth = new ApiKeyAuthenticator(db, { ttlMs: 1000, now: () => now });
    expect(await auth.authenticate(key)).not.toBeNull();
    live.clear();
    now = 5000;
    expect(await auth.authenticate(key)).not.toBeNull(); // stale answer, re-check started
    await new Promise((r) => setTimeout(r, 0));
    expect(await auth.authenticate(key)).toBeNull();
  });

  it("answers unknown keys from the database and fails loudly when it is unreachable", async () => {
    const { db, state } = fakeDb(rows);
    const auth = new ApiKeyAuthenticator(db, { ttlMs: 1000 });
    expect(await auth.authenticate("sy_unknown")).toBeNull();
    state.down = true;
    await expect(auth.authenticate("sy_other_unknown")).rejects.toThrow("connection refused");
  });
});
