import { embeddingsRequestSchema } from "../openai/embeddings-request";
import { GatewayError } from "../errors";
import { resolveModel } from "../routing/resolve-model";
import { LedgerEntry } from "./ledger-entry";
import { parseBody } from "./validate";
import { adapterContext, failRequest, jsonResult, jsonTextResult, linkAbort, readUpstreamJson } from "./shared";
import type { GatewayDeps, GatewayResult, RequestContext } from "./types";

export async function embeddings(deps: GatewayDeps, body: unknown, ctx: RequestContext): Promise<GatewayResult> {
  const entry = LedgerEntry.forBody(deps, ctx, "embeddings", body);
  const upstreamAbort = new AbortController();
  const unlink = linkAbort(ctx.signal, upstreamAbort);
  try {
    const req = parseBody(embeddingsRequestSchema, body);
    const route = resolveModel(req.model, "embedding");
    entry.provider = route.provider;
    entry.pricedModelId = route.info?.id;
    const adapter = deps.adapters[route.provider];
    if (!adapter.buildEmbeddingsRequest || !adapter.parseEmbeddingsResponse) {
      throw new GatewayError("invalid_request", `${adapter.displayName} has no embeddings endpoint behind this gateway.`, {
        param: "model",
        publicCode: "model_not_supported",
      });
    }
    const actx = adapterContext(deps, route, ctx);
    const res = await deps.upstream.send(await adapter.buildEmbeddingsRequest(req, actx), upstreamAbort.signal);
    if (res.status < 200 || res.status >= 300) throw adapter.parseError(res.status, await res.text(), res.headers);
    const upstreamBody = await readUpstreamJson(res);
    const { response, usage, verbatim } = adapter.parseEmbeddingsResponse(upstreamBody.value, req, actx);
    entry.usage = usage;
    entry.success();
    // Serialising thousands of floats again costs more than the rest of the request.
    return verbatim ? jsonTextResult(200, upstreamBody.text, ctx) : jsonResult(200, response, ctx);
  } catch (e) {
    return failRequest(entry, e, ctx);
  } finally {
    unlink();
  }
}
