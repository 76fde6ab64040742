import { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, type Attributes } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import type { GatewayTracer, GenAiSpan } from "@/gateway/core/types";
import type { ProviderId } from "@/gateway/providers/types";

/** `gen_ai.provider.name` values from the OpenTelemetry GenAI semantic conventions. */
const providerName: Record<ProviderId, string> = { openai: "openai", anthropic: "anthropic", gemini: "gcp.gemini", xai: "x_ai" };

/** GenAI client-span attributes (semantic conventions `gen_ai.*`), plus a few `switchyard.*` ones. */
export function genAiAttributes(s: GenAiSpan): Attributes {
  const a: Attributes = {
    "gen_ai.operation.name": s.operation,
    "gen_ai.request.model": s.requestModel,
    "gen_ai.usage.input_tokens": s.inputTokens,
    "gen_ai.usage.output_tokens": s.outputTokens,
    "http.response.status_code": s.httpStatus,
    "switchyard.request_id": s.requestId,
    "switchyard.streamed": s.streamed,
    "switchyard.status": s.status,
  };
  if (s.provider) a["gen_ai.provider.name"] = providerName[s.provider];
  if (s.responseModel) a["gen_ai.response.model"] = s.responseModel;
  if (s.finishReason) a["gen_ai.response.finish_reasons"] = [s.finishReason];
  if (s.conversationId) a["gen_ai.conversation.id"] = s.conversationId;
  if (s.cachedInputTokens > 0) a["gen_ai.usage.cache_read.input_tokens"] = s.cachedInputTokens;
  if (s.reasoningTokens > 0) a["switchyard.usage.reasoning_tokens"] = s.reasoningTokens;
  if (s.costUsd !== null) a["switchyard.cost_usd"] = s.costUsd;
  if (s.errorType) a["error.type"] = s.errorType;
  return a;
}

/**
 * Exports one CLIENT span per gateway request over OTLP/HTTP, as a child of the caller's
 * `traceparent` when one was sent. Spans are built after the fact from timestamps the core kept,
 * so the request path does no tracing work beyond handing over one object.
 */
export function createOtelTracer(opts: { endpoint: string; serviceName: string; scheduleDelayMs: number }): GatewayTracer & { shutdown(): Promise<void> } {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": opts.serviceName }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${opts.endpoint.replace(/\/+$/, "")}/v1/traces` }),
        scheduledDelayMillis: opts.scheduleDelayMs,
      }),
    ],
  });
  const tracer = provider.getTracer("switchyard");
  const propagator = new W3CTraceContextPropagator();
  return {
    recordSpan(s) {
      const parent = s.traceparent ? propagator.extract(ROOT_CONTEXT, { traceparent: s.traceparent }, defaultTextMapGetter) : ROOT_CONTEXT;
      const span = tracer.startSpan(`${s.operation} ${s.requestModel}`, { kind: SpanKind.CLIENT, startTime: s.startTimeMs, attributes: genAiAttributes(s) }, parent);
      if (s.status === "error") span.setStatus({ code: SpanStatusCode.ERROR, message: s.errorType ?? undefined });
      span.end(s.endTimeMs);
    },
    shutdown: () => provider.shutdown(),
  };
}
