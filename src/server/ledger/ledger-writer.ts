import type { UsageEvent, UsageRecorder } from "@/gateway/usage-event";
import type { Queryable } from "@/server/db/queryable";
import { INSERT_BATCH_SQL, batchParams } from "./ledger-sql";
import { toLedgerRow, type LedgerRow } from "./ledger-row";
import { Spool } from "./spool";

/**
 * The usage recorder behind the gateway: `record()` only normalises the event and queues it; rows
 * reach PostgreSQL in batches, off the request path, one statement per batch (ledger-sql.ts).
 *
 * Where an event can go, in order of preference:
 * 1. the in-memory queue (bounded by `capacity`), written when `batchSize` rows are waiting or every
 *    `flushIntervalMs`;
 * 2. the spool (spool.ts) when a batch cannot be written (database down or timing out): the batch
 *    is appended and fsynced, and replayed later, on a timer with exponential backoff and at start.
 *    After a failure the writer does not try the database again until the backoff has passed:
 *    batches go straight to the spool, so a dead database costs no connection timeouts per batch;
 * 3. FULL-QUEUE POLICY: when the queue is full (the database is slower than the traffic), `record()`
 *    appends the event to the spool synchronously instead of dropping it (durable against a
 *    process crash at once; the fsync of such appends is coalesced over ~100 ms, as one fsync per
 *    event would throttle the process exactly when it is overloaded);
 * 4. only when the spool append fails too (disk full, read-only, permissions) is the event lost:
 *    counted in `stats().dropped` and logged at most once per second.
 * Rows the database refuses as data (cannot happen for normalised rows, kept as a guard) are
 * isolated row by row so the rest of their batch is written; the refused ones go to a `rejected-*`
 * file in the spool directory (`stats().rejected`).
 * Every write is idempotent (ON CONFLICT on (created_at, id)), so a batch that timed out on our side
 * but committed on the server, then was spooled and replayed, is not counted twice.
 */
export interface LedgerWriterOptions {
  pool: Queryable;
  spoolDir: string;
  /** Queued events before the full-queue policy applies; default 50 000. */
  capacity?: number;
  /** Rows per INSERT; default 500. */
  batchSize?: number;
  /** Longest time an event waits in the queue; default 250 ms. */
  flushIntervalMs?: number;
  /** A batch not committed by then is spooled (and deduplicated on replay); default 30 s. */
  writeTimeoutMs?: number;
  /** First retry delay after a database failure, doubled per failure up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  log?: (message: string) => void;
}

export interface LedgerWriterStats {
  /** Events waiting in memory. */
  queued: number;
  /** Rows inserted from the queue. */
  written: number;
  /** Events appended to the spool (failed batches and full-queue overflow). */
  spooled: number;
  /** Rows inserted by spool replays. */
  replayed: number;
  /** Events that were already in the ledger (replays after a write that did commit). */
  duplicates: number;
  /** Rows the database refused as data, kept in a rejected-* spool file. */
  rejected: number;
  /** Events lost: the queue was full and the spool failed. */
  dropped: number;
  lastError: string | null;
  lastErrorAt: Date | null;
}

/** SQLSTATE classes that mean "this row is wrong", not "the database is unavailable". */
const DATA_ERROR_CLASSES = new Set(["22", "23", "54"]);

function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.length === 5 && DATA_ERROR_CLASSES.has(code.slice(0, 2));
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message || err.name : String(err);
}

export class LedgerWriter implements UsageRecorder {
  private readonly pool: Queryable;
  private readonly spool: Spool;
  private readonly capacity: number;
  private readonly batchSize: number;
  private readonly writeTimeoutMs: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly log: (message: string) => void;

  /** FIFO: `queue[head..]` are waiting; the consumed prefix is cut off now and then. */
  private queue: LedgerRow[] = [];
  private head = 0;
  private readonly timer: NodeJS.Timeout;
  private draining: Promise<void> | null = null;
  /** How many of the oldest queued rows must leave even as a partial batch. */
  private dueRows = 0;
  private drainSoon = false;
  private closed = false;

  private retryDelay = 0;
  private dbRetryAt = 0;
  private replayTimer: NodeJS.Timeout | null = null;
  private replaying: Promise<void> | null = null;
  /** Queue batches and replay batches take turns (see runBatch). */
  private writeChain: Promise<unknown> = Promise.resolve();
  private lastDropLogAt = 0;
  private droppedSinceLog = 0;

  private readonly counters = {
    written: 0,
    spooled: 0,
    replayed: 0,
    duplicates: 0,
    rejected: 0,
    dropped: 0,
    lastError: null as string | null,
    lastErrorAt: null as Date | null,
  };

