/**
 * The production server that `npm start` runs (scripts/start.ts spawns it): one node:http server.
 *
 * - `/api/ai/v1/*` goes straight from node:http into the gateway (`handleGatewayPath`, the same
 *   implementation the Next route handlers call). Next's request pipeline (routing, Fetch
 *   Request/Response wrapping, stream bridging) cost more CPU per request than the whole gateway
 *   path and missed the latency targets; bench/gateway measures both side by side.
 * - Every other request (dashboard, tRPC, auth, usage API) goes to Next's own request handler, the
 *   one `next start` uses.
 * - SIGTERM drains (shutdown.ts): stop accepting, let requests and streams finish within
 *   SHUTDOWN_GRACE_MS, flush the ledger, exit 0.
 *
 * The Next route handlers stay: deployments without this server (Vercel) use them.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import path from "node:path";
import next from "next";
import { GatewayError, toErrorBody } from "@/gateway/errors";
import type { GatewayResult } from "@/gateway/core/types";
import { closeGatewayRuntime, getGatewayRuntime } from "@/server/composition/gateway-runtime";
import { installGracefulShutdown } from "@/server/composition/shutdown";
import { getEnv } from "@/server/env";
import { log } from "@/server/log";
import { handleGatewayPath, type GatewayHttpRequest } from "./api-handler";

const API_PREFIX = "/api/ai/v1";
const root = path.resolve(import.meta.dirname, "..", "..", "..");

function headerOf(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  if (v === undefined) return null;
  return Array.isArray(v) ? v.join(", ") : v;
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

const uncork = (res: ServerResponse) => res.uncork();

/**
 * Writes a gateway result: a string at once, a stream piece by piece as the core produces it (the
 * core already joins the events of one upstream read). Each write is corked until the end of the
 * tick, so the headers leave with the first piece and the last piece with the end of the chunked
 * body, in one syscall each, without ever holding a piece back. Only a slow client (backpressure)
 * makes the loop wait.
 */
async function send(res: ServerResponse, result: GatewayResult): Promise<void> {
  if (typeof result.body === "string") {
    if (res.destroyed) return;
    res.writeHead(result.status, { ...result.headers, "content-length": Buffer.byteLength(result.body) });
    res.end(result.body);
    return;
  }
  const pieces = result.body;
  if (res.destroyed) {
    await pieces.return();
    return;
  }
  res.writeHead(result.status, result.headers);
  try {
    for await (const piece of pieces) {
      if (res.destroyed) break;
      res.cork();
      process.nextTick(uncork, res);
      if (!res.write(piece) && !res.destroyed) await drained(res);
    }
  } finally {
    if (!res.destroyed) res.end();
  }
}

function serveGateway(req: IncomingMessage, res: ServerResponse, pathname: string): void {
  const abort = new AbortController();
  // The client went away before the response was complete: the core aborts the upstream call.
  res.once("close", () => {
    if (!res.writableFinished) abort.abort();
  });
  const request: GatewayHttpRequest = {
    header: (name) => headerOf(req, name),
    // Not destroyed when the reader stops early (body too large): the 413 still has to go out.
    body: req.iterator({ destroyOnReturn: false }),
    signal: abort.signal,
  };
  handleGatewayPath(req.method ?? "GET", pathname, request)
    .then((result) => {
      // An oversized body left unread is not drained to keep the connection: close it instead.
      if (result.status === 413 && !req.complete) res.shouldKeepAlive = false;
      return send(res, result);
    })
    .catch((e: unknown) => {
      log.error("gateway request failed", { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      if (!res.headersSent && !res.destroyed) {
        const body = JSON.stringify(toErrorBody(new GatewayError("internal_error", "The gateway failed to handle this request.")));
        res.writeHead(500, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
        res.end(body);
      } else {
        res.destroy();
      }
    });
}

/** Malformed HTTP (oversized headers, bad framing) is answered in OpenAI's error shape too. */
function onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  // As Node's default handler: answer only on a connection where no response has started.
  if (!socket.writable || socket.bytesWritten > 0 || err.code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === "HPE_HEADER_OVERFLOW";
  const status = tooLarge ? 431 : 400;
  const message = tooLarge ? "The request headers are too large." : "The request is not valid HTTP.";
  const body = JSON.stringify({ error: { message, type: "invalid_request_error", param: null, code: tooLarge ? "headers_too_large" : "bad_request" } });
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? "Request Header Fields Too Large" : "Bad Request"}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

async function main(): Promise<void> {
  const env = getEnv();
  const server = createServer();
  // Longer than common load balancers' idle timeout (60 s), so they close idle connections first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on("clientError", onClientError);
  installGracefulShutdown({ server, graceMs: env.SHUTDOWN_GRACE_MS, close: closeGatewayRuntime, log });

  const app = next({ dev: false, dir: root, hostname: env.HOST ?? "localhost", port: env.PORT });
  await app.prepare();
  const handleNext = app.getRequestHandler();
  // Keys, settings and pools are ready before the first request (a database that is down does not stop this).
  await getGatewayRuntime().catch((e: unknown) => log.warn(`gateway runtime not ready: ${String(e)}`));

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const pathname = q === -1 ? url : url.slice(0, q);
    if (pathname === API_PREFIX || pathname.startsWith(`${API_PREFIX}/`)) {
      serveGateway(req, res, pathname);
      return;
    }
    handleNext(req, res).catch((e: unknown) => {
      log.error("next request failed", { error: String(e) });
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // Default host like `next start`: all interfaces.
    server.listen({ port: env.PORT, host: env.HOST, backlog: 4096 }, () => resolve());
  });
  log.info(`switchyard listening on http://${env.HOST ?? "localhost"}:${env.PORT}`);
}

await main();
