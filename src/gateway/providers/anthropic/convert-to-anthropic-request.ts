import { GatewayError } from "../../errors";
import {
  findUnsupportedField,
  requestedMaxTokens,
  type AssistantMessage,
  type ChatCompletionRequest,
  type ChatMessage,
  type ReasoningEffort,
  type ThinkingBlock,
  type ToolMessage,
  type UserContentPart,
} from "../../openai/chat-request";
import type { AdapterContext, ReasoningStateStore } from "../types";
import type {
  AnthropicAssistantBlock,
  AnthropicEffort,
  AnthropicMessage,
  AnthropicRequest,
  AnthropicTextBlock,
  AnthropicThinkingConfig,
  AnthropicTool,
  AnthropicToolChoice,
  AnthropicToolResultBlock,
  AnthropicUserBlock,
} from "./anthropic-api";

/**
 * OpenAI chat request → Anthropic Messages request (provider-protocols.md §3.2).
 * Every parameter is mapped or rejected with a 400 naming it; nothing is clamped or dropped.
 */

/**
 * `max_tokens` is mandatory on Anthropic and OpenAI clients rarely send one. 4096 is enough for a
 * long answer on every current Claude model while keeping an unbounded request's cost predictable.
 */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/**
 * `reasoning_effort` → `thinking.budget_tokens` for models with manual thinking budgets.
 * 1024 is Anthropic's minimum budget (so `minimal` cannot go lower, unlike LiteLLM's 128, which the
 * API rejects); low/medium/high follow LiteLLM's defaults; xhigh doubles high.
 */
export const ANTHROPIC_THINKING_BUDGETS: Readonly<Record<Exclude<ReasoningEffort, "none">, number>> = {
  minimal: 1024,
  low: 1024,
  medium: 2048,
  high: 4096,
  xhigh: 8192,
};

/**
 * `response_format: json_object` has no native switch on Anthropic: the request forces a call to
 * this tool and its `input` is returned as the message content (vercel/ai's technique).
 */
export const JSON_MODE_TOOL_NAME = "json";

export function usesJsonModeTool(req: ChatCompletionRequest): boolean {
  return req.response_format?.type === "json_object";
}

/** Request fields this adapter maps (the no-op values of n/logprobs/penalties pass the checks below). */
const SUPPORTED_FIELDS: ReadonlySet<string> = new Set([
  "model",
  "messages",
  "stream",
  "stream_options",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "n",
  "stop",
  "user",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "response_format",
  "reasoning_effort",
  "logprobs",
  "logit_bias",
  "presence_penalty",
  "frequency_penalty",
]);

const SUPPORTED_IMAGE_TYPES: ReadonlySet<string> = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);

export function convertToAnthropicRequest(req: ChatCompletionRequest, ctx: AdapterContext, stream: boolean): AnthropicRequest {
  assertSupportedParameters(req);
  const reasoning = resolveReasoning(req, ctx);
  const thinkingOn = reasoning.thinking !== undefined;
  const { system, messages } = convertMessages(req.messages, ctx.reasoningState);

  const body: AnthropicRequest = { model: ctx.upstreamModel, max_tokens: resolveMaxTokens(req, ctx, reasoning.budget), messages };
  if (system.length > 0) body.system = system;
  if (reasoning.thinking) body.thinking = reasoning.thinking;
  if (reasoning.effort) body.output_config = { effort: reasoning.effort };

  if (req.temperature != null) {
    if (req.temperature > 1) throw unsupported("temperature", "Anthropic accepts temperature between 0 and 1.");
    if (thinkingOn && req.temperature !== 1) {
      throw unsupported("temperature", "Anthropic does not accept temperature (other than 1) together with reasoning_effort.");
    }
    body.temperature = req.temperature;
  }
  if (req.top_p != null) {
    if (thinkingOn && req.top_p !== 1) throw unsupported("top_p", "Anthropic does not accept top_p together with reasoning_effort.");
    body.top_p = req.top_p;
  }

  const stop = typeof req.stop === "string" ? [req.stop] : (req.stop ?? []);
  if (stop.length > 0) body.stop_sequences = stop;
  if (req.user !== undefined) body.metadata = { user_id: req.user };

  applyToolsAndFormat(req, body, thinkingOn);
  if (stream) body.stream = true;
  return body;
}

