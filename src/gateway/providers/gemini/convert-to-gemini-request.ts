import { GatewayError } from "../../errors";
import {
  contentText,
  findUnsupportedField,
  requestedMaxTokens,
  type AssistantMessage,
  type ChatCompletionRequest,
  type ReasoningEffort,
  type ToolMessage,
  type UserContentPart,
} from "../../openai/chat-request";
import type { AdapterContext } from "../types";
import type {
  GeminiContent,
  GeminiFunctionCallingMode,
  GeminiGenerateContentRequest,
  GeminiGenerationConfig,
  GeminiMediaResolution,
  GeminiRequestPart,
  GeminiThinkingLevel,
} from "./gemini-api";

/**
 * OpenAI chat request → Gemini `generateContent` body (provider-protocols.md §4.2).
 * Every request field is mapped or answered with a 400 naming it; nothing is dropped silently.
 */

/**
 * `reasoning_effort` → Gemini 2.5 `thinkingConfig.thinkingBudget` (tokens). `none` disables
 * thinking where the model allows it (2.5 Pro only thinks, and answers a 0 budget with a 400 of its
 * own); `xhigh` is 2.5 Pro's ceiling (2.5 Flash's documented range ends at 24576, so there
 * `xhigh` is only as good as Google's handling of an out-of-range budget).
 */
export const GEMINI_THINKING_BUDGETS: Readonly<Record<ReasoningEffort, number>> = {
  none: 0,
  minimal: 128,
  low: 1024,
  medium: 8192,
  high: 24576,
  xhigh: 32768,
};

/**
 * `reasoning_effort` → Gemini 3 `thinkingConfig.thinkingLevel`. Gemini 3 cannot switch thinking off
 * and only some models take `minimal`/`medium`, so `none` and `minimal` use `low` (the lowest level
 * every Gemini 3 model accepts) and `xhigh` uses the top level, `high`.
 */
export const GEMINI_THINKING_LEVELS: Readonly<Record<ReasoningEffort, GeminiThinkingLevel>> = {
  none: "low",
  minimal: "low",
  low: "low",
  medium: "medium",
  high: "high",
  xhigh: "high",
};

/**
 * Google's documented stand-in for a function call whose thought signature is lost (e.g. a
 * conversation started on another model). Gemini 3 rejects a replayed call without any signature.
 */
export const SKIP_THOUGHT_SIGNATURE_VALIDATOR = "skip_thought_signature_validator";

/** Gemini's cap on `stopSequences`. */
export const GEMINI_MAX_STOP_SEQUENCES = 5;

const supportedFields: ReadonlySet<string> = new Set([
  "model",
  "messages",
  // `stream` picks the endpoint; `stream_options.include_usage` is honoured by the core.
  "stream",
  "stream_options",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "n",
  "stop",
  "presence_penalty",
  "frequency_penalty",
  "seed",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "response_format",
  "reasoning_effort",
  // Only `false` gets past the explicit check below, and that is Gemini's behaviour anyway.
  "logprobs",
]);

type ThinkingStyle = "gemini-budget" | "gemini-level" | "none";

export async function convertToGeminiRequest(req: ChatCompletionRequest, ctx: AdapterContext): Promise<GeminiGenerateContentRequest> {
  rejectUnsupported(req);

  const { contents, systemTexts, imageDetails } = await convertMessages(req, ctx);
  const body: GeminiGenerateContentRequest = { contents };
  if (systemTexts.length > 0) body.systemInstruction = { parts: [{ text: systemTexts.join("\n\n") }] };

  const tools = convertTools(req);
  if (tools.tools) body.tools = tools.tools;
  if (tools.toolConfig) body.toolConfig = tools.toolConfig;

  const generationConfig = convertGenerationConfig(req, ctx, imageDetails);
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  return body;
}

function unsupported(param: string, message: string): GatewayError {
  return new GatewayError("unsupported_parameter", message, { param });
}

