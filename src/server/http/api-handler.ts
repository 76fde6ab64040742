import { GatewayError, asGatewayError } from "@/gateway/errors";
import { chatCompletions } from "@/gateway/core/chat-completions";
import { embeddings } from "@/gateway/core/embeddings";
import { listModels } from "@/gateway/core/list-models";
import { LedgerEntry } from "@/gateway/core/ledger-entry";
import { errorResult, jsonResult } from "@/gateway/core/shared";
import type { GatewayResult, RequestContext } from "@/gateway/core/types";
import { roleAllows, type Role } from "@/server/keys/roles";
import type { AuthenticatedKey } from "@/server/keys/api-key-auth";
import { getGatewayRuntime, type GatewayRuntime } from "@/server/composition/gateway-runtime";
import { bearerToken, parseByokKey, parseConversationId, parseTags, parseTraceparent, requestIdFrom } from "./request-headers";
import { readJsonBody } from "./read-json-body";
import { unroutedResult } from "./not-found";

export type GatewayEndpoint = "chat" | "embeddings" | "models";

const requiredRole: Record<GatewayEndpoint, Role> = { chat: "execute", embeddings: "execute", models: "read" };

/** A stream's pieces as a Fetch body; cancelling the body ends the generator (return()). */
function toReadableStream(pieces: AsyncGenerator<Uint8Array, void, undefined>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await pieces.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await pieces.return();
    },
  });
}

export function toResponse(result: GatewayResult): Response {
  const body = typeof result.body === "string" ? result.body : toReadableStream(result.body);
  return new Response(body, { status: result.status, headers: result.headers });
}

/**
 * What the gateway reads from an HTTP request, whichever server received it: the production
 * server (node-server.ts, straight from node:http) or a Next route handler (a Fetch `Request`).
 */
export interface GatewayHttpRequest {
  /** A header value by lower-case name; `null` when absent. */
  header(name: string): string | null;
  /** The raw body; `null` when there is none. Abandoning the iteration must not hurt the response. */
  body: AsyncIterable<Uint8Array> | null;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
}

async function* readerChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => {});
  }
}

export function fromFetchRequest(request: Request): GatewayHttpRequest {
  return {
    header: (name) => request.headers.get(name),
    body: request.body === null ? null : readerChunks(request.body),
    signal: request.signal,
  };
}

/** Public API routes by path; `null` for a path that is not one (answered 404 in OpenAI's shape). */
export function gatewayRoute(pathname: string): { endpoint: GatewayEndpoint; method: "GET" | "POST" } | null {
  switch (pathname.replace(/\/+$/, "")) {
    case "/api/ai/v1/chat/completions":
      return { endpoint: "chat", method: "POST" };
    case "/api/ai/v1/embeddings":
      return { endpoint: "embeddings", method: "POST" };
    case "/api/ai/v1/models":
      return { endpoint: "models", method: "GET" };
    default:
      return null;
  }
}

/** Authenticates a gateway key from `Authorization: Bearer …`; errors are OpenAI-shaped. */
export function authenticate(rt: GatewayRuntime, request: Request, need: Role): Promise<AuthenticatedKey> {
  return authenticateHeader(rt, request.headers.get("authorization"), need);
}

async function authenticateHeader(rt: GatewayRuntime, authorization: string | null, need: Role): Promise<AuthenticatedKey> {
  const token = bearerToken(authorization);
  if (token === null) {
    throw new GatewayError("missing_api_key", "You didn't provide an API key. Send your Switchyard key as 'Authorization: Bearer <key>'.", {
      publicCode: "missing_api_key",
    });
  }
  let key: AuthenticatedKey | null;
  try {
    key = await rt.auth.authenticate(token);
  } catch (cause) {
    throw new GatewayError("service_unavailable", "The gateway cannot verify API keys right now; retry shortly.", { cause, retryAfter: "1" });
  }
  if (key === null) {
    throw new GatewayError("invalid_api_key", "Incorrect API key provided.", { publicCode: "invalid_api_key" });
  }
  if (!roleAllows(key.role, need)) {
    throw new GatewayError("insufficient_role", `This API key has the '${key.role}' role; this endpoint needs '${need}'.`, {
      publicCode: "insufficient_role",
    });
  }
  return key;
}

/**
 * Request → core → result for the public API: the one implementation behind both servers.
 * Everything before authentication answers without a ledger row; everything after it gets exactly
 * one (the core writes it, or this layer does for header and body errors).
 */
export async function handleGateway(req: GatewayHttpRequest, endpoint: GatewayEndpoint): Promise<GatewayResult> {
  const requestId = requestIdFrom(req.header("x-request-id"));
  const bare: RequestContext = {
    requestId,
    traceId: null,
    traceparent: null,
    apiKeyId: null,
    tags: [],
    conversationId: null,
    byokKey: null,
    signal: req.signal,
    startedAt: 0,
  };
  let rt: GatewayRuntime;
  try {
    rt = await getGatewayRuntime();
  } catch (e) {
    return errorResult(asGatewayError(e), bare);
  }
  const startedAt = rt.deps.now();
  let key: AuthenticatedKey;
  try {
    key = await authenticateHeader(rt, req.header("authorization"), requiredRole[endpoint]);
  } catch (e) {
    return errorResult(asGatewayError(e), bare);
  }

  if (endpoint === "models") {
    return jsonResult(200, listModels((p) => rt.keys.isConfigured(p), Math.floor(startedAt / 1000)), bare);
  }

  const ctx: RequestContext = { ...bare, apiKeyId: key.id, startedAt };
  let body: unknown;
  try {
    const trace = parseTraceparent(req.header("traceparent"));
    ctx.traceId = trace?.traceId ?? null;
    ctx.traceparent = trace?.traceparent ?? null;
    ctx.tags = parseTags(req.header("x-tags"));
    ctx.conversationId = parseConversationId(req.header("x-conversation-id"));
    ctx.byokKey = parseByokKey(req.header("x-provider-api-key"));
    body = await readJsonBody(req, rt.env.MAX_BODY_BYTES);
  } catch (e) {
    const err = asGatewayError(e);
    const entry = new LedgerEntry(rt.deps, ctx, endpoint === "chat" ? "chat" : "embeddings");
    entry.failure(err);
    return errorResult(err, ctx);
  }
  return endpoint === "chat" ? chatCompletions(rt.deps, body, ctx) : embeddings(rt.deps, body, ctx);
}

/** The production server's entry for any path under /api/ai/v1: a route, else 404/405 in OpenAI's shape. */
export function handleGatewayPath(method: string, pathname: string, req: GatewayHttpRequest): Promise<GatewayResult> {
  const route = gatewayRoute(pathname);
  if (route !== null && route.method === method) return handleGateway(req, route.endpoint);
  return Promise.resolve(unroutedResult(method, pathname, route?.method));
}

/** The Next route handlers' entry: the same implementation, Fetch Request in, Response out. */
export async function handleGatewayRequest(request: Request, endpoint: GatewayEndpoint): Promise<Response> {
  return toResponse(await handleGateway(fromFetchRequest(request), endpoint));
}