function unsupported(param: string, message: string): GatewayError {
  return new GatewayError("unsupported_parameter", message, { param });
}

function invalidMessages(message: string): GatewayError {
  return new GatewayError("invalid_request", message, { param: "messages" });
}

function assertSupportedParameters(req: ChatCompletionRequest): void {
  if (req.n != null && req.n > 1) throw unsupported("n", "Anthropic returns one choice per request; n must be 1.");
  if (req.logprobs === true) throw unsupported("logprobs", "Anthropic does not return logprobs.");
  if (req.top_logprobs != null) throw unsupported("top_logprobs", "Anthropic does not return logprobs.");
  if (req.logit_bias != null && Object.keys(req.logit_bias).length > 0) throw unsupported("logit_bias", "Anthropic does not support logit_bias.");
  if (req.presence_penalty != null && req.presence_penalty !== 0) throw unsupported("presence_penalty", "Anthropic does not support presence_penalty.");
  if (req.frequency_penalty != null && req.frequency_penalty !== 0) throw unsupported("frequency_penalty", "Anthropic does not support frequency_penalty.");
  if (req.seed != null) throw unsupported("seed", "Anthropic does not support seed.");
  const unknown = findUnsupportedField(req, SUPPORTED_FIELDS);
  if (unknown !== undefined) throw unsupported(unknown, `The parameter '${unknown}' is not supported for Anthropic models.`);
}

// ---------------------------------------------------------------------------------------------
// Reasoning and max_tokens

interface ResolvedReasoning {
  thinking?: AnthropicThinkingConfig;
  effort?: AnthropicEffort;
  /** Manual thinking budget, which counts against max_tokens. */
  budget?: number;
}

function resolveReasoning(req: ChatCompletionRequest, ctx: AdapterContext): ResolvedReasoning {
  const effort = req.reasoning_effort;
  if (effort == null) return {};
  const info = ctx.modelInfo;
  if (info?.reasoningEfforts && !info.reasoningEfforts.includes(effort)) {
    throw unsupported("reasoning_effort", `${ctx.upstreamModel} accepts reasoning_effort ${info.reasoningEfforts.join(", ")}.`);
  }
  if (effort === "none") return {};
  if (info?.reasoning === "none") throw unsupported("reasoning_effort", `${ctx.upstreamModel} does not support reasoning_effort.`);
  if (info?.reasoning === "anthropic-adaptive") {
    // Anthropic has no `minimal` effort; `low` is its lightest.
    return { thinking: { type: "adaptive", display: "summarized" }, effort: effort === "minimal" ? "low" : effort };
  }
  // anthropic-budget, or a model missing from the catalog: manual budgets work on every thinking model.
  const budget = ANTHROPIC_THINKING_BUDGETS[effort];
  return { thinking: { type: "enabled", budget_tokens: budget, display: "summarized" }, budget };
}

/** The thinking budget comes on top of the client's limit (as vercel/ai does), capped at the model maximum. */
function resolveMaxTokens(req: ChatCompletionRequest, ctx: AdapterContext, budget: number | undefined): number {
  const base = requestedMaxTokens(req) ?? ANTHROPIC_DEFAULT_MAX_TOKENS;
  if (budget === undefined) return base;
  const withBudget = base + budget;
  const cap = ctx.modelInfo?.maxOutputTokens;
  return cap !== undefined ? Math.min(withBudget, cap) : withBudget;
}

// ---------------------------------------------------------------------------------------------
// Tools, tool_choice and response_format