  constructor(options: LedgerWriterOptions) {
    this.pool = options.pool;
    this.spool = new Spool({ dir: options.spoolDir });
    this.capacity = options.capacity ?? 50_000;
    this.batchSize = options.batchSize ?? 500;
    this.writeTimeoutMs = options.writeTimeoutMs ?? 30_000;
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 60_000;
    this.log = options.log ?? ((m) => console.warn(m));
    this.timer = setInterval(() => {
      if (this.size() > 0) void this.drainQueued();
    }, options.flushIntervalMs ?? 250);
    this.timer.unref();
    // Rows left in the spool by an earlier run (or another process) go in first thing.
    this.scheduleReplay(0);
  }

  record(event: UsageEvent): void {
    try {
      const row = toLedgerRow(event);
      if (!this.closed && this.size() < this.capacity) {
        this.queue.push(row);
        if (this.size() >= this.batchSize) this.scheduleDrain();
        return;
      }
      this.overflow(row);
    } catch (err) {
      this.drop(1, err);
    }
  }

  /** Resolves when every event recorded before the call is in the database or in the spool. */
  async flush(): Promise<void> {
    while (this.size() > 0 || this.draining) {
      await this.drainQueued();
    }
  }

  /** Flushes everything, waits for a running replay to reach a batch boundary, stops the timers. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    if (this.replayTimer) clearTimeout(this.replayTimer);
    this.replayTimer = null;
    await this.flush();
    await this.replaying;
    this.spool.close();
  }

  stats(): LedgerWriterStats {
    return { queued: this.size(), ...this.counters };
  }

  private size(): number {
    return this.queue.length - this.head;
  }

  private take(n: number): LedgerRow[] {
    const batch = this.queue.slice(this.head, this.head + n);
    this.head += batch.length;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return batch;
  }

  /** Full-queue policy (see the class comment): spool synchronously, drop only if that fails. */
  private overflow(row: LedgerRow): void {
    try {
      if (this.closed) {
        // Nobody will seal the file after close(): seal it now so any writer can replay it.
        this.spool.append([row], "now");
        this.spool.close();
      } else {
        this.spool.append([row], "soon");
      }
      this.counters.spooled++;
      this.scheduleReplay();
    } catch (err) {
      this.drop(1, err);
    }
  }

  private drop(n: number, err: unknown): void {
    this.counters.dropped += n;
    this.droppedSinceLog += n;
    this.noteError(err);
    const now = Date.now();
    if (now - this.lastDropLogAt >= 1_000) {
      this.log(`ledger: dropped ${this.droppedSinceLog} usage event(s): queue full and spool failed: ${errorMessage(err)}`);
      this.lastDropLogAt = now;
      this.droppedSinceLog = 0;
    }
  }

  private noteError(err: unknown): void {
    this.counters.lastError = errorMessage(err);
    this.counters.lastErrorAt = new Date();
  }

  /** Batches leave the request's call stack: the drain starts on a later turn of the event loop. */
  private scheduleDrain(): void {
    if (this.drainSoon || this.draining) return;
    this.drainSoon = true;
    setImmediate(() => {
      this.drainSoon = false;
      void this.startDrain();
    });
  }

  /** Everything queued now leaves, however few (the flush interval is up, or flush()). */
  private drainQueued(): Promise<void> {
    this.dueRows = this.size();
    return this.startDrain();
  }

  private startDrain(): Promise<void> {
    this.draining ??= this.drain()
      .catch((err: unknown) => this.noteError(err)) // drain handles its failures; this is a guard
      .finally(() => {
        this.draining = null;
        // A tick that came as this drain was ending: its rows go now, not a tick later.
        if (this.dueRows > 0 && this.size() > 0) void this.startDrain();
      });
    return this.draining;
  }

  /**
   * Whole batches, and the rows that are due (`dueRows`, the oldest: the queue is FIFO). Rows that
   * arrive while a batch is being written wait for a whole batch or the next tick rather than
   * leaving at once in a small batch: each statement has a fixed cost (a commit, the rollup
   * upserts), so a stream of small batches cost the database ~3x more per row under steady load.
   * A tick during a write raises `dueRows`, so the running drain takes those rows too.
   */
  private async drain(): Promise<void> {
    while (this.dueRows > 0 || this.size() >= this.batchSize) {
      const batch = this.take(this.batchSize);
      this.dueRows = Math.max(0, this.dueRows - batch.length);
      await this.writeOrSpool(batch);
    }
  }

