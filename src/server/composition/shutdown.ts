import type { IncomingMessage, Server, ServerResponse } from "node:http";

/**
 * Process shutdown, in one of two ways:
 *
 * - The production server (node-server.ts, `npm start`) claims shutdown and drains: on SIGTERM it
 *   stops accepting connections, lets in-flight requests and streams finish within a grace period,
 *   cuts what is left (those rows are recorded as cancelled), then closes the runtime (flushing the
 *   ledger) and exits 0.
 * - Anywhere else the runtime runs (a bare `next start`, Vercel) nobody claimed it, and the runtime
 *   only flushes its ledger on the signal (`flushOnSignal`).
 *
 * The claim lives on globalThis: the production server loads this module from src/ while Next's
 * server bundle carries its own copy, and both must agree within one process.
 */
const claimKey = Symbol.for("switchyard.shutdownClaimed");
type GlobalWithClaim = typeof globalThis & { [claimKey]?: boolean };

export interface ShutdownLog {
  info(message: string): void;
  warn(message: string): void;
}

/** Flushes on SIGTERM/SIGINT and exits, unless a server claimed shutdown (it then drains first). */
export function flushOnSignal(close: () => Promise<void>, log: ShutdownLog): void {
  if ((globalThis as GlobalWithClaim)[claimKey]) return;
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    log.info(`${signal}: flushing the ledger`);
    void close().finally(() => process.exit(0));
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
}

export interface GracefulShutdownOptions {
  server: Server;
  /** Longest wait for in-flight requests and streams after the signal. */
  graceMs: number;
  /** Runs once nothing is in flight any more: flush the ledger, release the pools. */
  close: () => Promise<void>;
  log: ShutdownLog;
  exit?: (code: number) => void;
}

export interface GracefulShutdown {
  inFlight(): number;
  /** What SIGTERM/SIGINT run; exposed for tests. Resolves after `close` (before `exit`). */
  shutdown(reason: string): Promise<void>;
}

/**
 * Tracks in-flight requests of `server` and drains it on SIGTERM/SIGINT. Install it before the
 * server's request handler so that every response is counted.
 */
export function installGracefulShutdown(opts: GracefulShutdownOptions): GracefulShutdown {
  (globalThis as GlobalWithClaim)[claimKey] = true;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const active = new Set<ServerResponse>();
  let draining = false;
  let onIdle: (() => void) | null = null;
  let running: Promise<void> | null = null;

  opts.server.on("request", (_req: IncomingMessage, res: ServerResponse) => {
    active.add(res);
    // A request that arrives on a kept-alive connection while draining is served, on its way out.
    if (draining) res.shouldKeepAlive = false;
    res.once("close", () => {
      active.delete(res);
      if (!draining) return;
      opts.server.closeIdleConnections();
      if (active.size === 0) onIdle?.();
    });
  });

  const waitIdle = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (active.size === 0) return resolve(true);
      const timer = setTimeout(() => {
        onIdle = null;
        resolve(false);
      }, ms);
      onIdle = () => {
        clearTimeout(timer);
        onIdle = null;
        resolve(true);
      };
    });

  const shutdown = (reason: string): Promise<void> => {
    running ??= (async () => {
      draining = true;
      opts.log.info(`${reason}: draining ${active.size} in-flight request(s), up to ${opts.graceMs} ms`);
      // Responses not started yet close their connection when done; idle connections go now.
      for (const res of active) if (!res.headersSent) res.shouldKeepAlive = false;
      if (opts.server.listening) opts.server.close();
      opts.server.closeIdleConnections();
      if (!(await waitIdle(opts.graceMs))) {
        opts.log.warn(`grace period over: cutting ${active.size} request(s); their usage is recorded as cancelled`);
        opts.server.closeAllConnections();
        await waitIdle(2_000);
      }
      await opts.close();
      opts.log.info("ledger flushed; exiting");
    })();
    return running;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal (Ctrl-C reaches both `npm start` and this process) does not cut the drain short.
    void shutdown(signal).then(
      () => exit(0),
      (e: unknown) => {
        opts.log.warn(`shutdown failed: ${String(e)}`);
        exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  return { inFlight: () => active.size, shutdown };
}