function applyToolsAndFormat(req: ChatCompletionRequest, body: AnthropicRequest, thinkingOn: boolean): void {
  const userTools = req.tools ?? [];
  const format = req.response_format;

  if (format?.type === "json_schema") {
    const schema = format.json_schema.schema;
    if (!schema) throw unsupported("response_format", "response_format.json_schema.schema is required for Anthropic models.");
    body.output_config = { ...body.output_config, format: { type: "json_schema", schema } };
  }

  const choice = req.tool_choice;
  if (userTools.length === 0 && choice !== undefined && choice !== "auto" && choice !== "none") {
    throw new GatewayError("invalid_request", "tool_choice requires tools.", { param: "tool_choice" });
  }
  if (thinkingOn && (choice === "required" || typeof choice === "object")) {
    // Anthropic: with extended thinking only tool_choice auto or none is allowed.
    throw unsupported("tool_choice", "Anthropic does not accept a forced tool_choice together with reasoning_effort.");
  }

  if (format?.type === "json_object") {
    if (userTools.length > 0) {
      throw unsupported("response_format", "response_format json_object cannot be combined with tools on Anthropic models; use json_schema.");
    }
    if (thinkingOn) {
      throw unsupported("response_format", "response_format json_object cannot be combined with reasoning_effort on Anthropic models; use json_schema.");
    }
    body.tools = [{ name: JSON_MODE_TOOL_NAME, description: "Respond with a JSON object.", input_schema: { type: "object" } }];
    body.tool_choice = { type: "tool", name: JSON_MODE_TOOL_NAME };
    return;
  }

  if (userTools.length === 0) return;
  body.tools = userTools.map((t): AnthropicTool => {
    const params = t.function.parameters;
    const tool: AnthropicTool = {
      name: t.function.name,
      input_schema: params && Object.keys(params).length > 0 ? params : { type: "object", properties: {} },
    };
    if (t.function.description !== undefined) tool.description = t.function.description;
    if (t.function.strict === true) tool.strict = true;
    return tool;
  });

  const disableParallel = req.parallel_tool_calls === false;
  let toolChoice: AnthropicToolChoice | undefined;
  if (choice === "none") toolChoice = { type: "none" };
  else if (choice === "required") toolChoice = { type: "any" };
  else if (typeof choice === "object") toolChoice = { type: "tool", name: choice.function.name };
  else if (choice === "auto" || disableParallel) toolChoice = { type: "auto" };
  if (toolChoice && disableParallel && toolChoice.type !== "none") toolChoice.disable_parallel_tool_use = true;
  if (toolChoice) body.tool_choice = toolChoice;
}

// ---------------------------------------------------------------------------------------------
// Messages

function convertMessages(
  input: readonly ChatMessage[],
  store: ReasoningStateStore,
): { system: AnthropicTextBlock[]; messages: AnthropicMessage[] } {
  const system: AnthropicTextBlock[] = [];
  const messages: AnthropicMessage[] = [];
  // The user message that tool results are being collected into; all results answering one
  // assistant turn must share one user message, results first (§3.9).
  let toolResults: { role: "user"; content: AnthropicUserBlock[] } | undefined;

  input.forEach((msg, i) => {
    switch (msg.role) {
      case "system":
      case "developer": {
        // Hoisted: Anthropic takes instructions only in the top-level `system`.
        const parts = typeof msg.content === "string" ? [msg.content] : msg.content.map((p) => p.text);
        for (const text of parts) if (text.length > 0) system.push({ type: "text", text });
        return;
      }
      case "tool": {
        const block = convertToolResult(msg);
        if (toolResults) toolResults.content.push(block);
        else {
          toolResults = { role: "user", content: [block] };
          messages.push(toolResults);
        }
        return;
      }
      case "user": {
        const blocks = convertUserContent(msg.content, i);
        if (blocks.length === 0) throw invalidMessages(`messages[${i}]: user content must not be empty.`);
        if (toolResults) toolResults.content.push(...blocks);
        else messages.push({ role: "user", content: blocks });
        toolResults = undefined;
        return;
      }
      case "assistant": {
        toolResults = undefined;
        const blocks = convertAssistantMessage(msg, i, store);
        // An assistant turn with no text, no tool calls and no reasoning carries nothing to send.
        if (blocks.length > 0) messages.push({ role: "assistant", content: blocks });
        return;
      }
    }
  });
  return { system, messages };
}

function convertToolResult(msg: ToolMessage): AnthropicToolResultBlock {
  const block: AnthropicToolResultBlock = { type: "tool_result", tool_use_id: msg.tool_call_id };
  if (typeof msg.content === "string") {
    if (msg.content.length > 0) block.content = msg.content;
  } else {
    const texts = msg.content.filter((p) => p.text.length > 0).map((p): AnthropicTextBlock => ({ type: "text", text: p.text }));
    if (texts.length > 0) block.content = texts;
  }
  return block;
}

