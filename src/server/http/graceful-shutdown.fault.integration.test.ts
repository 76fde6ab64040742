/**
 * SIGTERM to `npm start` under load, with streams in flight (the production server's drain,
 * shutdown.ts): no new connections are taken, every in-flight request and stream finishes within
 * SHUTDOWN_GRACE_MS, the ledger queue is flushed, the process exits 0, and every answered request
 * has exactly one row. Past the grace period, what is still running is cut and recorded as cancelled.
 */
import { afterAll, describe, expect, it } from "vitest";
import { existsSync, readdirSync } from "node:fs";
import { chat, checkLedger, loadLoop, startFaultApp, type ChatOutcome, type FaultApp } from "@/testing/fault-harness";

const apps: FaultApp[] = [];

afterAll(async () => {
  for (const f of apps) await f.close();
});

/** Starts `n` streams and resolves once all of them have their headers (they are in flight). */
async function startStreams(f: FaultApp, n: number, content: string) {
  let started = 0;
  let allStarted!: () => void;
  const inFlight = new Promise<void>((r) => (allStarted = r));
  const streams = Array.from({ length: n }, () =>
    chat(f.app, f.key, {
      content,
      stream: true,
      onHeaders: () => {
        if (++started === n) allStarted();
      },
    }).catch((e: unknown) => ({ error: String(e) })),
  );
  await inFlight;
  return streams;
}

describe("SIGTERM under load", () => {
  it("lets in-flight streams and requests finish, flushes the queue, exits 0: zero lost", async () => {
    const f = await startFaultApp({
      env: {
        SHUTDOWN_GRACE_MS: "20000",
        // Nothing is written by the timer during the test: the rows are in memory at SIGTERM.
        LEDGER_FLUSH_INTERVAL_MS: "60000",
      },
    });
    apps.push(f);
    // 20 streams of ~3 s each (30 chunks, 100 ms apart), plus steady non-streamed traffic.
    const streams = await startStreams(f, 20, "a slow answer #chunks=30 #slow=100");
    let stop = false;
    const load = loadLoop(4, () => stop, async () => {
      const r = await chat(f.app, f.key, { content: "quick one" }).catch((e: unknown) => ({ error: String(e) }));
      await new Promise((res) => setTimeout(res, 20));
      return r;
    });
    await new Promise((r) => setTimeout(r, 300));

    const signalledAt = Date.now();
    const exitCode = f.app.stop("SIGTERM");
    // New connections are refused soon after the signal.
    let refusedAt = 0;
    while (!refusedAt && Date.now() - signalledAt < 5_000) {
      const probe = await fetch(`${f.app.url}/api/ai/v1/models`, { headers: { connection: "close" } }).catch(() => null);
      if (probe === null) refusedAt = Date.now();
      else await new Promise((r) => setTimeout(r, 50));
    }
    expect(refusedAt).toBeGreaterThan(0);

    const finished = await Promise.all(streams);
    stop = true;
    const answered = (await load).filter((o): o is ChatOutcome => "status" in o);
    expect(await exitCode).toBe(0);
    const took = Date.now() - signalledAt;
    // Streams need ~3 s: the drain waited for them, and no longer than the grace period.
    expect(took).toBeGreaterThan(2_000);
    expect(took).toBeLessThan(20_000);

    // Every stream finished completely.
    for (const s of finished) {
      expect(s).toHaveProperty("status", 200);
      const events = (s as ChatOutcome).events;
      expect(events.at(-1)).toBe("[DONE]");
      expect(events.filter((e) => e.includes('"content"')).length).toBeGreaterThanOrEqual(30);
    }
    expect(answered.length).toBeGreaterThan(10);
    expect(answered.filter((o) => o.status !== 200)).toEqual([]);

    // The queue was flushed before the exit: one row per answered request and stream.
    const ids = [...finished.map((s) => (s as ChatOutcome).requestId), ...answered.map((o) => o.requestId)];
    const check = await checkLedger(f.sql, f.keyId, ids, 5_000);
    expect(check.missing).toEqual([]);
    expect(check.duplicated).toEqual([]);
    expect(check.rows).toBe(ids.length);
    const streamed = await f.sql.query<{ status: string; n: number }>(
      "SELECT status, count(*)::int AS n FROM request_log WHERE api_key_id = $1 AND streamed GROUP BY status",
      [f.keyId],
    );
    expect(streamed.rows).toEqual([{ status: "success", n: 20 }]);
    // Flushed to the database itself, not left in the spool.
    expect(existsSync(f.spoolDir) ? readdirSync(f.spoolDir).filter((n) => n.startsWith("ledger-")) : []).toEqual([]);
    expect(f.app.output()).toMatch(/draining 2\d in-flight request/);
  }, 90_000);

  it("cuts what is still running when the grace period is over, records it as cancelled, exits 0", async () => {
    const f = await startFaultApp({ env: { SHUTDOWN_GRACE_MS: "1500", LEDGER_FLUSH_INTERVAL_MS: "60000" } });
    apps.push(f);
    // ~20 s streams: far longer than the grace period.
    const streams = await startStreams(f, 5, "a very long answer #chunks=200 #slow=100");
    const signalledAt = Date.now();
    expect(await f.app.stop("SIGTERM")).toBe(0);
    const took = Date.now() - signalledAt;
    expect(took).toBeGreaterThanOrEqual(1_400);
    expect(took).toBeLessThan(8_000);

    const cut = await Promise.all(streams);
    const ids: string[] = [];
    for (const s of cut) {
      // The connection was closed mid-stream: no [DONE].
      if ("events" in s) {
        expect(s.events.at(-1)).not.toBe("[DONE]");
        ids.push(s.requestId);
      }
    }
    const rows = await f.sql.query<{ status: string; http_status: number; streamed: boolean }>(
      "SELECT status, http_status, streamed FROM request_log WHERE api_key_id = $1",
      [f.keyId],
    );
    expect(rows.rows).toHaveLength(5);
    for (const r of rows.rows) expect(r).toEqual({ status: "cancelled", http_status: 499, streamed: true });
    if (ids.length > 0) expect((await checkLedger(f.sql, f.keyId, ids, 1_000)).missing).toEqual([]);
    expect(f.app.output()).toMatch(/grace period over: cutting 5 request/);
  }, 60_000);
});
