import type { ChatCompletionChunk, ChunkChoice, ChunkDelta, FinishReason, ToolCallDelta } from "../../openai/chat-response";
import { GatewayError } from "../../errors";
import type { UpstreamEvent } from "../../sse";
import { emptyUsage, type NormalizedUsage } from "../../usage";
import type { ChatStreamTransformer } from "../types";
import { compatChunkSchema, type CompatDelta } from "./openai-compatible-api";
import { mapOpenAICompatibleFinishReason } from "./map-openai-compatible-finish-reason";
import { parseOpenAICompatibleStreamError, type RefineError } from "./openai-compatible-error";
import { passThroughTypedNull, type ConvertUsage } from "./convert-openai-compatible-response";

export interface OpenAICompatibleStreamOptions {
  displayName: string;
  convertUsage: ConvertUsage;
  refineError?: RefineError;
}

function convertToolCalls(calls: NonNullable<CompatDelta["tool_calls"]>): ToolCallDelta[] {
  return calls.map((call, position) => {
    const out: ToolCallDelta = { index: call.index ?? position };
    if (call.id != null) out.id = call.id;
    if (call.type === "function") out.type = "function";
    if (call.function != null) {
      const fn: { name?: string; arguments?: string } = {};
      if (call.function.name != null) fn.name = call.function.name;
      if (call.function.arguments != null) fn.arguments = call.function.arguments;
      out.function = fn;
    }
    return out;
  });
}

/** Only the delta fields of the OpenAI chunk contract; vendor extras are not forwarded. */
function convertDelta(delta: CompatDelta | null | undefined): ChunkDelta {
  const out: ChunkDelta = {};
  if (delta == null) return out;
  if (delta.role != null) out.role = "assistant";
  if (delta.content !== undefined) out.content = delta.content;
  if (delta.refusal !== undefined) out.refusal = passThroughTypedNull(delta.refusal);
  if (typeof delta.reasoning_content === "string") out.reasoning_content = delta.reasoning_content;
  if (delta.tool_calls != null && delta.tool_calls.length > 0) out.tool_calls = convertToolCalls(delta.tool_calls);
  return out;
}

/**
 * OpenAI and xAI streams are already OpenAI-shaped, so each upstream chunk becomes one typed chunk:
 * - the `choices: []` usage chunk is recorded, not emitted (the core writes its own when asked);
 * - `obfuscation`, `usage: null` and other vendor keys are dropped;
 * - `finish_reason` is `null` when omitted (xAI omits it on intermediate chunks);
 * - every choice index starts with `role: "assistant"` — both providers already send it (xAI together
 *   with the first `reasoning_content` piece, kept as one chunk); it is added only if missing;
 * - `n > 1` passes through with its indices.
 */
export class OpenAICompatibleStreamTransformer implements ChatStreamTransformer {
  private id: string | undefined;
  private usageSoFar: NormalizedUsage = emptyUsage();
  private readonly finishByIndex = new Map<number, FinishReason>();
  private readonly startedIndices = new Set<number>();
  private done = false;

  constructor(private readonly options: OpenAICompatibleStreamOptions) {}

  push(event: UpstreamEvent): ChatCompletionChunk[] {
    if (this.done) return [];
    const data = event.data.trim();
    // An empty data line carries nothing (keep-alive); `[DONE]` ends the stream.
    if (data === "") return [];
    if (data === "[DONE]") {
      this.done = true;
      return [];
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch (cause) {
      throw this.badEvent("malformed stream event (not JSON)", data, cause);
    }
    const error = parseOpenAICompatibleStreamError(this.options.displayName, json, this.options.refineError);
    if (error) throw error;
    const parsed = compatChunkSchema.safeParse(json);
    if (!parsed.success) throw this.badEvent("unexpected stream chunk shape", data, parsed.error);
    const wire = parsed.data;

    this.id ??= wire.id;
    if (wire.usage != null) this.usageSoFar = this.options.convertUsage(wire.usage);
    if (wire.choices.length === 0) return [];

    const choices = wire.choices.map((choice): ChunkChoice => {
      const delta = convertDelta(choice.delta);
      if (!this.startedIndices.has(choice.index)) {
        this.startedIndices.add(choice.index);
        if (delta.role === undefined) delta.role = "assistant";
      }
      const finish = mapOpenAICompatibleFinishReason(choice.finish_reason);
      if (finish !== null) this.finishByIndex.set(choice.index, finish);
      return { index: choice.index, delta, logprobs: passThroughTypedNull(choice.logprobs), finish_reason: finish };
    });
    const chunk: ChatCompletionChunk = {
      id: wire.id,
      object: "chat.completion.chunk",
      created: wire.created,
      model: wire.model,
      choices,
    };
    if (wire.system_fingerprint !== undefined) chunk.system_fingerprint = wire.system_fingerprint;
    if (wire.service_tier !== undefined) chunk.service_tier = wire.service_tier;
    return [chunk];
  }

  end(): ChatCompletionChunk[] {
    // Every choice that started must have finished; otherwise the connection was cut mid-answer.
    const unfinished = [...this.startedIndices].some((index) => !this.finishByIndex.has(index));
    if (this.finishByIndex.size === 0 || unfinished) {
      throw new GatewayError("upstream_bad_response", `${this.options.displayName}: the stream ended before the response was complete.`);
    }
    return [];
  }

  complete(): boolean {
    return this.done;
  }

  usage(): NormalizedUsage {
    return { ...this.usageSoFar };
  }

  finishReason(): FinishReason | null {
    return this.finishByIndex.get(0) ?? this.finishByIndex.values().next().value ?? null;
  }

  responseId(): string | undefined {
    return this.id;
  }

  private badEvent(what: string, data: string, cause: unknown): GatewayError {
    return new GatewayError("upstream_bad_response", `${this.options.displayName}: ${what}`, { upstreamBody: data.slice(0, 8192), cause });
  }
}
