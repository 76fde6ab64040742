import {
  directiveError, jsonReply, modelNotFound, openaiError, overloaded, routeNotFound, xaiCode, xaiError,
  type JsonReply,
} from "./errors";
import { embedVector, toBase64Float32 } from "./embedding";
import { randomId, uuid } from "./ids";
import { isUnknownModel, modelListBodies } from "./models";
import { buildPlan, MESSAGE_OVERHEAD, parseDirectives } from "./plan";
import { dataFrame, FrameList, type Reply } from "./reply";
import { charPieces, countWords } from "./text";
import type { ChatPlan, ChatScenario, Directives, FinishKind, ToolSpec } from "./types";

/**
 * OpenAI Chat Completions / Embeddings / Models, and xAI's OpenAI-compatible dialect of the same.
 * Shapes follow the recorded fixtures: openai/chat*.json, chat-stream-*.sse, the gpt-4.1-nano chunks
 * (service_tier, `usage: null` on every chunk with include_usage, `obfuscation`), xai/chat-*.json and
 * xai/chat-stream-*.chunks.txt (role with the first delta, no finish_reason/logprobs keys on
 * intermediate chunks, whole tool calls in one delta, reasoning outside completion_tokens).
 */

type Flavor = "openai" | "xai";
type Obj = Record<string, unknown>;

const FINGERPRINT = { openai: "fp_5e1m0ck3d0", xai: "fp_2a885414fb" } as const;
const OBFUSCATION = "Qup1BsQ3yhjoJbEFdTh";

export function handleOpenAI(flavor: Flavor, method: string, path: string, body: unknown): Reply {
  if (method === "GET" && path === "/v1/models") return jsonReply(200, modelListBodies[flavor]);
  if (method === "POST" && path === "/v1/chat/completions") return chat(flavor, body);
  if (method === "POST" && path === "/v1/embeddings" && flavor === "openai") return embeddings(body);
  return routeNotFound(flavor, method, path);
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function bad(flavor: Flavor, message: string, param: string | null = null, code: string | null = null): JsonReply {
  return flavor === "openai"
    ? openaiError(400, message, "invalid_request_error", param, code)
    : xaiError(400, xaiCode(400), message);
}

const isReasoningModel = (m: string) => /^(o1|o3|o4|gpt-5)/.test(m);
const rejectsReasoningEffort = (flavor: Flavor, m: string) =>
  flavor === "openai" ? /^(gpt-4|gpt-3\.5|chatgpt)/.test(m) : !/^(grok-3-mini|grok-4\.3)/.test(m);
const ROLES = new Set(["system", "developer", "user", "assistant", "tool", "function"]);

function validate(flavor: Flavor, b: Obj, model: string): JsonReply | null {
  const messages = b.messages;
  if (messages === undefined) return bad(flavor, "Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
  if (!Array.isArray(messages)) return bad(flavor, "Invalid type for 'messages': expected an array of objects.", "messages", "invalid_type");
  if (messages.length === 0)
    return bad(flavor, "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", "messages", "empty_array");
  if (b.stream_options !== undefined && b.stream !== true)
    return bad(flavor, "The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options", "invalid_value");
  if (typeof b.temperature === "number" && b.temperature > 2)
    return bad(flavor, `Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got ${b.temperature} instead.`, "temperature", "decimal_above_max_value");
  if (flavor === "openai" && isReasoningModel(model)) {
    if (b.max_tokens !== undefined)
      return bad(flavor, "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", "max_tokens", "unsupported_parameter");
    if (typeof b.temperature === "number" && b.temperature !== 1)
      return bad(flavor, `Unsupported value: 'temperature' does not support ${b.temperature} with this model. Only the default (1) value is supported.`, "temperature", "unsupported_value");
  }
  if (b.reasoning_effort !== undefined && rejectsReasoningEffort(flavor, model))
    return flavor === "openai"
      ? bad(flavor, "Unsupported parameter: 'reasoning_effort' is not supported with this model.", "reasoning_effort", "unsupported_parameter")
      : bad(flavor, `Model ${model} does not support parameter reasoningEffort.`);

  // Tool-call pairing, as the real API checks it.
  let pending: string[] = [];
  let pendingAt = -1;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!isObj(m)) return bad(flavor, `Invalid type for 'messages[${i}]': expected an object.`, `messages[${i}]`, "invalid_type");
    const role = m.role;
    if (typeof role !== "string" || !ROLES.has(role))
      return bad(flavor, `Invalid value: '${String(role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`, `messages[${i}].role`, "invalid_value");
    if (role === "tool") {
      const id = m.tool_call_id;
      const at = typeof id === "string" ? pending.indexOf(id) : -1;
      if (pendingAt < 0 || at < 0)
        return bad(flavor, "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", `messages.[${i}].role`);
      pending.splice(at, 1);
      continue;
    }
    if (pending.length > 0)
      return bad(flavor, `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${pending.join(", ")}`, `messages.[${pendingAt}].role`);
    pending = [];
    pendingAt = -1;
    if (role === "assistant" && Array.isArray(m.tool_calls) && m.tool_calls.length > 0) {
      pending = m.tool_calls.map((c) => (isObj(c) && typeof c.id === "string" ? c.id : ""));
      pendingAt = i;
    }
  }
  if (pending.length > 0)
    return bad(flavor, `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${pending.join(", ")}`, `messages.[${pendingAt}].role`);
  return null;
}