  private async writeOrSpool(batch: LedgerRow[]): Promise<void> {
    if (Date.now() < this.dbRetryAt) {
      this.spoolBatch(batch);
      return;
    }
    try {
      const inserted = await this.insert(batch, "written");
      this.counters.written += inserted;
      this.dbRecovered();
    } catch (err) {
      this.dbFailed(err);
      this.spoolBatch(batch);
    }
  }

  private spoolBatch(batch: LedgerRow[]): void {
    try {
      this.spool.append(batch, "now");
      this.counters.spooled += batch.length;
      this.scheduleReplay();
    } catch (err) {
      this.drop(batch.length, err);
    }
  }

  /**
   * Writes rows, returning how many were new. A data error (which normalisation should make
   * impossible) is narrowed down row by row; other errors are thrown for the caller to spool.
   */
  private async insert(rows: LedgerRow[], counter: "written" | "replayed"): Promise<number> {
    try {
      const inserted = await this.runBatch(rows);
      this.counters.duplicates += rows.length - inserted;
      return inserted;
    } catch (err) {
      if (!isDataError(err) || rows.length === 0) throw err;
      this.noteError(err);
      let inserted = 0;
      for (const row of rows) {
        try {
          const n = await this.runBatch([row]);
          inserted += n;
          this.counters.duplicates += 1 - n;
        } catch (rowErr) {
          if (!isDataError(rowErr)) {
            // The database went away meanwhile: account for what got in, hand the rest back.
            this.counters[counter] += inserted;
            throw rowErr;
          }
          this.counters.rejected++;
          try {
            this.spool.reject([row], errorMessage(rowErr));
          } catch (spoolErr) {
            this.drop(1, spoolErr);
          }
          this.log(`ledger: row ${row.id} rejected by the database: ${errorMessage(rowErr)}`);
        }
      }
      return inserted;
    }
  }

  /**
   * One batch statement at a time per process: a queue batch and a replay batch running together
   * could lock the same rollup rows in different orders across the three rollup tables.
   */
  private runBatch(rows: LedgerRow[]): Promise<number> {
    const run = this.writeChain.then(() => this.runBatchNow(rows));
    this.writeChain = run.catch(() => {});
    return run;
  }

  private async runBatchNow(rows: LedgerRow[]): Promise<number> {
    let timeout: NodeJS.Timeout | undefined;
    try {
      const res = await Promise.race([
        this.pool.query<{ inserted: number }>(INSERT_BATCH_SQL, batchParams(rows)),
        new Promise<never>((_, reject) => {
          timeout = setTimeout(
            () => reject(new Error(`ledger batch not committed within ${this.writeTimeoutMs} ms`)),
            this.writeTimeoutMs,
          );
        }),
      ]);
      return Number(res.rows[0]?.inserted ?? 0);
    } finally {
      clearTimeout(timeout);
    }
  }

  private dbFailed(err: unknown): void {
    this.noteError(err);
    this.retryDelay = this.retryDelay === 0 ? this.retryDelayMs : Math.min(this.retryDelay * 2, this.maxRetryDelayMs);
    this.dbRetryAt = Date.now() + this.retryDelay;
    this.log(`ledger: database write failed (${errorMessage(err)}); spooling, next attempt in ${this.retryDelay} ms`);
  }

  private dbRecovered(): void {
    if (this.retryDelay !== 0) this.log("ledger: database writes recovered");
    this.retryDelay = 0;
    this.dbRetryAt = 0;
    if (this.spool.hasPending) this.scheduleReplay();
  }

  private scheduleReplay(delayMs?: number): void {
    if (this.replayTimer || this.replaying || this.closed) return;
    const delay = delayMs ?? Math.max(this.dbRetryAt - Date.now(), 0);
    this.replayTimer = setTimeout(() => {
      this.replayTimer = null;
      this.replaying = this.replay().finally(() => {
        this.replaying = null;
        if (this.spool.hasPending && !this.closed) this.scheduleReplay(Math.max(this.dbRetryAt - Date.now(), this.retryDelayMs));
      });
    }, delay);
    this.replayTimer.unref();
  }

  private async replay(): Promise<void> {
    if (Date.now() < this.dbRetryAt) return;
    try {
      const result = await this.spool.replay(
        async (rows) => {
          this.counters.replayed += await this.insert(rows, "replayed");
        },
        { batchSize: this.batchSize, shouldStop: () => this.closed },
      );
      if (result.corruptLines > 0) {
        this.log(`ledger: ${result.corruptLines} unreadable spool line(s) kept in *.corrupt files in ${this.spool.dir}`);
      }
      if (result.files > 0) this.dbRecovered();
    } catch (err) {
      this.dbFailed(err);
    }
  }
}
