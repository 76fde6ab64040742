import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { toLedgerRow, type LedgerRow } from "./ledger-row";
import { Spool } from "./spool";
import { randomEvents } from "./test-usage-events";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "sy-spool-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const rows = (n: number, seed = 1): LedgerRow[] => randomEvents(n, seed).map(toLedgerRow);

async function collect(spool: Spool, batchSize = 100): Promise<{ batches: LedgerRow[][]; result: Awaited<ReturnType<Spool["replay"]>> }> {
  const batches: LedgerRow[][] = [];
  const result = await spool.replay(async (b) => void batches.push(b), { batchSize });
  return { batches, result };
}

describe("Spool", () => {
  it("writes each append durably at once and replays every row exactly as appended, then deletes the files", async () => {
    const spool = new Spool({ dir });
    const a = rows(250, 1);
    const b = rows(3, 2);
    spool.append(a);
    spool.append(b, "soon");
    // Synchronous: the lines are in the file before append returns.
    const [file] = readdirSync(dir);
    expect(file).toMatch(/^ledger-\d{8}T\d{9}Z-\d+-000000\.jsonl\.open$/);
    expect(readFileSync(path.join(dir, file!), "utf8").trim().split("\n")).toHaveLength(253);

    const { batches, result } = await collect(spool);
    expect(batches.map((x) => x.length)).toEqual([100, 100, 53]);
    expect(batches.flat()).toEqual([...a, ...b]);
    expect(result).toEqual({ files: 1, rows: 253, corruptLines: 0 });
    expect(readdirSync(dir)).toEqual([]);
    expect(spool.hasPending).toBe(false);
  });

  it("keeps a file whose replay failed and delivers all of it again next time", async () => {
    const spool = new Spool({ dir });
    const all = rows(30);
    spool.append(all);
    let calls = 0;
    await expect(
      spool.replay(
        async () => {
          if (++calls === 2) throw new Error("database down");
        },
        { batchSize: 10 },
      ),
    ).rejects.toThrow("database down");
    expect(readdirSync(dir)).toHaveLength(1);
    expect(spool.hasPending).toBe(true);
    const { batches } = await collect(spool, 10);
    expect(batches.flat()).toEqual(all); // the first 10 again too: the database skips them (ON CONFLICT)
    expect(readdirSync(dir)).toEqual([]);
  });

  it("sets aside unreadable lines (a torn last line after a crash) and replays the rest", async () => {
    const spool = new Spool({ dir });
    const all = rows(5);
    spool.append(all);
    spool.close();
    const [sealed] = readdirSync(dir);
    expect(sealed).toMatch(/\.jsonl$/);
    appendFileSync(path.join(dir, sealed!), '{"v":1,"id":"trunc');
    const { batches, result } = await collect(spool);
    expect(batches.flat()).toEqual(all);
    expect(result.corruptLines).toBe(1);
    expect(readdirSync(dir)).toEqual([`${sealed}.corrupt`]);
    expect(readFileSync(path.join(dir, `${sealed}.corrupt`), "utf8")).toBe('{"v":1,"id":"trunc\n');
  });

  it("replays the open file of a crashed process but not that of a live one", async () => {
    const line = JSON.stringify({ v: 1, ...rows(1)[0] }) + "\n";
    // pid 2^22+1 is above Linux's pid_max default: no such process.
    writeFileSync(path.join(dir, "ledger-20261201T000000000Z-4194305-000000.jsonl.open"), line);
    // pid 1 always exists.
    writeFileSync(path.join(dir, "ledger-20261201T000000000Z-1-000000.jsonl.open"), line);
    const { batches } = await collect(new Spool({ dir }));
    expect(batches.flat()).toHaveLength(1);
    expect(readdirSync(dir)).toEqual(["ledger-20261201T000000000Z-1-000000.jsonl.open"]);
  });

  it("rotates to a new file past maxFileBytes and replays the files oldest first", async () => {
    const spool = new Spool({ dir, maxFileBytes: 2_000 });
    const all = rows(20);
    for (const r of all) spool.append([r]);
    expect(readdirSync(dir).length).toBeGreaterThan(3);
    const { batches } = await collect(spool, 7);
    expect(batches.flat()).toEqual(all);
  });

  it("keeps rejected rows out of the replay", async () => {
    const spool = new Spool({ dir });
    spool.reject(rows(2), "violates check constraint");
    const { batches } = await collect(spool);
    expect(batches).toEqual([]);
    const [file] = readdirSync(dir);
    expect(file).toMatch(/^rejected-/);
    const lines = readFileSync(path.join(dir, file!), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.reason)).toEqual(["violates check constraint", "violates check constraint"]);
  });

  it("throws from append when the directory cannot be created, so the caller can count the loss", () => {
    const file = path.join(dir, "not-a-dir");
    writeFileSync(file, "");
    const spool = new Spool({ dir: path.join(file, "spool") });
    expect(() => spool.append(rows(1))).toThrow(/ENOTDIR|EEXIST/);
    expect(existsSync(path.join(file, "spool"))).toBe(false);
  });
});