function contentText(content: unknown, images?: string[]): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  let text = "";
  for (const p of content) {
    if (!isObj(p)) continue;
    if (p.type === "text" && typeof p.text === "string") text = text ? `${text} ${p.text}` : p.text;
    else if (p.type === "image_url" && images) {
      const url = isObj(p.image_url) ? p.image_url.url : undefined;
      images.push(typeof url === "string" && url.startsWith("data:") ? "base64" : "url");
    }
  }
  return text;
}

function scenario(flavor: Flavor, b: Obj, model: string): ChatScenario {
  const messages = b.messages as Obj[];
  const images: string[] = [];
  let prompt = 0;
  let lastUserText = "";
  for (const m of messages) {
    const text = contentText(m.content, m.role === "user" ? images : undefined);
    prompt += countWords(text) + MESSAGE_OVERHEAD;
    if (m.role === "user") lastUserText = text;
  }
  let trailingToolResults: string[] | null = null;
  for (let i = messages.length - 1; i >= 0 && messages[i]?.role === "tool"; i--) {
    (trailingToolResults ??= []).unshift(contentText(messages[i]?.content));
  }
  const tools: ToolSpec[] = [];
  if (Array.isArray(b.tools)) {
    for (const t of b.tools) {
      if (isObj(t) && isObj(t.function) && typeof t.function.name === "string")
        tools.push({ name: t.function.name, schema: t.function.parameters });
    }
  }
  const tc = b.tool_choice;
  const toolChoice: ChatScenario["toolChoice"] =
    tc === "none" || tc === "required" ? { mode: tc }
    : isObj(tc) && isObj(tc.function) && typeof tc.function.name === "string" ? { mode: "required", name: tc.function.name }
    : { mode: "auto" };
  const effort = b.reasoning_effort;
  const reasoning = typeof effort === "string" && effort !== "none";
  const rf = b.response_format;
  const json =
    isObj(rf) && rf.type === "json_schema" ? { schema: isObj(rf.json_schema) ? rf.json_schema.schema : undefined }
    : isObj(rf) && rf.type === "json_object" ? {}
    : null;
  const max = b.max_completion_tokens ?? b.max_tokens;
  const stop = b.stop;
  const sc: ChatScenario = {
    model,
    stream: b.stream === true,
    lastUserText,
    trailingToolResults,
    tools,
    toolChoice,
    parallelToolCalls: b.parallel_tool_calls !== false,
    reasoning,
    reasoningVisible: flavor === "xai",
    json,
    images,
    promptTokens: prompt,
    stopSequences: typeof stop === "string" ? [stop] : Array.isArray(stop) ? stop.filter((s): s is string => typeof s === "string") : [],
    choices: typeof b.n === "number" && b.n > 1 ? Math.floor(b.n) : 1,
  };
  if (typeof max === "number") sc.maxOutputTokens = max;
  return sc;
}