function rejectUnsupported(req: ChatCompletionRequest): void {
  if (req.user != null) throw unsupported("user", "Gemini has no end-user identifier; remove `user` for this model.");
  if (req.logprobs === true) throw unsupported("logprobs", "Log probabilities are not supported for Gemini models through this gateway.");
  if (req.top_logprobs != null) throw unsupported("top_logprobs", "Log probabilities are not supported for Gemini models through this gateway.");
  if (req.logit_bias != null) throw unsupported("logit_bias", "Gemini has no token-level logit bias.");
  if (req.parallel_tool_calls === false) {
    throw unsupported("parallel_tool_calls", "Gemini cannot be told to call at most one function per turn; omit `parallel_tool_calls` or set it to true.");
  }
  const field = findUnsupportedField(req as Record<string, unknown>, supportedFields);
  if (field !== undefined) throw unsupported(field, `Unsupported parameter for Gemini models: '${field}'.`);
}

// ---------------------------------------------------------------------------------------------
// Messages

/** The model-family facts the translation depends on. */
function geminiMajorVersion(model: string): number | undefined {
  const match = /^(?:models\/)?gemini-(\d+)/.exec(model);
  return match?.[1] ? Number(match[1]) : undefined;
}

function isGemini3OrLater(ctx: AdapterContext): boolean {
  return ctx.modelInfo?.reasoning === "gemini-level" || (geminiMajorVersion(ctx.upstreamModel) ?? 0) >= 3;
}

function thinkingStyle(ctx: AdapterContext): ThinkingStyle {
  const declared = ctx.modelInfo?.reasoning;
  if (declared === "gemini-budget" || declared === "gemini-level" || declared === "none") return declared;
  // Not in the catalog: 3.x and later take levels; everything else gets a budget, which 2.x needs
  // and which Google still accepts on Gemini 3 for backward compatibility.
  return (geminiMajorVersion(ctx.upstreamModel) ?? 0) >= 3 ? "gemini-level" : "gemini-budget";
}

interface ConvertedMessages {
  contents: GeminiContent[];
  systemTexts: string[];
  imageDetails: Set<"low" | "high">;
}

interface KnownCall {
  name: string;
  /** Position of the call across the request, to put parallel results back in call order. */
  order: number;
}

const messageFields: Record<string, ReadonlySet<string>> = {
  system: new Set(["role", "content"]),
  developer: new Set(["role", "content"]),
  user: new Set(["role", "content"]),
  // `reasoning_content` is informational on input (Gemini cannot replay thought summaries) and
  // `thinking_blocks` is Anthropic's opaque state, meaningless to Gemini when a conversation moves
  // between providers; both are accepted and not sent.
  assistant: new Set(["role", "content", "tool_calls", "refusal", "reasoning_content", "thinking_blocks"]),
  tool: new Set(["role", "tool_call_id", "content"]),
};

async function convertMessages(req: ChatCompletionRequest, ctx: AdapterContext): Promise<ConvertedMessages> {
  const systemTexts: string[] = [];
  const turns: GeminiContent[] = [];
  const imageDetails = new Set<"low" | "high">();
  const knownCalls = new Map<string, KnownCall>();
  let callCounter = 0;
  let pendingResults: Array<{ order: number; part: GeminiRequestPart }> = [];

  // Parallel tool results become one user turn, in the order the model made the calls.
  const flushResults = () => {
    if (pendingResults.length === 0) return;
    pendingResults.sort((a, b) => a.order - b.order);
    turns.push({ role: "user", parts: pendingResults.map((r) => r.part) });
    pendingResults = [];
  };

  for (const [i, msg] of req.messages.entries()) {
    const allowed = messageFields[msg.role];
    const extra = allowed ? findUnsupportedField(msg as Record<string, unknown>, allowed) : undefined;
    if (extra !== undefined) {
      throw unsupported(`messages[${i}].${extra}`, `Gemini models do not support '${extra}' on ${msg.role} messages.`);
    }

    switch (msg.role) {
      case "system":
      case "developer":
        // Gemini has one system instruction; every system/developer message is folded into it.
        systemTexts.push(contentText(msg.content));
        break;
      case "user":
        flushResults();
        turns.push({ role: "user", parts: await convertUserContent(msg.content, i, ctx, imageDetails) });
        break;
      case "assistant": {
        flushResults();
        const parts = convertAssistant(msg, i, ctx, knownCalls, () => callCounter++);
        // An assistant message with neither text nor calls has nothing Gemini could replay.
        if (parts.length > 0) turns.push({ role: "model", parts });
        break;
      }
      case "tool":
        pendingResults.push(convertToolResult(msg, knownCalls));
        break;
    }
  }
  flushResults();
  return { contents: mergeSameRole(turns), systemTexts, imageDetails };
}