function convertUserContent(content: string | UserContentPart[], i: number): AnthropicUserBlock[] {
  if (typeof content === "string") return content.length > 0 ? [{ type: "text", text: content }] : [];
  const blocks: AnthropicUserBlock[] = [];
  content.forEach((part, j) => {
    const where = `messages[${i}].content[${j}]`;
    switch (part.type) {
      case "text":
        // Anthropic rejects empty text blocks.
        if (part.text.length > 0) blocks.push({ type: "text", text: part.text });
        return;
      case "image_url":
        blocks.push(convertImage(part.image_url.url, where));
        return;
      case "file": {
        const data = part.file.file_data;
        if (data === undefined) throw invalidMessages(`${where}: Anthropic models take files as file_data (a base64 data URL), not file_id.`);
        const parsed = parseDataUrl(data);
        if (!parsed || parsed.mediaType !== "application/pdf") {
          throw invalidMessages(`${where}: Anthropic models accept PDF files as a base64 data URL (data:application/pdf;base64,...).`);
        }
        blocks.push({ type: "document", source: { type: "base64", media_type: "application/pdf", data: parsed.data } });
        return;
      }
      case "input_audio":
        throw invalidMessages(`${where}: Anthropic models do not accept audio input.`);
    }
  });
  return blocks;
}

function convertImage(url: string, where: string): AnthropicUserBlock {
  if (url.startsWith("data:")) {
    const parsed = parseDataUrl(url);
    if (!parsed) throw invalidMessages(`${where}: image data URLs must be base64 encoded (data:<media type>;base64,<data>).`);
    if (!SUPPORTED_IMAGE_TYPES.has(parsed.mediaType)) {
      throw invalidMessages(`${where}: Anthropic models accept image/jpeg, image/png, image/gif and image/webp, not ${parsed.mediaType}.`);
    }
    return { type: "image", source: { type: "base64", media_type: parsed.mediaType, data: parsed.data } };
  }
  if (/^https?:\/\//i.test(url)) return { type: "image", source: { type: "url", url } };
  throw invalidMessages(`${where}: image_url.url must be an http(s) URL or a base64 data URL.`);
}

function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]+)((?:;[^;,]+)*);base64,(.*)$/s.exec(url);
  if (!match) return undefined;
  return { mediaType: (match[1] ?? "").toLowerCase(), data: match[3] ?? "" };
}

function convertAssistantMessage(msg: AssistantMessage, i: number, store: ReasoningStateStore): AnthropicAssistantBlock[] {
  const blocks: AnthropicAssistantBlock[] = [];
  // Thinking goes first: with thinking on, a turn ending in tool_use must repeat its thinking
  // blocks, unchanged and signed, before the tool_use blocks (§3.7).
  const thinking = msg.thinking_blocks ?? storedThinkingBlocks(msg, store) ?? [];
  for (const b of thinking) {
    // Only the wire fields: extra keys a client added would be rejected by Anthropic.
    blocks.push(b.type === "thinking" ? { type: "thinking", thinking: b.thinking, signature: b.signature } : { type: "redacted_thinking", data: b.data });
  }

  const content = msg.content;
  if (typeof content === "string") {
    // OpenAI clients send content "" next to tool calls; Anthropic rejects empty text blocks.
    if (content.length > 0) blocks.push({ type: "text", text: content });
  } else if (content) {
    for (const part of content) {
      const text = part.type === "text" ? part.text : part.refusal;
      if (text.length > 0) blocks.push({ type: "text", text });
    }
  }

  msg.tool_calls?.forEach((call, j) => {
    blocks.push({ type: "tool_use", id: call.id, name: call.function.name, input: parseToolArguments(call.function.arguments, `messages[${i}].tool_calls[${j}]`) });
  });
  return blocks;
}

function storedThinkingBlocks(msg: AssistantMessage, store: ReasoningStateStore): ThinkingBlock[] | undefined {
  for (const call of msg.tool_calls ?? []) {
    const state = store.get(call.id);
    if (state?.provider === "anthropic" && state.thinkingBlocks.length > 0) return state.thinkingBlocks;
  }
  return undefined;
}

function parseToolArguments(args: string, where: string): Record<string, unknown> {
  // Some clients send "" for a call without arguments.
  if (args.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(args);
  } catch {
    throw invalidMessages(`${where}.function.arguments is not valid JSON.`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidMessages(`${where}.function.arguments must be a JSON object.`);
  }
  return value as Record<string, unknown>;
}