function chat(flavor: Flavor, body: unknown): Reply {
  if (!isObj(body)) return bad(flavor, "Invalid request body: expected a JSON object.");
  const model = body.model;
  if (typeof model !== "string" || model === "")
    return bad(flavor, "you must provide a model parameter", flavor === "openai" ? null : "model");
  if (isUnknownModel(model)) return modelNotFound(flavor, model);
  const invalid = validate(flavor, body, model);
  if (invalid) return invalid;
  const sc = scenario(flavor, body, model);
  const d = parseDirectives(sc.lastUserText);
  if (d.error !== undefined) return { ...directiveError(flavor, d.error, model), directives: d };
  if (d.midstreamError && !sc.stream) return { ...overloaded(flavor, model), directives: d };
  const plan = buildPlan(sc, d);
  const ids = plan.toolCalls.map(() => (flavor === "openai" ? randomId("call_", 24) : `call_${Math.floor(1e7 + Math.random() * 9e7)}`));
  const includeUsage = isObj(body.stream_options) && body.stream_options.include_usage === true;
  const obfuscate = !(isObj(body.stream_options) && body.stream_options.include_obfuscation === false);
  if (!sc.stream) return { ...jsonReply(200, JSON.stringify(completion(flavor, sc, plan, ids))), directives: d };
  return flavor === "openai"
    ? openaiStream(sc, plan, ids, d, includeUsage, obfuscate)
    : xaiStream(sc, plan, ids, d, includeUsage);
}

function finishReason(f: FinishKind): string {
  return f === "length" ? "length" : f === "tool" ? "tool_calls" : f === "refusal" ? "content_filter" : "stop";
}

