import {
  closeSync,
  createReadStream,
  fdatasyncSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { ledgerRowSchema, type LedgerRow } from "./ledger-row";

/**
 * Append-only spool for ledger rows the database could not take. One JSON object per line
 * (LedgerRow plus a format version `v`), so a row survives a crash as soon as its line is written.
 *
 * Files: the process appends to `ledger-<time>-<pid>-<seq>.jsonl.open`; it is sealed (renamed to
 * `.jsonl`) when it reaches `maxFileBytes`, when a replay starts, and on close. Replay reads sealed
 * files, plus `.open` files whose process is gone (a crash), oldest first, and deletes a file only
 * after every row of it was committed. Lines that are not valid rows (the torn last line of a
 * crash) go to `<file>.corrupt`; rows the database refuses as data go to `rejected-*.jsonl`. Neither
 * is replayed; both are kept for a person to look at.
 *
 * Writes are synchronous: appends are rare (database down, or queue full), and a synchronous
 * append cannot interleave with sealing or replay in this single-threaded process.
 */
export interface SpoolOptions {
  dir: string;
  /** Seal the active file past this size; default 64 MiB. */
  maxFileBytes?: number;
  /** Delay of the coalesced fsync for appends made with `durability: "soon"`; default 100 ms. */
  syncDelayMs?: number;
}

export interface ReplayResult {
  files: number;
  rows: number;
  corruptLines: number;
}

const FORMAT_VERSION = 1;
/** Active files of every Spool in this process: never replayed from under their writer. */
const activeInProcess = new Set<string>();
const ACTIVE_SUFFIX = ".jsonl.open";
const SEALED_SUFFIX = ".jsonl";

export class Spool {
  readonly dir: string;
  private readonly maxFileBytes: number;
  private readonly syncDelayMs: number;
  private active: { fd: number; path: string; bytes: number } | null = null;
  private seq = 0;
  private syncTimer: NodeJS.Timeout | null = null;
  /** False only after a replay found nothing left; cheap "should we replay?" check. */
  private maybePending = true;

  constructor(options: SpoolOptions) {
    this.dir = path.resolve(options.dir);
    this.maxFileBytes = options.maxFileBytes ?? 64 * 1024 * 1024;
    this.syncDelayMs = options.syncDelayMs ?? 100;
  }

  get hasPending(): boolean {
    return this.maybePending;
  }

  /**
   * Appends rows with one write. `durability: "now"` (default) fsyncs before returning: the batch
   * path. `"soon"` leaves the fsync to a timer shared by all appends within `syncDelayMs`: the
   * queue-full path, where one fsync per event would throttle the whole process. Throws when the
   * disk refuses the write.
   */
  append(rows: readonly LedgerRow[], durability: "now" | "soon" = "now"): void {
    if (rows.length === 0) return;
    let data = "";
    for (const row of rows) data += JSON.stringify({ v: FORMAT_VERSION, ...row }) + "\n";
    const file = this.activeFile();
    writeFully(file.fd, Buffer.from(data, "utf8"));
    file.bytes += Buffer.byteLength(data, "utf8");
    this.maybePending = true;
    if (durability === "now") {
      fdatasyncSync(file.fd);
      if (file.bytes >= this.maxFileBytes) this.seal();
    } else {
      this.syncTimer ??= setTimeout(() => this.syncActive(), this.syncDelayMs);
      this.syncTimer.unref?.();
    }
  }

  /** Keeps rows the database refused as data, out of the replay path, for inspection. */
  reject(rows: readonly LedgerRow[], reason: string): void {
    mkdirSync(this.dir, { recursive: true });
    const name = path.join(this.dir, `rejected-${fileStamp()}-${process.pid}.jsonl`);
    const fd = openSync(name, "a");
    try {
      const data = rows.map((r) => JSON.stringify({ v: FORMAT_VERSION, reason, ...r })).join("\n") + "\n";
      writeFully(fd, Buffer.from(data, "utf8"));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Replays every pending file through `write` (which must commit the rows or throw), `batchSize`
   * rows at a time. Stops at the first failure, keeping that file (rows already committed from it
   * are skipped next time by ON CONFLICT). `shouldStop` is checked between batches.
   */
  async replay(
    write: (rows: LedgerRow[]) => Promise<void>,
    options: { batchSize: number; shouldStop?: () => boolean },
  ): Promise<ReplayResult> {
    this.seal();
    const result: ReplayResult = { files: 0, rows: 0, corruptLines: 0 };
    const files = this.pendingFiles();
    for (const file of files) {
      if (options.shouldStop?.()) return result;
      const corrupt: string[] = [];
      let batch: LedgerRow[] = [];
      const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
      try {
        // (ENOENT here: another process replayed and removed the file meanwhile.)
        for await (const line of lines) {
          if (line.trim() === "") continue;
          const row = decodeLine(line);
          if (row === null) {
            corrupt.push(line);
            continue;
          }
          batch.push(row);
          if (batch.length >= options.batchSize) {
            await write(batch);
            result.rows += batch.length;
            batch = [];
            if (options.shouldStop?.()) return result;
          }
        }
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw err;
      } finally {
        lines.close();
      }
      if (batch.length > 0) {
        await write(batch);
        result.rows += batch.length;
      }
      if (corrupt.length > 0) {
        const fd = openSync(`${file}.corrupt`, "a");
        try {
          writeFully(fd, Buffer.from(corrupt.join("\n") + "\n", "utf8"));
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        result.corruptLines += corrupt.length;
      }
      unlinkIfExists(file); // another process may have replayed and removed it meanwhile
      result.files++;
    }
    this.maybePending = this.active !== null || this.pendingFiles().length > 0;
    return result;
  }

  /** Flushes and seals the active file (appends after this open a new one). */
  close(): void {
    this.seal();
  }

  /** Sealed files and orphaned active files of dead processes, oldest first. */
  pendingFiles(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw err;
    }
    return names
      .filter((n) => n.startsWith("ledger-"))
      .filter((n) => {
        if (n.endsWith(SEALED_SUFFIX)) return true;
        if (!n.endsWith(ACTIVE_SUFFIX)) return false;
        if (activeInProcess.has(path.join(this.dir, n))) return false;
        const pid = Number.parseInt(n.split("-")[2] ?? "", 10);
        // A crashed process's file, or one left by an earlier process that had our pid.
        return pid === process.pid || !isAlive(pid);
      })
      .sort()
      .map((n) => path.join(this.dir, n));
  }

  private activeFile(): { fd: number; path: string; bytes: number } {
    if (this.active) return this.active;
    mkdirSync(this.dir, { recursive: true });
    const name = `ledger-${fileStamp()}-${process.pid}-${String(this.seq++).padStart(6, "0")}${ACTIVE_SUFFIX}`;
    const file = path.join(this.dir, name);
    const fd = openSync(file, "a");
    syncDir(this.dir); // the new directory entry must survive a power loss too
    this.active = { fd, path: file, bytes: 0 };
    activeInProcess.add(file);
    return this.active;
  }

  private syncActive(): void {
    this.syncTimer = null;
    if (!this.active) return;
    try {
      fdatasyncSync(this.active.fd);
    } catch {
      // Reported by the next append, which fails the same way.
    }
  }

  private seal(): void {
    if (this.syncTimer) {
      clearTimeout(this.syncTimer);
      this.syncTimer = null;
    }
    const file = this.active;
    if (!file) return;
    this.active = null;
    activeInProcess.delete(file.path);
    try {
      fdatasyncSync(file.fd);
    } finally {
      closeSync(file.fd);
    }
    renameSync(file.path, file.path.slice(0, -ACTIVE_SUFFIX.length) + SEALED_SUFFIX);
    syncDir(this.dir);
  }
}

function decodeLine(line: string): LedgerRow | null {
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== "object" || parsed === null || (parsed as { v?: unknown }).v !== FORMAT_VERSION) return null;
    const { v: _version, ...row } = parsed as Record<string, unknown>;
    const result = ledgerRowSchema.safeParse(row);
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

function writeFully(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

function syncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Some filesystems do not support fsync on directories; the file data itself is synced.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function unlinkIfExists(file: string): void {
  try {
    unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}

/** Sortable UTC timestamp for file names: 20261204T101500123Z. */
function fileStamp(): string {
  return new Date().toISOString().replace(/[-:.]/g, "");
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
