import { chatCompletionRequestSchema, type ChatCompletionRequest } from "../openai/chat-request";
import type { ChatCompletionChunk } from "../openai/chat-response";
import { GatewayError, asGatewayError } from "../errors";
import type { AdapterContext, ChatStreamTransformer, ProviderAdapter } from "../providers/types";
import { resolveModel } from "../routing/resolve-model";
import { SseDecoder, sse } from "../sse";
import { toOpenAIUsage } from "../usage";
import { LedgerEntry } from "./ledger-entry";
import { parseBody } from "./validate";
import { adapterContext, failRequest, isAbort, jsonResult, linkAbort, parseUpstreamJson } from "./shared";
import type { GatewayDeps, GatewayResult, RequestContext, UpstreamResponse } from "./types";

export async function chatCompletions(deps: GatewayDeps, body: unknown, ctx: RequestContext): Promise<GatewayResult> {
  const entry = LedgerEntry.forBody(deps, ctx, "chat", body);
  const upstreamAbort = new AbortController();
  const unlink = linkAbort(ctx.signal, upstreamAbort);
  try {
    const req = parseBody(chatCompletionRequestSchema, body);
    const stream = req.stream === true;
    entry.streamed = stream;
    if (req.stream_options != null && !stream) {
      throw new GatewayError("invalid_request", "The 'stream_options' parameter is only allowed when 'stream' is enabled.", {
        param: "stream_options",
        publicCode: "invalid_value",
      });
    }
    const route = resolveModel(req.model, "chat");
    entry.provider = route.provider;
    entry.pricedModelId = route.info?.id;
    const adapter = deps.adapters[route.provider];
    const actx = adapterContext(deps, route, ctx);
    const upstreamReq = await adapter.buildChatRequest(req, actx, stream);
    const res = await deps.upstream.send(upstreamReq, upstreamAbort.signal);
    if (res.status < 200 || res.status >= 300) throw adapter.parseError(res.status, await res.text(), res.headers);

    if (!stream) {
      const { completion, usage } = adapter.parseChatResponse(await parseUpstreamJson(res), req, actx);
      entry.usage = usage;
      entry.responseBody = completion;
      entry.responseModel = completion.model;
      entry.finishReason = completion.choices[0]?.finish_reason ?? null;
      entry.success();
      unlink();
      return jsonResult(200, completion, ctx);
    }
    return streamChat({ deps, adapter, req, actx, res, entry, ctx, upstreamAbort, unlink });
  } catch (e) {
    unlink();
    return failRequest(entry, e, ctx);
  }
}

const hasToken = (chunk: ChatCompletionChunk) =>
  chunk.choices.some((c) => Boolean(c.delta.content) || Boolean(c.delta.reasoning_content) || (c.delta.tool_calls?.length ?? 0) > 0);

interface StreamArgs {
  deps: GatewayDeps;
  adapter: ProviderAdapter;
  req: ChatCompletionRequest;
  actx: AdapterContext;
  res: UpstreamResponse;
  entry: LedgerEntry;
  ctx: RequestContext;
  upstreamAbort: AbortController;
  unlink: () => void;
}

/**
 * Pipes the upstream stream to the client (pull-based: nothing is read from the provider before
 * the client took the previous piece). The events of one upstream read leave as one piece, encoded
 * once. Mid-stream failures become an SSE error event and a clean end; a client that goes away
 * (ctx.signal) aborts the upstream request at once and the ledger records `cancelled`.
 */
function streamChat({ adapter, req, actx, res, entry, ctx, upstreamAbort, unlink }: StreamArgs): GatewayResult {
  const transformer: ChatStreamTransformer = adapter.createChatStream(req, actx);
  const decoder = new SseDecoder();
  const includeUsage = req.stream_options?.include_usage === true;
  const upstream = res.body[Symbol.asyncIterator]();
  let last: Pick<ChatCompletionChunk, "id" | "created" | "model"> | undefined;
  let closed = false;

  const onClientAbort = () => {
    if (closed) return;
    closed = true;
    upstreamAbort.abort();
    entry.usage = transformer.usage();
    entry.cancelled();
  };
  ctx.signal.addEventListener("abort", onClientAbort, { once: true });
  const settle = () => {
    closed = true;
    ctx.signal.removeEventListener("abort", onClientAbort);
    unlink();
  };

  const text = (chunk: ChatCompletionChunk): string => {
    if (includeUsage) chunk.usage = null;
    if (entry.ttftMs === null && hasToken(chunk)) entry.markFirstToken();
    last = chunk;
    return sse.chunk(chunk);
  };

  /** The end of the answer: trailing chunks, the usage chunk when asked, [DONE]; the ledger row. */
  const finish = (out: string): string => {
    for (const chunk of transformer.end()) out += text(chunk);
    if (includeUsage && last) {
      out += sse.chunk({ id: last.id, object: "chat.completion.chunk", created: last.created, model: last.model, choices: [], usage: toOpenAIUsage(transformer.usage()) });
    }
    out += sse.done();
    entry.usage = transformer.usage();
    entry.finishReason = transformer.finishReason();
    entry.responseModel = last?.model ?? null;
    entry.success();
    settle();
    return out;
  };

  /**
   * After the provider's terminal event the rest of its body (normally just the end) is read in the
   * background, so the connection goes back to the pool while the client already has everything.
   */
  const readToEnd = async () => {
    try {
      while (!(await upstream.next()).done);
    } catch {
      // The answer is complete: a failure after it concerns the pooled connection only.
    }
  };

  async function* body(): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        const next = await upstream.next();
        if (closed) return;
        let out = "";
        if (next.done) {
          for (const ev of decoder.end()) for (const chunk of transformer.push(ev)) out += text(chunk);
          yield sse.encode(finish(out));
          return;
        }
        for (const ev of decoder.push(next.value)) for (const chunk of transformer.push(ev)) out += text(chunk);
        if (transformer.complete()) {
          // The last events and [DONE] leave in one piece, without waiting for the body's end.
          const tail = finish(out);
          void readToEnd();
          yield sse.encode(tail);
          return;
        }
        if (out !== "") yield sse.encode(out);
      }
    } catch (e) {
      if (closed) return;
      if (isAbort(e, ctx.signal)) {
        onClientAbort();
        return;
      }
      const err = asGatewayError(e);
      entry.usage = transformer.usage();
      // Headers (200) are already sent: the error travels as an SSE event, then the stream ends.
      entry.failure(err, 200);
      settle();
      upstreamAbort.abort();
      yield sse.encode(sse.error(err));
    } finally {
      // The consumer stopped early (client gone): the same as an abort.
      onClientAbort();
    }
  }

  return {
    status: 200,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
      "x-request-id": ctx.requestId,
    },
    body: body(),
  };
}
