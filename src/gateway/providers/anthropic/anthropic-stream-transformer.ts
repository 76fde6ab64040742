import type { z } from "zod";
import { GatewayError } from "../../errors";
import type { ChatCompletionRequest, ThinkingBlock } from "../../openai/chat-request";
import type { ChatCompletionChunk, ChunkDelta, FinishReason } from "../../openai/chat-response";
import type { UpstreamEvent } from "../../sse";
import type { NormalizedUsage } from "../../usage";
import type { AdapterContext, ChatStreamTransformer } from "../types";
import {
  contentBlockDeltaEventSchema,
  contentBlockStartEventSchema,
  contentBlockStopEventSchema,
  messageDeltaEventSchema,
  messageStartEventSchema,
  streamEventTypeSchema,
  type AnthropicUsage,
} from "./anthropic-api";
import { anthropicStreamError } from "./anthropic-error";
import { convertAnthropicUsage, mergeAnthropicUsage } from "./convert-anthropic-usage";
import { toChatCompletionId } from "./convert-anthropic-response";
import { JSON_MODE_TOOL_NAME, usesJsonModeTool } from "./convert-to-anthropic-request";
import { mapAnthropicFinishReason, mapAnthropicFinishReasonForJsonMode } from "./map-anthropic-finish-reason";

/**
 * Anthropic Messages SSE → OpenAI chunks, event by event (provider-protocols.md §3.6).
 *
 * - Tool calls are numbered per message from 0 (`index`), not by Anthropic's content-block index,
 *   which text and thinking blocks shift.
 * - Thinking text streams as `delta.reasoning_content`; once a thinking block's signature is known
 *   (at its `content_block_stop`) the whole block is sent as `delta.thinking_blocks` (extension,
 *   LiteLLM's name) so that clients can echo it; redacted blocks likewise. When the message calls
 *   tools, the blocks are also stored in `ctx.reasoningState` under each tool-call id.
 * - In JSON mode (`response_format: json_object`) the forced tool's argument fragments become
 *   content deltas and the finish reason is `stop`.
 */
export function createAnthropicStreamTransformer(req: ChatCompletionRequest, ctx: AdapterContext): ChatStreamTransformer {
  return new AnthropicStreamTransformer(req, ctx);
}

type BlockState =
  | { kind: "text" }
  | { kind: "thinking"; thinking: string; signature: string }
  | { kind: "redacted"; data: string }
  | { kind: "tool"; toolIndex: number; argsSent: boolean }
  | { kind: "json-tool"; argsSent: boolean }
  | { kind: "other" };

function badStream(message: string, cause?: unknown): GatewayError {
  return new GatewayError("upstream_bad_response", `Anthropic: ${message}`, { cause });
}

class AnthropicStreamTransformer implements ChatStreamTransformer {
  private readonly ctx: AdapterContext;
  private readonly jsonMode: boolean;
  private readonly created: number;
  private id: string | undefined;
  private model: string;
  private started = false;
  private finished = false;
  private finish: FinishReason | null = null;
  private wireUsage: AnthropicUsage = {};
  private readonly blocks = new Map<number, BlockState>();
  private readonly toolCallIds: string[] = [];
  private readonly thinkingBlocks: ThinkingBlock[] = [];
  private jsonToolSeen = false;
  /** JSON mode: text is held back, since only the forced tool's input is valid JSON content. */
  private readonly heldText: string[] = [];

  constructor(req: ChatCompletionRequest, ctx: AdapterContext) {
    this.ctx = ctx;
    this.jsonMode = usesJsonModeTool(req);
    this.created = Math.floor(ctx.now() / 1000);
    this.model = ctx.upstreamModel;
  }