function openaiUsage(sc: ChatScenario, plan: ChatPlan) {
  const completion = sc.choices * (plan.usage.completion + plan.usage.reasoning);
  return {
    prompt_tokens: plan.usage.prompt,
    completion_tokens: completion,
    total_tokens: plan.usage.prompt + completion,
    prompt_tokens_details: { cached_tokens: plan.usage.cached, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: sc.choices * plan.usage.reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** xAI: completion_tokens excludes reasoning; total = prompt + completion + reasoning. Priced at grok-3-mini rates. */
function xaiUsage(plan: ChatPlan) {
  const { prompt, cached, completion, reasoning } = plan.usage;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion + reasoning,
    prompt_tokens_details: { text_tokens: prompt, audio_tokens: 0, image_tokens: 0, cached_tokens: cached },
    completion_tokens_details: { reasoning_tokens: reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    num_sources_used: 0,
    // 1 tick = 1e-10 USD; $0.30 / $0.075 cached / $0.50 per million tokens.
    cost_in_usd_ticks: (prompt - cached) * 3000 + cached * 750 + (completion + reasoning) * 5000,
  };
}

function toolCallsJson(plan: ChatPlan, ids: string[]) {
  return plan.toolCalls.map((c, k) => ({ id: ids[k], type: "function", function: { name: c.name, arguments: JSON.stringify(c.args) } }));
}

function completion(flavor: Flavor, sc: ChatScenario, plan: ChatPlan, ids: string[]): Obj {
  const created = Math.floor(Date.now() / 1000);
  const hasTools = plan.toolCalls.length > 0;
  if (flavor === "xai") {
    const message: Obj = { role: "assistant", content: plan.text };
    if (plan.reasoningPieces.length) message.reasoning_content = plan.reasoningPieces.join("");
    if (hasTools) message.tool_calls = plan.toolCalls.map((c, k) => ({ id: ids[k], function: { name: c.name, arguments: JSON.stringify(c.args) }, type: "function" }));
    message.refusal = null;
    return {
      id: uuid(), object: "chat.completion", created, model: sc.model,
      choices: Array.from({ length: sc.choices }, (_, index) => ({ index, message, finish_reason: finishReason(plan.finish) })),
      usage: xaiUsage(plan), system_fingerprint: FINGERPRINT.xai,
    };
  }
  const message: Obj = { role: "assistant", content: hasTools || plan.finish === "refusal" ? null : plan.text };
  if (hasTools) message.tool_calls = toolCallsJson(plan, ids);
  message.refusal = null;
  message.annotations = [];
  const logprobs = !isReasoningModel(sc.model);
  return {
    id: randomId("chatcmpl-", 29), object: "chat.completion", created, model: sc.model,
    choices: Array.from({ length: sc.choices }, (_, index) =>
      logprobs ? { index, message, logprobs: null, finish_reason: finishReason(plan.finish) } : { index, message, finish_reason: finishReason(plan.finish) }),
    usage: openaiUsage(sc, plan), service_tier: "default", system_fingerprint: FINGERPRINT.openai,
  };
}

function openaiStream(sc: ChatScenario, plan: ChatPlan, ids: string[], d: Directives, includeUsage: boolean, obfuscate: boolean): Reply {
  const id = randomId("chatcmpl-", 29);
  const created = Math.floor(Date.now() / 1000);
  let obf = 0;
  const chunk = (choices: unknown[], usage: unknown = null): string => {
    const c: Obj = { id, object: "chat.completion.chunk", created, model: sc.model, service_tier: "default", system_fingerprint: FINGERPRINT.openai, choices };
    if (includeUsage) c.usage = usage;
    if (obfuscate) c.obfuscation = OBFUSCATION.slice(0, 3 + (obf++ % 12));
    return dataFrame(c);
  };
  // One list of [delta, isContent] per choice, interleaved like the recorded n=3 stream.
  const steps: [Obj, boolean][] = [[{ role: "assistant", content: plan.toolCalls.length ? null : "", refusal: null }, false]];
  for (const p of plan.pieces) steps.push([{ content: p }, true]);
  plan.toolCalls.forEach((c, k) => {
    steps.push([{ tool_calls: [{ index: k, id: ids[k], type: "function", function: { name: c.name, arguments: "" } }] }, false]);
    for (const frag of charPieces(JSON.stringify(c.args), 3)) steps.push([{ tool_calls: [{ index: k, function: { arguments: frag } }] }, true]);
  });
  // Reasoning models omit `logprobs` from choices (chat-stream-reasoning-length.sse, chat-tool-calls.json).
  const choice = isReasoningModel(sc.model)
    ? (index: number, delta: Obj, finish_reason: string | null) => ({ index, delta, finish_reason })
    : (index: number, delta: Obj, finish_reason: string | null) => ({ index, delta, logprobs: null, finish_reason });
  const out = new FrameList();
  for (const [delta, isContent] of steps) {
    for (let index = 0; index < sc.choices; index++) out.push(chunk([choice(index, delta, null)]), isContent);
  }
  for (let index = 0; index < sc.choices; index++) out.push(chunk([choice(index, {}, finishReason(plan.finish))]));
  if (includeUsage) out.push(chunk([], openaiUsage(sc, plan)));
  out.push("data: [DONE]\n\n");
  return {
    type: "stream",
    contentType: "text/event-stream; charset=utf-8",
    frames: out.frames,
    deltas: out.deltas,
    errorFrame: dataFrame({ error: { message: "The server had an error while processing your request. Sorry about that!", type: "server_error", param: null, code: null } }),
    directives: d,
  };
}

function xaiStream(sc: ChatScenario, plan: ChatPlan, ids: string[], d: Directives, includeUsage: boolean): Reply {
  const id = uuid();
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: unknown[], usage?: unknown): string =>
    dataFrame(usage === undefined
      ? { id, object: "chat.completion.chunk", created, model: sc.model, choices, system_fingerprint: FINGERPRINT.xai }
      : { id, object: "chat.completion.chunk", created, model: sc.model, choices, usage, system_fingerprint: FINGERPRINT.xai });
  const out = new FrameList();
  let roleSent = false;
  // xAI sends the role together with the first piece of whatever comes first.
  const delta = (d0: Obj): Obj => {
    if (roleSent) return d0;
    roleSent = true;
    return { ...d0, role: "assistant" };
  };
  for (const p of plan.reasoningPieces) out.push(chunk([{ index: 0, delta: delta({ reasoning_content: p }) }]), true);
  for (const p of plan.pieces) out.push(chunk([{ index: 0, delta: delta({ content: p }) }]), true);
  plan.toolCalls.forEach((c, k) => {
    const call = { id: ids[k], function: { name: c.name, arguments: JSON.stringify(c.args) }, index: k, type: "function" };
    out.push(chunk([{ index: 0, delta: delta({ tool_calls: [call] }) }]), true);
  });
  if (!roleSent) out.push(chunk([{ index: 0, delta: delta({ content: "" }) }]));
  out.push(chunk([{ index: 0, delta: {}, finish_reason: finishReason(plan.finish) }]));
  if (includeUsage) out.push(chunk([], xaiUsage(plan)));
  out.push("data: [DONE]\n\n");
  return {
    type: "stream",
    contentType: "text/event-stream",
    frames: out.frames,
    deltas: out.deltas,
    errorFrame: dataFrame({ code: xaiCode(500), error: "An internal error occurred while streaming the response." }),
    directives: d,
  };
}

const EMBEDDING_DIMS: Record<string, number> = {
  "text-embedding-3-small": 1536,
  "text-embedding-3-large": 3072,
  "text-embedding-ada-002": 1536,
};

function embeddings(body: unknown): Reply {
  if (!isObj(body)) return bad("openai", "Invalid request body: expected a JSON object.");
  const model = body.model;
  if (typeof model !== "string" || model === "") return bad("openai", "you must provide a model parameter");
  if (isUnknownModel(model)) return modelNotFound("openai", model);
  const input = body.input;
  const items: (string | number[])[] =
    typeof input === "string" ? [input]
    : Array.isArray(input) && input.length > 0 && input.every((x) => typeof x === "number") ? [input as number[]]
    : Array.isArray(input) ? (input as (string | number[])[])
    : [];
  const valid = items.length > 0 && items.every((x) => (typeof x === "string" && x.length > 0) || (Array.isArray(x) && x.length > 0 && x.every((n) => typeof n === "number")));
  if (!valid)
    return bad("openai", "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.");
  const format = body.encoding_format ?? "float";
  if (format !== "float" && format !== "base64")
    return bad("openai", `Invalid value: '${String(format)}'. Supported values are: 'float' and 'base64'.`, "encoding_format", "invalid_value");
  const native = EMBEDDING_DIMS[model] ?? 1536;
  let dims = native;
  if (body.dimensions !== undefined) {
    if (model === "text-embedding-ada-002") return bad("openai", "This model does not support specifying dimensions.", "dimensions");
    if (typeof body.dimensions !== "number" || body.dimensions < 1 || body.dimensions > native)
      return bad("openai", `Invalid value for 'dimensions' = ${String(body.dimensions)}. Must be between 1 and ${native}.`, "dimensions");
    dims = Math.floor(body.dimensions);
  }
  const first = items[0];
  const d = parseDirectives(typeof first === "string" ? first : "");
  if (d.error !== undefined) return { ...directiveError("openai", d.error, model), directives: d };
  let tokens = 0;
  const data = items.map((x, index) => {
    const text = typeof x === "string" ? x : x.join(" ");
    tokens += typeof x === "string" ? countWords(x) : x.length;
    const v = embedVector(model, text, dims);
    return { object: "embedding", index, embedding: format === "base64" ? toBase64Float32(v) : v };
  });
  return {
    ...jsonReply(200, JSON.stringify({ object: "list", data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } })),
    directives: d,
  };
}
