import pg from "pg";

export interface CreatePoolOptions {
  /** Connections per process; default 10 (PostgreSQL's default limit is 100 for all clients). */
  max?: number;
  /** Reported in pg_stat_activity. */
  applicationName?: string;
  /** Called for errors of idle connections (server restart, network drop). Defaults to console.error. */
  onError?: (err: Error) => void;
}

/**
 * The one pg Pool of a process: Prisma (through its adapter), the ledger writer and migrations use it.
 * Works the same against real PostgreSQL and the embedded server (src/server/db/embedded.ts).
 */
export function createPool(url: string, options: CreatePoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "switchyard",
    // Detect dead peers behind NAT/load balancers instead of hanging on a half-open socket.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    idleTimeoutMillis: 30_000,
    // Fail fast when the database is unreachable: the ledger then spools instead of waiting.
    connectionTimeoutMillis: 5_000,
  });
  // Without a listener, an idle connection dropped by the server raises an uncaught 'error' and
  // takes the process down; the pool replaces the connection by itself.
  const onError = options.onError ?? ((err: Error) => console.error("[db] idle connection error:", err.message));
  pool.on("error", onError);
  return pool;
}