  push(event: UpstreamEvent): ChatCompletionChunk[] {
    if (this.finished) return [];
    let json: unknown;
    try {
      json = JSON.parse(event.data);
    } catch (cause) {
      throw badStream("the stream carried an event that is not JSON.", cause);
    }
    const head = streamEventTypeSchema.safeParse(json);
    if (!head.success) throw badStream("the stream carried an event without a type.", head.error);

    switch (head.data.type) {
      case "ping":
        return [];
      case "error":
        throw anthropicStreamError(json, event.data);
      case "message_start":
        return this.onMessageStart(parse(messageStartEventSchema, json));
    }
    if (!this.started) throw badStream(`the stream sent ${head.data.type} before message_start.`);
    switch (head.data.type) {
      case "content_block_start":
        return this.onBlockStart(parse(contentBlockStartEventSchema, json));
      case "content_block_delta":
        return this.onBlockDelta(parse(contentBlockDeltaEventSchema, json));
      case "content_block_stop":
        return this.onBlockStop(parse(contentBlockStopEventSchema, json));
      case "message_delta":
        return this.onMessageDelta(parse(messageDeltaEventSchema, json));
      case "message_stop":
        return this.onMessageStop();
      default:
        // Event kinds added after this adapter was written carry nothing it could map.
        return [];
    }
  }

  end(): ChatCompletionChunk[] {
    if (!this.finished) throw badStream("the stream ended before the message was complete (no message_stop).");
    return [];
  }

  complete(): boolean {
    return this.finished;
  }

  usage(): NormalizedUsage {
    return convertAnthropicUsage(this.wireUsage);
  }

  finishReason(): FinishReason | null {
    return this.finish;
  }

  responseId(): string | undefined {
    return this.id === undefined ? undefined : toChatCompletionId(this.id);
  }

  private onMessageStart(event: z.infer<typeof messageStartEventSchema>): ChatCompletionChunk[] {
    if (this.started) throw badStream("the stream sent message_start twice.");
    this.started = true;
    this.id = event.message.id;
    this.model = event.message.model || this.model;
    this.wireUsage = event.message.usage ?? {};
    return [this.chunk({ role: "assistant", content: "" })];
  }

  private onBlockStart(event: z.infer<typeof contentBlockStartEventSchema>): ChatCompletionChunk[] {
    if (this.blocks.has(event.index)) throw badStream(`content block ${event.index} started twice.`);
    const block = event.content_block;
    switch (block.type) {
      case "text":
        this.blocks.set(event.index, { kind: "text" });
        return this.text(block.text ?? "");
      case "thinking": {
        const thinking = block.thinking ?? "";
        this.blocks.set(event.index, { kind: "thinking", thinking, signature: block.signature ?? "" });
        return thinking ? [this.chunk({ reasoning_content: thinking })] : [];
      }
      case "redacted_thinking":
        this.blocks.set(event.index, { kind: "redacted", data: block.data });
        return [];
      case "tool_use": {
        if (this.jsonMode && block.name === JSON_MODE_TOOL_NAME && !this.jsonToolSeen) {
          this.jsonToolSeen = true;
          this.heldText.length = 0;
          this.blocks.set(event.index, { kind: "json-tool", argsSent: false });
          return [];
        }
        const toolIndex = this.toolCallIds.length;
        this.toolCallIds.push(block.id);
        this.blocks.set(event.index, { kind: "tool", toolIndex, argsSent: false });
        return [this.chunk({ tool_calls: [{ index: toolIndex, id: block.id, type: "function", function: { name: block.name, arguments: "" } }] })];
      }
      default:
        // server_tool_use, web_search_tool_result, ...: no OpenAI equivalent.
        this.blocks.set(event.index, { kind: "other" });
        return [];
    }
  }

  private onBlockDelta(event: z.infer<typeof contentBlockDeltaEventSchema>): ChatCompletionChunk[] {
    const block = this.blocks.get(event.index);
    if (!block) throw badStream(`content_block_delta for block ${event.index}, which never started.`);
    if (block.kind === "other") return [];
    const delta = event.delta;
    switch (delta.type) {
      case "text_delta":
        if (block.kind !== "text") throw mismatch(delta.type, block.kind);
        return this.text(delta.text);
      case "thinking_delta":
        if (block.kind !== "thinking") throw mismatch(delta.type, block.kind);
        block.thinking += delta.thinking;
        // Empty thinking deltas occur right before the signature.
        return delta.thinking ? [this.chunk({ reasoning_content: delta.thinking })] : [];
      case "signature_delta":
        if (block.kind !== "thinking") throw mismatch(delta.type, block.kind);
        block.signature += delta.signature;
        return [];
      case "input_json_delta":
        if (block.kind !== "tool" && block.kind !== "json-tool") throw mismatch(delta.type, block.kind);
        // The first fragment is often "".
        if (delta.partial_json === "") return [];
        block.argsSent = true;
        if (block.kind === "json-tool") return [this.chunk({ content: delta.partial_json })];
        return [this.chunk({ tool_calls: [{ index: block.toolIndex, function: { arguments: delta.partial_json } }] })];
      default:
        // citations_delta and later kinds.
        return [];
    }
  }

