/**
 * Shared pieces of the fault tests (`*.fault.integration.test.ts`): the app started as `npm start`
 * does on its own throwaway database, with a simulated upstream and an execute key; requests that
 * carry a unique x-request-id; and the ledger check that every answered request has exactly one row.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, createConnection, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { startAppServer, type AppServer } from "./app-server";
import { startSimulatedUpstream, type SimulatedUpstream } from "./simulated-upstream";
import { createTestDatabase, type TestDatabase } from "./test-database";
import { generateApiKey } from "../server/keys/api-key-auth";

export interface FaultApp {
  app: AppServer;
  sim: SimulatedUpstream;
  db: TestDatabase;
  /** A direct connection to the test database (never through a fault proxy). */
  sql: pg.Client;
  key: string;
  keyId: string;
  dataDir: string;
  spoolDir: string;
  close(): Promise<void>;
}

export interface FaultAppOptions {
  env?: Record<string, string>;
  /** The DATABASE_URL the app gets (e.g. through a TCP proxy); default: the test database. */
  appDatabaseUrl?: (url: string) => string;
}

export async function startFaultApp(opts: FaultAppOptions = {}): Promise<FaultApp> {
  const sim = await startSimulatedUpstream({ maxRecorded: 0 });
  const db = await createTestDatabase("sy_fault");
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  // The key exists before the app starts, so that its first look-up can be cached.
  const k = generateApiKey();
  const keyId = (
    await sql.query<{ id: string }>(`INSERT INTO api_keys (name, prefix, key_hash, role) VALUES ('fault', $1, $2, 'execute') RETURNING id`, [
      k.prefix,
      k.hash,
    ])
  ).rows[0]!.id;
  const dataDir = mkdtempSync(path.join(tmpdir(), "sy-fault-"));
  const app = await startAppServer({
    DATABASE_URL: opts.appDatabaseUrl ? opts.appDatabaseUrl(db.url) : db.url,
    DATA_DIR: dataDir,
    SWITCHYARD_MASTER_KEY: randomBytes(32).toString("base64"),
    OPENAI_BASE_URL: sim.baseUrls.openai,
    ANTHROPIC_BASE_URL: sim.baseUrls.anthropic,
    GEMINI_BASE_URL: sim.baseUrls.gemini,
    XAI_BASE_URL: sim.baseUrls.xai,
    OPENAI_API_KEY: "sk-sim-openai",
    ANTHROPIC_API_KEY: "sk-sim-anthropic",
    GEMINI_API_KEY: "sk-sim-gemini",
    XAI_API_KEY: "sk-sim-xai",
    LEDGER_FLUSH_INTERVAL_MS: "50",
    ...opts.env,
  });
  return {
    app,
    sim,
    db,
    sql,
    key: k.key,
    keyId,
    dataDir,
    spoolDir: path.join(dataDir, "spool"),
    async close() {
      await app.stop();
      await sql.end();
      await sim.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
/** Unique per test run; matches the gateway's accepted x-request-id shape. */
export const newRequestId = (prefix: string) => `${prefix}-${process.pid}-${++seq}-${randomBytes(3).toString("hex")}`;

export interface ChatOutcome {
  requestId: string;
  status: number;
  /** The whole body as text (for streams: every SSE line). */
  body: string;
  /** `data:` payloads of a stream, in order. */
  events: string[];
}

export interface ChatOptions {
  content: string;
  model?: string;
  stream?: boolean;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Called once the response headers are in (streams: before the body is read). */
  onHeaders?: () => void;
}

export async function chat(app: AppServer, key: string, opts: ChatOptions): Promise<ChatOutcome> {
  const requestId = newRequestId("c");
  const res = await fetch(`${app.url}/api/ai/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-request-id": requestId, ...opts.headers },
    body: JSON.stringify({
      model: opts.model ?? "gpt-4.1-nano",
      messages: [{ role: "user", content: opts.content }],
      ...(opts.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    }),
    signal: opts.signal,
  });
  opts.onHeaders?.();
  const body = await res.text();
  const events = opts.stream ? body.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)) : [];
  return { requestId, status: res.status, body, events };
}

export interface LedgerCheck {
  rows: number;
  missing: string[];
  duplicated: string[];
}

/** Waits until every id has a row (or the time is up); reports ids without a row and with several. */
export async function checkLedger(sql: pg.Client, keyId: string, requestIds: readonly string[], timeoutMs = 20_000): Promise<LedgerCheck> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await sql.query<{ request_id: string; n: number }>(
      "SELECT request_id, count(*)::int AS n FROM request_log WHERE api_key_id = $1 GROUP BY request_id",
      [keyId],
    );
    const counts = new Map(res.rows.map((r) => [r.request_id, r.n]));
    const missing = requestIds.filter((id) => !counts.has(id));
    const duplicated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    const rows = res.rows.reduce((n, r) => n + r.n, 0);
    if (missing.length === 0 || Date.now() > deadline) return { rows, missing, duplicated };
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The response is an OpenAI-shaped error object: `{ error: { message, type, param, code } }`. */
export function isOpenAIError(text: string): boolean {
  try {
    const e = (JSON.parse(text) as { error?: Record<string, unknown> }).error;
    return (
      typeof e === "object" &&
      e !== null &&
      typeof e.message === "string" &&
      typeof e.type === "string" &&
      "param" in e &&
      "code" in e
    );
  } catch {
    return false;
  }
}

/**
 * A TCP proxy between the app and a server (PostgreSQL), to take the server "down" for real:
 * `cut()` closes the listener (new connections are refused) and resets every open connection;
 * `restore()` listens on the same port again.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<number> {
    await this.listen(0);
    return this.port;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    if (server) await new Promise((r) => server.close(r));
  }

  restore(): Promise<void> {
    return this.listen(this.port);
  }

  private listen(port: number): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection(this.target);
      this.sockets.add(client).add(upstream);
      const drop = () => {
        this.sockets.delete(client);
        this.sockets.delete(upstream);
        client.destroy();
        upstream.destroy();
      };
      client.on("error", drop).on("close", drop);
      upstream.on("error", drop).on("close", drop);
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        this.port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  }
}

/** Runs `worker` on `concurrency` loops until `until()` is true; collects every outcome. */
export async function loadLoop<T>(concurrency: number, until: () => boolean, worker: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!until()) out.push(await worker(i++));
    }),
  );
  return out;
}

/**
 * An address on loopback where TCP connects hang (no SYN-ACK), for the connect timeout: a process
 * that listens with a backlog of 1 and never accepts, its accept queue filled by idle connections;
 * Linux then drops further SYNs.
 */
export async function startBlackhole(): Promise<{ url: string; close(): void }> {
  const script =
    "const s=require('net').createServer().listen({port:0,host:'127.0.0.1',backlog:1},()=>{" +
    "process.stdout.write(s.address().port+'\\n');setTimeout(()=>Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0),20)})";
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve) => child.stdout.once("data", (d: Buffer) => resolve(Number(d.toString().trim()))));
  await new Promise((r) => setTimeout(r, 100));
  const fillers: Socket[] = [];
  for (let i = 0; i < 4; i++) fillers.push(createConnection({ port, host: "127.0.0.1" }).on("error", () => {}));
  await new Promise((r) => setTimeout(r, 200));
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      for (const f of fillers) f.destroy();
      child.kill("SIGKILL");
    },
  };
}