/** Gemini wants alternating user/model turns: consecutive same-role messages become one content. */
function mergeSameRole(turns: GeminiContent[]): GeminiContent[] {
  const merged: GeminiContent[] = [];
  for (const turn of turns) {
    const last = merged[merged.length - 1];
    if (last && last.role === turn.role) last.parts.push(...turn.parts);
    else merged.push({ role: turn.role, parts: [...turn.parts] });
  }
  return merged;
}

async function convertUserContent(
  content: string | UserContentPart[],
  i: number,
  ctx: AdapterContext,
  imageDetails: Set<"low" | "high">,
): Promise<GeminiRequestPart[]> {
  if (typeof content === "string") return [{ text: content }];
  const parts: GeminiRequestPart[] = [];
  for (const [j, part] of content.entries()) {
    const param = `messages[${i}].content[${j}]`;
    switch (part.type) {
      case "text":
        parts.push({ text: part.text });
        break;
      case "image_url": {
        const detail = part.image_url.detail;
        if (detail === "low" || detail === "high") imageDetails.add(detail);
        parts.push(await convertImageUrl(part.image_url.url, param, ctx));
        break;
      }
      case "file": {
        const data = part.file.file_data;
        if (data === undefined) {
          const field = part.file.file_id !== undefined ? "file_id" : "file_data";
          throw unsupported(`${param}.file.${field}`, "Gemini cannot read OpenAI file ids; send the file inline as `file_data` (a base64 data URI).");
        }
        parts.push({ inlineData: parseBase64DataUri(data, `${param}.file.file_data`) });
        break;
      }
      case "input_audio":
        parts.push({ inlineData: { mimeType: `audio/${part.input_audio.format}`, data: part.input_audio.data } });
        break;
    }
  }
  return parts;
}

