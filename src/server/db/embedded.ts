import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";

/**
 * The embedded default database: PGlite (PostgreSQL compiled to WASM) on a data directory, served
 * over the PostgreSQL wire protocol on 127.0.0.1 so that the app, the migrations and the CLI all
 * speak plain `pg` to it, exactly as to a real server.
 *
 * Why not PGLiteSocketServer from @electric-sql/pglite-socket: PGlite is ONE backend session, and
 * that server's multiplexer (`maxConnections` > 1) schedules each protocol message separately. Two
 * pg connections running parameterised queries interleave their Parse/Bind/Execute/Sync messages,
 * so one connection binds the other's unnamed statement ("bind message supplies 1 parameters, but
 * prepared statement "" requires 2", "portal "" does not exist", or silently the wrong query).
 * This server gives the session to one connection at a time from its first message until PGlite
 * reports ReadyForQuery with status idle: a whole extended-protocol round, or a whole transaction
 * (BEGIN … COMMIT), runs without interleaving. Other connections queue (FIFO).
 *
 * What still differs from a real server, because there is only one session:
 * - session state is shared: SET, named prepared statements, temp tables, session advisory locks
 *   (pg_advisory_lock does not exclude another connection; transactions do serialise);
 * - a connection that waits for another connection while holding a transaction open deadlocks
 *   (as it would with a pool of one connection);
 * - no authentication (it listens on 127.0.0.1 only) and no TLS; cancel requests are ignored.
 * One process only: a lock file `<dataDir>.lock` refuses a second opener of the same directory.
 */

export interface EmbeddedPostgres {
  /** postgresql://postgres@127.0.0.1:<port>/postgres */
  url: string;
  close(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** TCP port on 127.0.0.1; default 0 = a free port chosen by the OS. */
  port?: number;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
const SYNC_MESSAGE = new Uint8Array([0x53, 0, 0, 0, 4]); // 'S', length 4

export async function startEmbeddedPostgres(
  dataDir: string,
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  const dir = path.resolve(dataDir);
  mkdirSync(path.dirname(dir), { recursive: true });
  const releaseLock = acquireDirLock(`${dir}.lock`);
  let db: PGlite;
  try {
    db = await PGlite.create({ dataDir: dir });
  } catch (err) {
    releaseLock();
    throw err;
  }

  const gate = new SessionGate();
  const connections = new Set<WireConnection>();
  const server = net.createServer((socket) => {
    const conn = new WireConnection(socket, db, gate, () => connections.delete(conn));
    connections.add(conn);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    await db.close().catch(() => {});
    releaseLock();
    throw err;
  }
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("embedded postgres: no TCP address");

  let closing: Promise<void> | null = null;
  return {
    url: `postgresql://postgres@127.0.0.1:${address.port}/postgres`,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([...connections].map((c) => c.destroy()));
        await stopped;
        await gate.idle();
        if (db.isInTransaction()) await db.exec("ROLLBACK").catch(() => {});
        await db.close();
        releaseLock();
      })();
      return closing;
    },
  };
}

/** Hands the single PGlite session to one connection at a time, in arrival order. */
class SessionGate {
  private owner: WireConnection | null = null;
  private readonly waiters: { conn: WireConnection; grant: (granted: boolean) => void }[] = [];
  private readonly idleWaiters: (() => void)[] = [];

  /** Resolves true once `conn` owns the session, false if it was forgotten while waiting. */
  acquire(conn: WireConnection): Promise<boolean> {
    if (this.owner === conn) return Promise.resolve(true);
    if (this.owner === null) {
      this.owner = conn;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((grant) => this.waiters.push({ conn, grant }));
  }

  release(conn: WireConnection): void {
    if (this.owner !== conn) return;
    const next = this.waiters.shift();
    this.owner = next?.conn ?? null;
    if (next) next.grant(true);
    else for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Drops a connection that went away while waiting. */
  forget(conn: WireConnection): void {
    const i = this.waiters.findIndex((w) => w.conn === conn);
    if (i >= 0) this.waiters.splice(i, 1)[0]?.grant(false);
  }

  isOwner(conn: WireConnection): boolean {
    return this.owner === conn;
  }

  idle(): Promise<void> {
    if (this.owner === null) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}

/**
 * One client connection: frames its messages, runs them on the session in order, and tracks the
 * ReadyForQuery status in PGlite's output to know when the session may pass to someone else.
 */
class WireConnection {
  private readonly input = new ChunkQueue();
  private started = false;
  private pumping = false;
  private closed = false;
  /** True between the first message of a round and the ReadyForQuery that ends it. */
  private midRound = false;
  private work: Promise<void> = Promise.resolve();
  private readonly output = new BackendMessageScanner();

  constructor(
    private readonly socket: net.Socket,
    private readonly db: PGlite,
    private readonly gate: SessionGate,
    private readonly onGone: () => void,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => {
      this.input.push(chunk);
      this.pump();
    });
    socket.on("error", () => this.destroy());
    socket.on("close", () => void this.destroy());
  }

  destroy(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.socket.destroy();
      this.gate.forget(this);
      this.work = this.work.then(() => this.releaseSession(true));
      this.onGone();
    }
    return this.work;
  }

  private pump(): void {
    if (this.pumping || this.closed) return;
    this.pumping = true;
    this.work = this.work.then(async () => {
      try {
        let message: Uint8Array | null;
        while (!this.closed && (message = this.nextMessage()) !== null) await this.run(message);
      } catch (err) {
        this.socket.destroy(err instanceof Error ? err : undefined);
      } finally {
        this.pumping = false;
      }
    });
  }

  /** Cuts one complete message off the buffer, answering SSL/GSS/cancel requests itself. */
  private nextMessage(): Uint8Array | null {
    for (;;) {
      if (!this.started) {
        const head = this.input.peek(8);
        if (!head) return null;
        const len = head.readInt32BE(0);
        const code = head.readInt32BE(4);
        if (len < 8) {
          this.socket.destroy();
          return null;
        }
        const msg = this.input.take(len);
        if (!msg) return null;
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          this.socket.write("N"); // no encryption; the client continues in clear text
          continue;
        }
        if (code === CANCEL_REQUEST) {
          this.socket.end();
          return null;
        }
        if (code !== PROTOCOL_3) {
          this.socket.destroy();
          return null;
        }
        this.started = true;
        return msg;
      }
      const head = this.input.peek(5);
      if (!head) return null;
      const len = 1 + head.readInt32BE(1);
      if (len < 5) {
        this.socket.destroy();
        return null;
      }
      const msg = this.input.take(len);
      if (!msg) return null;
      if (msg[0] === 0x58) {
        // Terminate: ends this connection only, never the shared backend.
        void this.destroy();
        return null;
      }
      return msg;
    }
  }

