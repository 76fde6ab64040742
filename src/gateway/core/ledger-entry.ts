import type { GatewayError } from "../errors";
import type { ProviderId } from "../providers/types";
import { computeCost, formatNanoUsd } from "../pricing/compute-cost";
import { emptyUsage, type NormalizedUsage } from "../usage";
import type { RequestStatus, UsageEvent } from "../usage-event";
import type { GatewayDeps, RequestContext } from "./types";

/**
 * Collects what one request learns as it goes and turns it into exactly one ledger event,
 * however the request ends (success, error, cancel). `finish` is idempotent.
 */
export class LedgerEntry {
  provider: ProviderId | null = null;
  model = "";
  /** Catalog id used for pricing (aliases resolved). */
  pricedModelId: string | undefined;
  streamed = false;
  usage: NormalizedUsage = emptyUsage();
  ttftMs: number | null = null;
  finishReason: string | null = null;
  responseModel: string | null = null;
  requestBody: unknown = undefined;
  responseBody: unknown = undefined;
  private done = false;
  private readonly id: string;

  constructor(
    private readonly deps: GatewayDeps,
    private readonly ctx: RequestContext,
    private readonly endpoint: UsageEvent["endpoint"],
  ) {
    this.id = deps.newId();
  }

  /** The entry for a request body as received: the model is kept even when the body is invalid. */
  static forBody(deps: GatewayDeps, ctx: RequestContext, endpoint: UsageEvent["endpoint"], body: unknown): LedgerEntry {
    const entry = new LedgerEntry(deps, ctx, endpoint);
    const rawModel = (body as { model?: unknown } | null)?.model;
    entry.model = typeof rawModel === "string" ? rawModel.slice(0, 256) : "";
    entry.requestBody = body;
    return entry;
  }

  markFirstToken(): void {
    if (this.ttftMs === null) this.ttftMs = Math.max(0, Math.round(this.deps.now() - this.ctx.startedAt));
  }

  success(httpStatus = 200): void {
    this.finish("success", httpStatus, null);
  }

  failure(err: GatewayError, httpStatus = err.status): void {
    this.finish("error", httpStatus, err);
  }

  cancelled(): void {
    this.finish("cancelled", 499, null);
  }

  private finish(status: RequestStatus, httpStatus: number, err: GatewayError | null): void {
    if (this.done) return;
    this.done = true;
    const hasTokens = this.usage.inputTokens + this.usage.outputTokens > 0;
    const cost = this.provider === null
      ? { costNanoUsd: null, priceVersion: null, pricingStatus: "not_billable" as const }
      : !hasTokens && status !== "success"
        ? { costNanoUsd: 0n, priceVersion: null, pricingStatus: "not_billable" as const }
        : computeCost(this.pricedModelId, this.usage);
    const payload = this.deps.payloadLogging?.() === true;
    const latencyMs = Math.max(0, Math.round(this.deps.now() - this.ctx.startedAt));
    this.deps.tracer?.recordSpan({
      operation: this.endpoint,
      provider: this.provider,
      requestModel: this.model,
      responseModel: this.responseModel,
      startTimeMs: this.ctx.startedAt,
      endTimeMs: this.ctx.startedAt + latencyMs,
      inputTokens: this.usage.inputTokens,
      outputTokens: this.usage.outputTokens,
      cachedInputTokens: this.usage.cachedInputTokens,
      reasoningTokens: this.usage.reasoningTokens,
      finishReason: this.finishReason,
      status,
      errorType: err ? err.code : status === "cancelled" ? "cancelled" : null,
      httpStatus,
      streamed: this.streamed,
      costUsd: cost.costNanoUsd === null ? null : formatNanoUsd(cost.costNanoUsd),
      requestId: this.ctx.requestId,
      conversationId: this.ctx.conversationId,
      traceparent: this.ctx.traceparent,
    });
    this.deps.recorder.record({
      id: this.id,
      createdAt: new Date(this.ctx.startedAt),
      endpoint: this.endpoint,
      apiKeyId: this.ctx.apiKeyId,
      provider: this.provider,
      model: this.model,
      status,
      httpStatus,
      errorCode: err ? err.code : status === "cancelled" ? "cancelled" : null,
      errorMessage: err ? err.message.slice(0, 2000) : null,
      upstreamStatus: err?.upstreamStatus ?? null,
      streamed: this.streamed,
      byok: this.ctx.byokKey !== null,
      inputTokens: this.usage.inputTokens,
      cachedInputTokens: this.usage.cachedInputTokens,
      cacheWriteTokens: this.usage.cacheWriteTokens,
      outputTokens: this.usage.outputTokens,
      reasoningTokens: this.usage.reasoningTokens,
      costNanoUsd: cost.costNanoUsd,
      priceVersion: cost.priceVersion,
      pricingStatus: cost.pricingStatus,
      latencyMs,
      ttftMs: this.ttftMs,
      tags: this.ctx.tags,
      conversationId: this.ctx.conversationId,
      requestId: this.ctx.requestId,
      traceId: this.ctx.traceId,
      ...(payload ? { requestBody: this.requestBody, responseBody: this.responseBody } : {}),
    });
  }
}
