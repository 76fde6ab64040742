/**
 * The ledger's in-process queue is bounded (LEDGER_QUEUE_CAPACITY). Its documented full-queue
 * policy (ledger-writer.ts): an event that finds the queue full is appended to the spool on disk
 * at once, then replayed into the database — never dropped, never blocking the request. End to end
 * with a queue of 5 events and a burst of requests much larger than that.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, readdirSync, watch } from "node:fs";
import { chat, checkLedger, startFaultApp, type ChatOutcome, type FaultApp } from "@/testing/fault-harness";

let f: FaultApp;

beforeAll(async () => {
  f = await startFaultApp({
    env: {
      LEDGER_QUEUE_CAPACITY: "5",
      // The queue is only written every 2 s and never by size: a burst overflows it.
      LEDGER_FLUSH_INTERVAL_MS: "2000",
      LEDGER_BATCH_SIZE: "1000",
    },
  });
}, 120_000);

afterAll(async () => {
  await f?.close();
});

describe("a full ledger queue", () => {
  it("spools the overflow to disk and replays it: every request has exactly one row", async () => {
    mkdirSync(f.spoolDir, { recursive: true });
    // Spool files come and go quickly (replayed at once): watch the directory rather than poll it.
    const created = new Set<string>();
    const watcher = watch(f.spoolDir, (_event, name) => {
      if (name?.startsWith("ledger-")) created.add(name.replace(/\.open$/, ""));
    });
    const outcomes: ChatOutcome[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < 400) {
          const i = next++;
          outcomes.push(await chat(f.app, f.key, { content: `burst ${i}`, stream: i % 4 === 0 }));
        }
      }),
    );
    expect(outcomes.filter((o) => o.status !== 200)).toEqual([]);

    const ids = outcomes.map((o) => o.requestId);
    const check = await checkLedger(f.sql, f.keyId, ids, 30_000);
    watcher.close();
    expect(check.missing).toEqual([]);
    expect(check.duplicated).toEqual([]);
    expect(check.rows).toBe(ids.length);
    // The overflow really went through the spool…
    expect(created.size).toBeGreaterThan(0);
    // …and nothing is left there once replayed.
    const deadline = Date.now() + 10_000;
    const left = () => readdirSync(f.spoolDir).filter((n) => n.startsWith("ledger-"));
    while (left().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(left()).toEqual([]);
  }, 120_000);
});
