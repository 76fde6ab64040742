import { GatewayError } from "../../errors";
import type { ChatCompletionRequest, ThinkingBlock } from "../../openai/chat-request";
import type { ChatCompletionMessage, OutputToolCall } from "../../openai/chat-response";
import { toOpenAIUsage } from "../../usage";
import type { AdapterContext, ChatResult } from "../types";
import { anthropicMessageResponseSchema } from "./anthropic-api";
import { convertAnthropicUsage } from "./convert-anthropic-usage";
import { JSON_MODE_TOOL_NAME, usesJsonModeTool } from "./convert-to-anthropic-request";
import { mapAnthropicFinishReason, mapAnthropicFinishReasonForJsonMode } from "./map-anthropic-finish-reason";

/** OpenAI-style completion id that still carries Anthropic's message id (for support requests). */
export function toChatCompletionId(messageId: string): string {
  return `chatcmpl-${messageId}`;
}

/**
 * Anthropic Message → ChatCompletion (provider-protocols.md §3.3).
 *
 * Extension fields: `message.reasoning_content` (thinking text) and `message.thinking_blocks`
 * (thinking blocks with their signatures and redacted blocks, LiteLLM's name) that clients echo back
 * on the next turn; the blocks are also stored in `ctx.reasoningState` under each returned tool-call
 * id for clients that do not echo them.
 */
export function convertAnthropicResponse(body: unknown, req: ChatCompletionRequest, ctx: AdapterContext): ChatResult {
  const parsed = anthropicMessageResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new GatewayError("upstream_bad_response", "Anthropic returned a response the gateway could not read.", { cause: parsed.error });
  }
  const msg = parsed.data;
  const jsonMode = usesJsonModeTool(req);

  const texts: string[] = [];
  const reasoning: string[] = [];
  const thinkingBlocks: ThinkingBlock[] = [];
  const toolCalls: OutputToolCall[] = [];
  let jsonContent: string | undefined;

  for (const block of msg.content) {
    switch (block.type) {
      case "text":
        texts.push(block.text);
        break;
      case "thinking":
        reasoning.push(block.thinking);
        thinkingBlocks.push({ type: "thinking", thinking: block.thinking, signature: block.signature });
        break;
      case "redacted_thinking":
        thinkingBlocks.push({ type: "redacted_thinking", data: block.data });
        break;
      case "tool_use": {
        const args = JSON.stringify(block.input ?? {});
        if (jsonMode && block.name === JSON_MODE_TOOL_NAME && jsonContent === undefined) jsonContent = args;
        else toolCalls.push({ id: block.id, type: "function", function: { name: block.name, arguments: args } });
        break;
      }
      default:
        // Server-tool blocks and other kinds have no OpenAI equivalent.
        break;
    }
  }

  // In JSON mode the forced tool's input is the answer; any preamble text would make it invalid JSON.
  const text = texts.join("");
  const content = jsonContent ?? (text === "" && toolCalls.length > 0 ? null : text);
  const message: ChatCompletionMessage = { role: "assistant", content, refusal: null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning.some((r) => r.length > 0)) message.reasoning_content = reasoning.join("");
  if (thinkingBlocks.length > 0) {
    message.thinking_blocks = thinkingBlocks;
    for (const call of toolCalls) ctx.reasoningState.set(call.id, { provider: "anthropic", thinkingBlocks });
  }

  const usage = convertAnthropicUsage(msg.usage);
  return {
    completion: {
      id: toChatCompletionId(msg.id),
      object: "chat.completion",
      created: Math.floor(ctx.now() / 1000),
      model: msg.model,
      choices: [
        {
          index: 0,
          message,
          logprobs: null,
          finish_reason: jsonMode ? mapAnthropicFinishReasonForJsonMode(msg.stop_reason) : mapAnthropicFinishReason(msg.stop_reason),
        },
      ],
      usage: toOpenAIUsage(usage),
    },
    usage,
  };
}