const filesApiUri = /^https:\/\/generativelanguage\.googleapis\.com\/v1(?:alpha|beta)?\/files\/[^/?#]+$/;

async function convertImageUrl(url: string, param: string, ctx: AdapterContext): Promise<GeminiRequestPart> {
  if (url.startsWith("data:")) return { inlineData: parseBase64DataUri(url, `${param}.image_url.url`) };
  // Files uploaded to Gemini's Files API are referenced, not downloaded (they need the key).
  if (filesApiUri.test(url) || url.startsWith(`${ctx.baseUrl}/files/`)) return { fileData: { fileUri: url } };
  if (/^https?:\/\//i.test(url)) {
    // The Developer API cannot fetch arbitrary URLs itself, so the gateway downloads and inlines.
    const asset = await ctx.fetchAsset(url);
    return { inlineData: { mimeType: asset.mimeType, data: asset.base64 } };
  }
  throw unsupported(`${param}.image_url.url`, "Image URLs must be http(s) URLs or base64 data URIs.");
}

function parseBase64DataUri(uri: string, param: string): { mimeType: string; data: string } {
  const match = /^data:([^;,]+)((?:;[^;,]*)*),(.*)$/s.exec(uri);
  const mimeType = match?.[1];
  const params = match?.[2] ?? "";
  const data = match?.[3];
  if (!mimeType || data === undefined || !params.split(";").includes("base64")) {
    throw new GatewayError("invalid_request", "Expected a base64 data URI (data:<media type>;base64,<data>).", { param });
  }
  return { mimeType, data };
}

function convertAssistant(
  msg: AssistantMessage,
  i: number,
  ctx: AdapterContext,
  knownCalls: Map<string, KnownCall>,
  nextOrder: () => number,
): GeminiRequestPart[] {
  const parts: GeminiRequestPart[] = [];
  const text = assistantText(msg);
  if (text.length > 0) parts.push({ text });

  const needsSignature = isGemini3OrLater(ctx);
  // Gemini 3 signs only the first call of a parallel batch; the others legitimately carry none
  // and must not get the sentinel (vercel/ai applies the same rule).
  let batchHasRealSignature = false;
  for (const [k, call] of (msg.tool_calls ?? []).entries()) {
    const args = parseArguments(call.function.arguments, `messages[${i}].tool_calls[${k}].function.arguments`);
    const stored = ctx.reasoningState.get(call.id);
    // Prefer what the client echoed, then what the gateway kept for this call id.
    const signature = call.extra_content?.google?.thought_signature ?? (stored?.provider === "gemini" ? stored.thoughtSignature : undefined);
    let thoughtSignature = signature;
    if (signature !== undefined) batchHasRealSignature = true;
    else if (needsSignature && !batchHasRealSignature) thoughtSignature = SKIP_THOUGHT_SIGNATURE_VALIDATOR;

    parts.push({
      functionCall: { id: call.id, name: call.function.name, args },
      ...(thoughtSignature !== undefined ? { thoughtSignature } : {}),
    });
    knownCalls.set(call.id, { name: call.function.name, order: nextOrder() });
  }
  return parts;
}

function assistantText(msg: AssistantMessage): string {
  const content = msg.content;
  let text = "";
  if (typeof content === "string") text = content;
  else if (Array.isArray(content)) text = content.map((p) => (p.type === "text" ? p.text : p.refusal)).join("");
  // A refusal echoed back is what the model said on that turn.
  if (text.length === 0 && typeof msg.refusal === "string") text = msg.refusal;
  return text;
}

function parseArguments(raw: string, param: string): Record<string, unknown> {
  // Some clients send "" for a call without arguments.
  if (raw.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new GatewayError("invalid_request", "Tool call arguments must be a JSON object.", { param });
  }
  if (!isPlainObject(parsed)) throw new GatewayError("invalid_request", "Tool call arguments must be a JSON object.", { param });
  return parsed;
}

/**
 * A tool message → `functionResponse`. Gemini wants the function name (looked up from the earlier
 * assistant call) and an object `response`. Rule: when the tool content is a JSON object it is
 * sent as that object (so structured results, including `{"error": …}`, reach the model as
 * structure); anything else — plain text, a JSON array, number or string — is sent as
 * `{"output": "<content text>"}`, the key Google's own examples use.
 */
function convertToolResult(msg: ToolMessage, knownCalls: Map<string, KnownCall>): { order: number; part: GeminiRequestPart } {
  const call = knownCalls.get(msg.tool_call_id);
  if (!call) {
    throw new GatewayError("invalid_request", `Tool message refers to tool_call_id '${msg.tool_call_id}', which no earlier assistant message in this request called.`, {
      param: "messages",
    });
  }
  const text = contentText(msg.content);
  return {
    order: call.order,
    part: { functionResponse: { id: msg.tool_call_id, name: call.name, response: toolResponseObject(text) } },
  };
}

export function toolResponseObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isPlainObject(parsed)) return parsed;
  } catch {
    // Not JSON: plain text output.
  }
  return { output: text };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Tools

