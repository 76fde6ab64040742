/**
 * PostgreSQL goes away for 30 s under load (a real outage: a TCP proxy between the app and the
 * database is cut — new connections refused, open ones reset). The API keeps serving (keys from
 * the cache, served stale past their TTL), usage events go to the spool on disk, and once the
 * database is back they are replayed: every answered request has exactly one ledger row.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { adminUrl } from "@/testing/test-database";
import { chat, checkLedger, isOpenAIError, loadLoop, startFaultApp, TcpProxy, type ChatOutcome, type FaultApp } from "@/testing/fault-harness";

const OUTAGE_MS = 30_000;

let f: FaultApp;
let proxy: TcpProxy;

beforeAll(async () => {
  const pgUrl = new URL(adminUrl);
  proxy = new TcpProxy({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) });
  const proxyPort = await proxy.start();
  f = await startFaultApp({
    appDatabaseUrl: (url) => {
      const u = new URL(url);
      u.port = String(proxyPort);
      return u.toString();
    },
    env: {
      // Keys expire from the cache during the outage: served stale, not refused.
      KEY_CACHE_TTL_MS: "2000",
      // Retry the database at least every 2 s, so the replay starts soon after it is back.
      LEDGER_RETRY_MAX_DELAY_MS: "2000",
    },
  });
}, 120_000);

afterAll(async () => {
  await f?.close();
  await proxy?.cut();
});

const spoolFiles = () => {
  try {
    return readdirSync(f.spoolDir).filter((n) => n.startsWith("ledger-"));
  } catch {
    return [];
  }
};

describe("PostgreSQL unavailable for 30 s under load", () => {
  it("keeps serving, spools the ledger to disk and replays it: zero lost, zero duplicated", async () => {
    expect((await chat(f.app, f.key, { content: "warm the key cache" })).status).toBe(200);

    type Timed = ChatOutcome & { ms: number; phase: "before" | "outage" | "after" };
    let phase: Timed["phase"] = "before";
    let stop = false;
    const load = loadLoop(4, () => stop, async (i): Promise<Timed> => {
      const started = Date.now();
      const at = phase;
      const r = await chat(f.app, f.key, { content: `request ${i} #chunks=4`, stream: i % 3 === 0 });
      await new Promise((res) => setTimeout(res, 20));
      return { ...r, ms: Date.now() - started, phase: at };
    });

    await new Promise((r) => setTimeout(r, 2_000));
    await proxy.cut();
    phase = "outage";
    const cutAt = Date.now();
    let maxSpooled = 0;
    let unknownKeyStatus = 0;
    let unknownKeyBody = "";
    while (Date.now() - cutAt < OUTAGE_MS) {
      maxSpooled = Math.max(maxSpooled, spoolFiles().length);
      if (unknownKeyStatus === 0 && Date.now() - cutAt > 5_000) {
        // A key the cache has never seen cannot be verified: 503 (retry), not a false 401.
        const r = await chat(f.app, `sy_${randomBytes(16).toString("hex")}`, { content: "who am I" });
        unknownKeyStatus = r.status;
        unknownKeyBody = r.body;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    await proxy.restore();
    phase = "after";
    await new Promise((r) => setTimeout(r, 2_000));
    stop = true;
    const outcomes = await load;

    const during = outcomes.filter((o) => o.phase === "outage");
    expect(during.length).toBeGreaterThan(100);
    // Every request was served, during the outage too, without stalling on the database.
    expect(outcomes.filter((o) => o.status !== 200).map((o) => `${o.phase} ${o.status} ${o.body.slice(0, 120)}`)).toEqual([]);
    expect(Math.max(...during.map((o) => o.ms))).toBeLessThan(3_000);
    for (const o of outcomes.filter((x) => x.events.length > 0)) expect(o.events.at(-1)).toBe("[DONE]");
    expect(unknownKeyStatus).toBe(503);
    expect(isOpenAIError(unknownKeyBody)).toBe(true);
    // The events of the outage went to the spool on disk…
    expect(maxSpooled).toBeGreaterThan(0);

    // …and all of them reached the database once it was back: exactly one row per request.
    const ids = outcomes.map((o) => o.requestId);
    const check = await checkLedger(f.sql, f.keyId, ids, 60_000);
    expect(check.missing).toEqual([]);
    expect(check.duplicated).toEqual([]);
    expect(check.rows).toBe(ids.length + 1); // + the warm-up request
    const statuses = await f.sql.query<{ status: string; n: number }>(
      "SELECT status, count(*)::int AS n FROM request_log WHERE api_key_id = $1 GROUP BY status",
      [f.keyId],
    );
    expect(statuses.rows).toEqual([{ status: "success", n: ids.length + 1 }]);
    // The replayed spool files are gone; nothing was set aside as corrupt or rejected.
    const deadline = Date.now() + 10_000;
    while (spoolFiles().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(spoolFiles()).toEqual([]);
    expect(readdirSync(f.spoolDir).filter((n) => n.endsWith(".corrupt") || n.startsWith("rejected-"))).toEqual([]);
  }, 150_000);
});
