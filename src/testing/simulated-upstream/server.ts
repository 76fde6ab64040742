import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleAnthropic } from "./anthropic-wire";
import { authError, keyChecker } from "./auth";
import { invalidJson, type JsonReply } from "./errors";
import { handleGemini } from "./gemini-wire";
import { Signer } from "./ids";
import { handleOpenAI } from "./openai-wire";
import type { Reply, StreamReply } from "./reply";
import type { RecordedRequest, SimProvider, SimulatedUpstream, SimulatedUpstreamOptions } from "./types";

/**
 * A local stand-in for the four provider APIs, speaking their real wire formats, for integration
 * tests, e2e tests and the benchmark. Paths under `/<provider>` are the real API paths:
 * `/openai/v1/...`, `/xai/v1/...`, `/anthropic/v1/...`, `/gemini/v1beta/...`.
 */

const PREFIXES: [string, SimProvider][] = [
  ["/openai", "openai"],
  ["/xai", "xai"],
  ["/anthropic", "anthropic"],
  ["/gemini", "gemini"],
];

export async function startSimulatedUpstream(opts: SimulatedUpstreamOptions = {}): Promise<SimulatedUpstream> {
  const signer = new Signer();
  const isValid = keyChecker(opts.validKeys);
  const maxRecorded = opts.maxRecorded ?? 10_000;
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let closing: Promise<void> | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A simulator bug must be loud in the test that hit it, not a hang.
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { "content-type": "text/plain", "x-simulator-error": "1" });
        res.end(`simulated upstream failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      } else res.destroy();
    });
  });
  // Keep-alive generously so benchmark clients reuse sockets; hung requests are never timed out here.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const pathname = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
    const match = PREFIXES.find(([prefix]) => pathname.startsWith(`${prefix}/`));
    if (!match) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("unknown provider prefix; use /openai, /xai, /anthropic or /gemini");
      return;
    }
    const [prefix, provider] = match;
    const path = pathname.slice(prefix.length);
    const query: Record<string, string> = {};
    if (q >= 0) for (const [k, v] of new URLSearchParams(rawUrl.slice(q + 1))) query[k] = v;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;

    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = chunks.length === 0 ? "" : Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    let parseError: string | undefined;
    if (text !== "") {
      try {
        body = JSON.parse(text);
      } catch (err) {
        body = text;
        parseError = err instanceof Error ? err.message : String(err);
      }
    }
    const record: RecordedRequest = { provider, method: req.method ?? "GET", path, query, headers, body };
    if (maxRecorded > 0) {
      requests.push(record);
      if (requests.length > maxRecorded * 2) requests.splice(0, requests.length - maxRecorded);
    }

    const reply: Reply =
      authError(provider, headers, query, isValid) ??
      (parseError !== undefined ? invalidJson(provider, parseError) : route(provider, record.method, path, query, body, headers));
    await send(reply, req, res, record);
  }

  function route(provider: SimProvider, method: string, path: string, query: Record<string, string>, body: unknown, headers: Record<string, string>): Reply {
    switch (provider) {
      case "openai":
      case "xai":
        return handleOpenAI(provider, method, path, body);
      case "anthropic":
        return handleAnthropic(method, path, body, headers, signer);
      case "gemini":
        return handleGemini(method, path, query, body, signer);
    }
  }

  async function send(reply: Reply, req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<void> {
    const d = reply.directives;
    let closed = false;
    res.on("close", () => {
      closed = true;
    });
    if (d && d.delayMs > 0) {
      await sleep(d.delayMs);
      if (closed) return;
    }
    // Hung requests stay open until the client gives up or close() destroys the socket.
    if (d?.hangHeaders) return;
    if (reply.type === "json") return sendJson(reply, req, res, record);
    return sendStream(reply, req, res, record, () => closed);
  }

  function sendJson(reply: JsonReply, req: IncomingMessage, res: ServerResponse, record: RecordedRequest): void {
    const d = reply.directives;
    if (d?.reset) {
      req.socket.resetAndDestroy();
      return;
    }
    const headers: Record<string, string> = { "content-type": "application/json", ...reply.headers };
    record.status = reply.status;
    if (d?.hangBody) {
      res.writeHead(reply.status, headers);
      res.write(reply.body.slice(0, Math.ceil(reply.body.length / 2)));
      return;
    }
    headers["content-length"] = String(Buffer.byteLength(reply.body));
    res.writeHead(reply.status, headers);
    res.end(reply.body);
  }

  async function sendStream(reply: StreamReply, req: IncomingMessage, res: ServerResponse, record: RecordedRequest, isClosed: () => boolean): Promise<void> {
    const d = reply.directives;
    const headers: Record<string, string> = { "content-type": reply.contentType, "cache-control": "no-cache", ...reply.headers };
    // After a mid-stream error the provider closes the connection.
    if (d.midstreamError) headers.connection = "close";
    record.status = 200;
    res.writeHead(200, headers);
    const { frames, deltas } = reply;
    let end = frames.length;
    if (d.hangBody) end = (deltas[0] ?? 0) + 1;
    else if (d.midstreamError || d.reset) end = (deltas[Math.min(1, deltas.length - 1)] ?? 0) + 1;
    if (d.slowMs > 0) {
      for (let i = 0; i < end; i++) {
        if (i > 0) {
          await sleep(d.slowMs);
          if (isClosed()) return;
        }
        res.write(frames[i]);
      }
    } else if (end === frames.length && !d.hangBody && d.lingerMs === 0) {
      res.end(frames.join(""));
      return;
    } else {
      res.write(frames.slice(0, end).join(""));
    }
    if (d.hangBody) return;
    if (d.midstreamError) {
      if (d.slowMs > 0) await sleep(d.slowMs);
      if (!isClosed()) res.end(reply.errorFrame);
      return;
    }
    if (d.reset) {
      // Let the client read the deltas, then reset the connection (ECONNRESET, no terminator).
      await new Promise<void>((resolve) => res.write("", () => resolve()));
      await sleep(30);
      if (!isClosed()) req.socket.resetAndDestroy();
      return;
    }
    if (d.lingerMs > 0) await sleep(d.lingerMs);
    if (!isClosed()) res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;

  return {
    url,
    baseUrls: { openai: `${url}/openai/v1`, xai: `${url}/xai/v1`, anthropic: `${url}/anthropic`, gemini: `${url}/gemini/v1beta` },
    requests,
    clear() {
      requests.length = 0;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
