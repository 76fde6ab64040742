import { GatewayError } from "../../errors";
import type { ChatCompletionChunk, ChunkDelta, FinishReason } from "../../openai/chat-response";
import type { UpstreamEvent } from "../../sse";
import type { NormalizedUsage } from "../../usage";
import type { AdapterContext, ChatStreamTransformer } from "../types";
import type { GeminiUsageMetadata } from "./gemini-api";
import { parseGeminiResponse, toolCallFromPart } from "./convert-gemini-response";
import { convertGeminiUsage } from "./convert-gemini-usage";
import { geminiStreamError } from "./gemini-error";
import { mapGeminiFinishReason } from "./map-gemini-finish-reason";

/**
 * `streamGenerateContent?alt=sse` → OpenAI chunks (provider-protocols.md §4.6).
 *
 * Each event is a whole `GenerateContentResponse` holding only the new parts; `usageMetadata`
 * repeats running totals (the last one wins); `finishReason` comes on a candidate's last event;
 * there is no terminal event, so a body that ends before every candidate finished was cut off.
 */

interface ChoiceState {
  toolCalls: number;
  finish: FinishReason | null;
}

export class GeminiStreamTransformer implements ChatStreamTransformer {
  private id: string | undefined;
  private model = "";
  private created = 0;
  private lastUsage: GeminiUsageMetadata | undefined;
  private readonly choices = new Map<number, ChoiceState>();

  constructor(private readonly ctx: AdapterContext) {}

  push(event: UpstreamEvent): ChatCompletionChunk[] {
    const data = event.data.trim();
    if (data === "") return [];
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch (cause) {
      throw new GatewayError("upstream_bad_response", "Gemini: a stream event is not valid JSON.", { cause });
    }
    const response = parseGeminiResponse(json);
    if (response.error) throw geminiStreamError(response.error, data);

    if (this.id === undefined) {
      this.id = response.responseId ?? `chatcmpl-${this.ctx.newId()}`;
      this.model = response.modelVersion ?? this.ctx.upstreamModel;
      this.created = Math.floor(this.ctx.now() / 1000);
    }
    if (response.usageMetadata) this.lastUsage = response.usageMetadata;

    const out: ChatCompletionChunk[] = [];
    const candidates = response.candidates ?? [];
    for (const [pos, candidate] of candidates.entries()) {
      const index = candidate.index ?? pos;
      const state = this.choice(index, out);
      for (const part of candidate.content?.parts ?? []) {
        if (part.functionCall) {
          // The Developer API sends each call whole, never as argument fragments.
          const call = toolCallFromPart(part.functionCall, part.thoughtSignature, this.ctx);
          out.push(this.chunk(index, { tool_calls: [{ index: state.toolCalls++, ...call }] }));
        } else if (part.text !== undefined && part.text !== "") {
          out.push(this.chunk(index, part.thought === true ? { reasoning_content: part.text } : { content: part.text }));
        }
        // `{text: "", thoughtSignature}` (Gemini 3's closing part) has nothing for the client, and
        // is not kept: Gemini validates signatures only on functionCall parts, and this one has no
        // tool-call id to be stored under.
      }
      if (candidate.finishReason !== undefined && state.finish === null) {
        state.finish = mapGeminiFinishReason(candidate.finishReason, state.toolCalls > 0);
        out.push(this.chunk(index, {}, state.finish));
      }
    }

    if (candidates.length === 0 && response.promptFeedback?.blockReason !== undefined) {
      // The prompt was blocked: no candidate will come.
      const state = this.choice(0, out);
      if (state.finish === null) {
        state.finish = "content_filter";
        out.push(this.chunk(0, {}, state.finish));
      }
    }
    return out;
  }

  end(): ChatCompletionChunk[] {
    const unfinished = [...this.choices.values()].some((c) => c.finish === null);
    if (this.choices.size === 0 || unfinished) {
      throw new GatewayError("upstream_bad_response", "Gemini: the stream ended before the model finished its answer.");
    }
    return [];
  }

  /** Gemini sends no terminal event; usage may still grow in the last chunks before the body ends. */
  complete(): boolean {
    return false;
  }

  usage(): NormalizedUsage {
    return convertGeminiUsage(this.lastUsage);
  }

  finishReason(): FinishReason | null {
    const first = Math.min(...this.choices.keys());
    return this.choices.get(first)?.finish ?? null;
  }

  responseId(): string | undefined {
    return this.id;
  }

  /** The choice's state; its first appearance emits the role chunk. */
  private choice(index: number, out: ChatCompletionChunk[]): ChoiceState {
    let state = this.choices.get(index);
    if (!state) {
      state = { toolCalls: 0, finish: null };
      this.choices.set(index, state);
      out.push(this.chunk(index, { role: "assistant", content: "" }));
    }
    return state;
  }

  private chunk(index: number, delta: ChunkDelta, finishReason: FinishReason | null = null): ChatCompletionChunk {
    return {
      id: this.id ?? "",
      object: "chat.completion.chunk",
      created: this.created,
      model: this.model,
      choices: [{ index, delta, logprobs: null, finish_reason: finishReason }],
    };
  }
}