function convertTools(req: ChatCompletionRequest): Pick<GeminiGenerateContentRequest, "tools" | "toolConfig"> {
  const tools = req.tools ?? [];
  const choice = req.tool_choice;
  if (tools.length === 0) {
    // Without tools, "auto"/"none" already describe what happens; forcing a call cannot.
    if (choice === "required" || typeof choice === "object") {
      throw unsupported("tool_choice", "tool_choice requires a function, but the request declares no tools.");
    }
    return {};
  }

  const functionDeclarations = tools.map((tool) => ({
    name: tool.function.name,
    ...(tool.function.description !== undefined ? { description: tool.function.description } : {}),
    ...(tool.function.parameters !== undefined ? { parametersJsonSchema: tool.function.parameters } : {}),
  }));

  // `strict` asks for arguments that follow the schema. Gemini guarantees that in ANY mode and,
  // when the model may also answer in text, in VALIDATED mode.
  const strict = tools.some((t) => t.function.strict === true);
  let mode: GeminiFunctionCallingMode | undefined;
  let allowedFunctionNames: string[] | undefined;
  if (choice === "none") mode = "NONE";
  else if (choice === "required") mode = "ANY";
  else if (typeof choice === "object") {
    const name = choice.function.name;
    if (!tools.some((t) => t.function.name === name)) {
      throw new GatewayError("invalid_request", `tool_choice names '${name}', which is not among the declared tools.`, { param: "tool_choice" });
    }
    mode = "ANY";
    allowedFunctionNames = [name];
  } else if (strict) mode = "VALIDATED";
  else if (choice === "auto") mode = "AUTO";

  return {
    tools: [{ functionDeclarations }],
    ...(mode ? { toolConfig: { functionCallingConfig: { mode, ...(allowedFunctionNames ? { allowedFunctionNames } : {}) } } } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Generation config

function convertGenerationConfig(req: ChatCompletionRequest, ctx: AdapterContext, imageDetails: Set<"low" | "high">): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {};
  const maxTokens = requestedMaxTokens(req);
  if (maxTokens !== undefined) config.maxOutputTokens = maxTokens;
  if (req.temperature != null) config.temperature = req.temperature;
  if (req.top_p != null) config.topP = req.top_p;
  if (req.n != null) config.candidateCount = req.n;
  if (req.presence_penalty != null) config.presencePenalty = req.presence_penalty;
  if (req.frequency_penalty != null) config.frequencyPenalty = req.frequency_penalty;
  if (req.seed != null) config.seed = req.seed;

  if (req.stop != null) {
    const stops = typeof req.stop === "string" ? [req.stop] : req.stop;
    if (stops.length > GEMINI_MAX_STOP_SEQUENCES) {
      throw unsupported("stop", `Gemini accepts at most ${GEMINI_MAX_STOP_SEQUENCES} stop sequences; got ${stops.length}.`);
    }
    if (stops.length > 0) config.stopSequences = stops;
  }

  const format = req.response_format;
  if (format?.type === "json_object") config.responseMimeType = "application/json";
  else if (format?.type === "json_schema") {
    config.responseMimeType = "application/json";
    // The whole JSON Schema: responseJsonSchema takes standard JSON Schema, unlike responseSchema.
    if (format.json_schema.schema !== undefined) config.responseJsonSchema = format.json_schema.schema;
  }

  // OpenAI's `detail` is per image; Gemini's resolution is per request on every multimodal model.
  if (imageDetails.size > 1) {
    throw new GatewayError("unsupported_parameter", "Gemini applies one media resolution to the whole request; images mix detail 'low' and 'high'.", {
      param: "messages",
    });
  }
  const [detail] = imageDetails;
  if (detail) config.mediaResolution = (detail === "low" ? "MEDIA_RESOLUTION_LOW" : "MEDIA_RESOLUTION_HIGH") satisfies GeminiMediaResolution;

  const thinking = convertReasoningEffort(req.reasoning_effort ?? undefined, ctx);
  if (thinking) config.thinkingConfig = thinking;
  return config;
}

function convertReasoningEffort(effort: ReasoningEffort | undefined, ctx: AdapterContext): GeminiGenerationConfig["thinkingConfig"] {
  if (effort === undefined) return undefined;
  const style = thinkingStyle(ctx);
  if (style === "none") {
    throw unsupported("reasoning_effort", `Model '${ctx.upstreamModel}' does not take a reasoning setting.`);
  }
  const allowed = ctx.modelInfo?.reasoningEfforts;
  if (allowed && !allowed.includes(effort)) {
    throw unsupported("reasoning_effort", `Model '${ctx.upstreamModel}' accepts reasoning_effort ${allowed.join(", ")}; got '${effort}'.`);
  }
  // Thought summaries are what the gateway returns as `reasoning_content`; they are requested
  // whenever the client asked for reasoning, and not when it asked for none.
  const includeThoughts = effort !== "none" ? { includeThoughts: true } : {};
  if (style === "gemini-level") return { thinkingLevel: GEMINI_THINKING_LEVELS[effort], ...includeThoughts };
  return { thinkingBudget: GEMINI_THINKING_BUDGETS[effort], ...includeThoughts };
}
