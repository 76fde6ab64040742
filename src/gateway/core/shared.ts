import { GatewayError, asGatewayError, errorHeaders, toErrorBody } from "../errors";
import type { LedgerEntry } from "./ledger-entry";
import type { AdapterContext } from "../providers/types";
import type { ResolvedModel } from "../routing/resolve-model";
import type { GatewayDeps, GatewayResult, RequestContext, UpstreamResponse } from "./types";

const envVarFor = {
  openai: "OPENAI_API_KEY",
  anthropic: "ANTHROPIC_API_KEY",
  gemini: "GEMINI_API_KEY",
  xai: "XAI_API_KEY",
} as const;

/** Builds the adapter's context; the BYOK header wins over configured keys, for this request only. */
export function adapterContext(deps: GatewayDeps, route: ResolvedModel, ctx: RequestContext): AdapterContext {
  const creds = deps.credentials(route.provider);
  const apiKey = ctx.byokKey ?? creds.apiKey;
  if (!apiKey) {
    throw new GatewayError(
      "provider_not_configured",
      `No API key is configured for ${deps.adapters[route.provider].displayName}. Set ${envVarFor[route.provider]}, add a provider key in the dashboard, or send one for this request in the 'x-provider-api-key' header.`,
      { publicCode: "provider_not_configured" },
    );
  }
  return {
    upstreamModel: route.upstreamModel,
    modelInfo: route.info,
    apiKey,
    baseUrl: creds.baseUrl.replace(/\/+$/, ""),
    reasoningState: deps.reasoningState,
    now: deps.now,
    newId: deps.newId,
    fetchAsset: deps.fetchAsset,
  };
}

export function jsonResult(status: number, body: unknown, ctx: RequestContext): GatewayResult {
  return jsonTextResult(status, JSON.stringify(body), ctx);
}

/** A JSON body that is serialised already. */
export function jsonTextResult(status: number, json: string, ctx: RequestContext): GatewayResult {
  return {
    status,
    headers: { "content-type": "application/json", "x-request-id": ctx.requestId },
    body: json,
  };
}

export function errorResult(err: GatewayError, ctx: RequestContext): GatewayResult {
  return {
    status: err.status,
    headers: { "content-type": "application/json", "x-request-id": ctx.requestId, ...errorHeaders(err) },
    body: JSON.stringify(toErrorBody(err)),
  };
}

/** Aborts `target` when `source` aborts; returns the unlink function. */
export function linkAbort(source: AbortSignal, target: AbortController): () => void {
  if (source.aborted) {
    target.abort(source.reason);
    return () => {};
  }
  const onAbort = () => target.abort(source.reason);
  source.addEventListener("abort", onAbort, { once: true });
  return () => source.removeEventListener("abort", onAbort);
}

/** True when `e` is the consequence of the client going away (not an upstream failure). */
export function isAbort(e: unknown, clientSignal: AbortSignal): boolean {
  if (!clientSignal.aborted) return false;
  if (e instanceof GatewayError) return e.code === "cancelled";
  return true;
}

export async function parseUpstreamJson(res: UpstreamResponse): Promise<unknown> {
  return (await readUpstreamJson(res)).value;
}

/** The upstream body as received and parsed. */
export async function readUpstreamJson(res: UpstreamResponse): Promise<{ text: string; value: unknown }> {
  const text = await res.text();
  try {
    return { text, value: JSON.parse(text) as unknown };
  } catch (cause) {
    throw new GatewayError("upstream_bad_response", "The provider returned a response that is not valid JSON.", {
      cause,
      upstreamStatus: res.status,
      upstreamBody: text.slice(0, 2048),
    });
  }
}

/** Ends a failed request: `cancelled` when the client went away, else the error row and answer. */
export function failRequest(entry: LedgerEntry, e: unknown, ctx: RequestContext): GatewayResult {
  if (isAbort(e, ctx.signal)) {
    entry.cancelled();
    return errorResult(new GatewayError("cancelled", "The client closed the request."), ctx);
  }
  const err = asGatewayError(e);
  entry.failure(err);
  return errorResult(err, ctx);
}