  private onBlockStop(event: z.infer<typeof contentBlockStopEventSchema>): ChatCompletionChunk[] {
    const block = this.blocks.get(event.index);
    if (!block) throw badStream(`content_block_stop for block ${event.index}, which never started.`);
    switch (block.kind) {
      case "thinking": {
        // A block without a signature cannot be echoed (Anthropic would reject it).
        if (!block.signature) return [];
        const done: ThinkingBlock = { type: "thinking", thinking: block.thinking, signature: block.signature };
        this.thinkingBlocks.push(done);
        return [this.chunk({ thinking_blocks: [done] })];
      }
      case "redacted": {
        const done: ThinkingBlock = { type: "redacted_thinking", data: block.data };
        this.thinkingBlocks.push(done);
        return [this.chunk({ thinking_blocks: [done] })];
      }
      case "tool":
        // A call without arguments only ever sent "": clients need a parseable JSON object.
        return block.argsSent ? [] : [this.chunk({ tool_calls: [{ index: block.toolIndex, function: { arguments: "{}" } }] })];
      case "json-tool":
        return block.argsSent ? [] : [this.chunk({ content: "{}" })];
      default:
        return [];
    }
  }

  private onMessageDelta(event: z.infer<typeof messageDeltaEventSchema>): ChatCompletionChunk[] {
    // Usage here is cumulative and may restate (and correct) the input counts of message_start.
    this.wireUsage = mergeAnthropicUsage(this.wireUsage, event.usage);
    if (this.finish !== null) return [];
    const stopReason = event.delta.stop_reason;
    this.finish = this.jsonMode ? mapAnthropicFinishReasonForJsonMode(stopReason) : mapAnthropicFinishReason(stopReason);
    if (this.thinkingBlocks.length > 0) {
      const state = { provider: "anthropic" as const, thinkingBlocks: [...this.thinkingBlocks] };
      for (const id of this.toolCallIds) this.ctx.reasoningState.set(id, state);
    }
    const out: ChatCompletionChunk[] = [];
    // JSON mode without the forced tool call (the model answered in text): pass the text on.
    if (this.jsonMode && !this.jsonToolSeen && this.heldText.length > 0) {
      out.push(this.chunk({ content: this.heldText.join("") }));
      this.heldText.length = 0;
    }
    out.push(this.chunk({}, this.finish));
    return out;
  }

  private onMessageStop(): ChatCompletionChunk[] {
    this.finished = true;
    if (this.finish !== null) return [];
    // No message_delta arrived: still close the choice so clients see a finish reason.
    this.finish = "stop";
    return [this.chunk({}, this.finish)];
  }

  private text(text: string): ChatCompletionChunk[] {
    if (text === "") return [];
    if (this.jsonMode) {
      if (!this.jsonToolSeen) this.heldText.push(text);
      return [];
    }
    return [this.chunk({ content: text })];
  }

  private chunk(delta: ChunkDelta, finishReason: FinishReason | null = null): ChatCompletionChunk {
    return {
      id: toChatCompletionId(this.id ?? ""),
      object: "chat.completion.chunk",
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    };
  }
}

function parse<S extends z.ZodType>(schema: S, json: unknown): z.infer<S> {
  const result = schema.safeParse(json);
  if (!result.success) throw badStream("the stream carried an event the gateway could not read.", result.error);
  return result.data;
}

function mismatch(deltaType: string, blockKind: string): GatewayError {
  return badStream(`${deltaType} arrived for a ${blockKind} block.`);
}
