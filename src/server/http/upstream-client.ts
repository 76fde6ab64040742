import { Agent, errors as undiciErrors } from "undici";
import { GatewayError } from "@/gateway/errors";
import type { UpstreamClient, UpstreamResponse } from "@/gateway/core/types";
import type { UpstreamRequest } from "@/gateway/providers/types";

export interface UpstreamTimeouts {
  connectMs: number;
  /** Until the response headers arrive (for non-streaming calls: the whole generation). */
  firstByteMs: number;
  /** Longest silence between two body chunks. */
  idleMs: number;
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) h.append(k, item);
    else h.set(k, v);
  }
  return h;
}

/** Maps transport failures to gateway errors; aborts pass through untouched. */
function mapTransportError(e: unknown, host: string, t: UpstreamTimeouts): unknown {
  if (e instanceof GatewayError) return e;
  if (e instanceof undiciErrors.ConnectTimeoutError) {
    return new GatewayError("upstream_timeout", `Timed out connecting to the provider (${host}) after ${t.connectMs} ms.`, { cause: e });
  }
  if (e instanceof undiciErrors.HeadersTimeoutError) {
    return new GatewayError("upstream_timeout", `The provider (${host}) sent no response within ${t.firstByteMs} ms.`, { cause: e });
  }
  if (e instanceof undiciErrors.BodyTimeoutError) {
    return new GatewayError("upstream_timeout", `The provider (${host}) stopped sending data for ${t.idleMs} ms.`, { cause: e });
  }
  if (e instanceof Error && (e.name === "AbortError" || e instanceof undiciErrors.RequestAbortedError)) return e;
  const code = (e as { code?: string }).code ?? (e as { cause?: { code?: string } }).cause?.code;
  const what = code === "ECONNREFUSED" ? "refused the connection" : code === "ENOTFOUND" ? "could not be resolved" : "closed the connection unexpectedly";
  return new GatewayError("upstream_error", `The provider (${host}) ${what}.`, { cause: e, publicCode: "upstream_connection_error" });
}

/**
 * The gateway's HTTP client: one undici Agent with pooled keep-alive connections per origin,
 * and the three timeouts the operator configures (connect, first byte, idle between chunks).
 */
export function createUpstreamClient(t: UpstreamTimeouts, maxConnectionsPerOrigin: number): UpstreamClient & { close(): Promise<void> } {
  const agent = new Agent({
    connect: { timeout: t.connectMs },
    headersTimeout: t.firstByteMs,
    bodyTimeout: t.idleMs,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    connections: maxConnectionsPerOrigin,
    pipelining: 1,
  });

  return {
    async send(req: UpstreamRequest, signal: AbortSignal): Promise<UpstreamResponse> {
      const target = new URL(req.url);
      let res: Awaited<ReturnType<Agent["request"]>>;
      try {
        res = await agent.request({
          origin: target.origin,
          path: target.pathname + target.search,
          method: req.method,
          headers: req.headers,
          body: req.body,
          signal,
        });
      } catch (e) {
        throw mapTransportError(e, target.host, t);
      }
      const body = res.body;
      return {
        status: res.statusCode,
        headers: toHeaders(res.headers),
        body: {
          async *[Symbol.asyncIterator]() {
            try {
              for await (const chunk of body) yield chunk as Uint8Array;
            } catch (e) {
              throw mapTransportError(e, target.host, t);
            }
          },
        },
        async text() {
          try {
            return await body.text();
          } catch (e) {
            throw mapTransportError(e, target.host, t);
          }
        },
        discard() {
          // Read and drop what is left (up to undici's dump limit) so the connection stays reusable;
          // destroying the body instead would surface an AbortError nobody listens for.
          void body.dump().catch(() => {});
        },
      };
    },
    close: () => agent.close(),
  };
}