  private async run(message: Uint8Array): Promise<void> {
    if (!(await this.gate.acquire(this))) return;
    if (this.closed) return this.releaseSession(true);
    this.midRound = true;
    this.output.lastReadyStatus = null;
    await this.db.execProtocolRawStream(message, {
      onRawData: (data) => {
        this.output.scan(data);
        if (!this.closed && this.socket.writable) this.socket.write(data);
      },
    });
    const status = this.output.lastReadyStatus;
    if (status !== null) this.midRound = false;
    // 'I' = idle: round over and no transaction open. 'T'/'E' = inside a (failed) transaction.
    if (status === "I") this.gate.release(this);
  }

  /** Leaves the session clean for the next connection when this one disappears mid-round or mid-transaction. */
  private async releaseSession(gone: boolean): Promise<void> {
    if (!gone || !this.gate.isOwner(this)) return;
    try {
      if (this.midRound) await this.db.execProtocolRawStream(SYNC_MESSAGE, { onRawData: () => {} });
      if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    } catch {
      // The session is being handed on regardless; the next statement reports any remaining state.
    } finally {
      this.midRound = false;
      this.gate.release(this);
    }
  }
}

/**
 * Received bytes as a list of chunks: a message is copied together once, when it is complete,
 * so a large message (a batch of ledger rows) costs O(size), not O(size²) in re-concatenation.
 */
class ChunkQueue {
  private chunks: Buffer[] = [];
  private length = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** The first `n` bytes (or more) as one buffer, or null if fewer are buffered. */
  peek(n: number): Buffer | null {
    if (this.length < n) return null;
    while ((this.chunks[0]?.length ?? 0) < n) {
      const [a, b, ...rest] = this.chunks;
      this.chunks = [Buffer.concat([a!, b!]), ...rest];
    }
    return this.chunks[0]!;
  }

  /** Removes and returns exactly `n` bytes, or null if fewer are buffered. */
  take(n: number): Buffer | null {
    if (this.length < n) return null;
    this.length -= n;
    const first = this.chunks[0]!;
    if (first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let off = 0;
    while (off < n) {
      const c = this.chunks[0]!;
      const k = Math.min(c.length, n - off);
      c.copy(out, off, 0, k);
      off += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    return out;
  }
}

/** Follows backend message framing across chunks and remembers the last ReadyForQuery status. */
class BackendMessageScanner {
  lastReadyStatus: "I" | "T" | "E" | null = null;
  private header = Buffer.alloc(5);
  private headerLen = 0;
  private remaining = 0;
  private type = 0;

  scan(data: Uint8Array): void {
    let i = 0;
    while (i < data.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, data.length - i);
        if (this.type === 0x5a && this.remaining === 1) {
          const status = String.fromCharCode(data[i] ?? 0);
          if (status === "I" || status === "T" || status === "E") this.lastReadyStatus = status;
        }
        this.remaining -= take;
        i += take;
        continue;
      }
      this.header[this.headerLen++] = data[i++] ?? 0;
      if (this.headerLen === 5) {
        this.type = this.header[0] ?? 0;
        this.remaining = this.header.readInt32BE(1) - 4;
        this.headerLen = 0;
      }
    }
  }
}

/** A lock file holding our pid; a stale one (its process gone) is taken over. */
function acquireDirLock(lockPath: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number.parseInt(readFileSync(lockPath, "utf8"), 10);
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new Error(
          `embedded postgres: ${lockPath} says process ${pid} has this data directory open; PGlite allows one process per directory`,
        );
      }
      unlinkSync(lockPath);
    }
  }
  throw new Error(`embedded postgres: could not take ${lockPath}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
