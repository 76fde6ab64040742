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
import { bearerToken, parseByokKey, parseConversationId, parseTags, requestIdFrom, traceIdFrom } from "./request-headers";
import { readJsonBody } from "./read-json-body";

export type GatewayEndpoint = "chat" | "embeddings" | "models";

const requiredRole: Record<GatewayEndpoint, Role> = { chat: "execute", embeddings: "execute", models: "read" };

export function toResponse(result: GatewayResult): Response {
  return new Response(result.body, { status: result.status, headers: result.headers });
}

/** Authenticates a gateway key from `Authorization: Bearer …`; errors are OpenAI-shaped. */
export async function authenticate(rt: GatewayRuntime, request: Request, need: Role): Promise<AuthenticatedKey> {
  const token = bearerToken(request.headers.get("authorization"));
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
 * Request → core → Response for the public API. Everything before authentication answers without
 * a ledger row; everything after it gets exactly one (the core writes it, or this layer does for
 * header and body errors).
 */
export async function handleGatewayRequest(request: Request, endpoint: GatewayEndpoint): Promise<Response> {
  const requestId = requestIdFrom(request.headers.get("x-request-id"));
  const bare: RequestContext = {
    requestId,
    traceId: null,
    apiKeyId: null,
    tags: [],
    conversationId: null,
    byokKey: null,
    signal: request.signal,
    startedAt: 0,
  };
  let rt: GatewayRuntime;
  try {
    rt = await getGatewayRuntime();
  } catch (e) {
    return toResponse(errorResult(asGatewayError(e), bare));
  }
  const startedAt = rt.deps.now();
  let key: AuthenticatedKey;
  try {
    key = await authenticate(rt, request, requiredRole[endpoint]);
  } catch (e) {
    return toResponse(errorResult(asGatewayError(e), bare));
  }

  if (endpoint === "models") {
    return toResponse(jsonResult(200, listModels((p) => rt.keys.isConfigured(p), Math.floor(startedAt / 1000)), bare));
  }

  const ctx: RequestContext = { ...bare, apiKeyId: key.id, startedAt };
  let body: unknown;
  try {
    ctx.traceId = traceIdFrom(request.headers.get("traceparent"));
    ctx.tags = parseTags(request.headers.get("x-tags"));
    ctx.conversationId = parseConversationId(request.headers.get("x-conversation-id"));
    ctx.byokKey = parseByokKey(request.headers.get("x-provider-api-key"));
    body = await readJsonBody(request, rt.env.MAX_BODY_BYTES);
  } catch (e) {
    const err = asGatewayError(e);
    const entry = new LedgerEntry(rt.deps, ctx, endpoint === "chat" ? "chat" : "embeddings");
    entry.failure(err);
    return toResponse(errorResult(err, ctx));
  }
  const result = endpoint === "chat" ? await chatCompletions(rt.deps, body, ctx) : await embeddings(rt.deps, body, ctx);
  return toResponse(result);
}
