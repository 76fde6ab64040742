import { anthropicError, directiveError, jsonReply, modelNotFound, overloaded, routeNotFound, type JsonReply } from "./errors";
import { randomId, type Signer } from "./ids";
import { isUnknownModel, modelListBodies } from "./models";
import { buildPlan, MESSAGE_OVERHEAD, parseDirectives, REASONING_TEXT } from "./plan";
import { FrameList, namedFrame, type Reply } from "./reply";
import { charPieces, countWords } from "./text";
import type { ChatPlan, ChatScenario, Directives, FinishKind, ToolSpec } from "./types";

/**
 * Anthropic Messages API. Shapes follow anthropic/text-stream.sse (event order, ping after the first
 * block start), thinking-tool-use-stream.sse (thinking block: thinking_delta pieces, an empty one,
 * signature_delta; tool_use with `caller`; `output_tokens_details.thinking_tokens`), tool-use.json,
 * text.json and cache-read.json (input_tokens excludes cache reads and writes). Validation mirrors
 * the real API's messages (docs/provider-protocols.md §3.2, §3.7, §3.9).
 */

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const bad = (message: string): JsonReply => anthropicError(400, "invalid_request_error", message);
const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);
const THINKING_DOCS = "Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking";

export function handleAnthropic(method: string, path: string, body: unknown, headers: Record<string, string>, signer: Signer): Reply {
  if (method === "GET" && path === "/v1/models") return jsonReply(200, modelListBodies.anthropic);
  if (method === "POST" && path === "/v1/messages") {
    if (!headers["anthropic-version"]) return bad("anthropic-version: header is required");
    return messages(body, signer);
  }
  return routeNotFound("anthropic", method, path);
}

function blocks(content: unknown): Obj[] | null {
  return Array.isArray(content) ? (content.filter(isObj) as Obj[]) : null;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  let out = "";
  for (const b of blocks(content) ?? []) if (b.type === "text" && typeof b.text === "string") out = out ? `${out} ${b.text}` : b.text;
  return out;
}

function thinkingEnabled(b: Obj): boolean {
  return isObj(b.thinking) && (b.thinking.type === "enabled" || b.thinking.type === "adaptive");
}

function validate(b: Obj, signer: Signer): JsonReply | null {
  if (b.max_tokens === undefined) return bad("max_tokens: Field required");
  if (typeof b.max_tokens !== "number" || !Number.isInteger(b.max_tokens)) return bad("max_tokens: Input should be a valid integer");
  if (b.max_tokens < 1) return bad("max_tokens: Input should be greater than or equal to 1");
  if (b.messages === undefined) return bad("messages: Field required");
  if (!Array.isArray(b.messages)) return bad("messages: Input should be a valid list");
  if (b.messages.length === 0) return bad("messages: at least one message is required");
  if (typeof b.temperature === "number" && b.temperature > 1) return bad("temperature: Input should be less than or equal to 1");
  const thinking = thinkingEnabled(b);
  if (isObj(b.thinking) && b.thinking.type === "enabled") {
    const budget = b.thinking.budget_tokens;
    if (typeof budget !== "number") return bad("thinking.enabled.budget_tokens: Field required");
    if (budget < 1024) return bad("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
    if (b.max_tokens <= budget)
      return bad(`\`max_tokens\` must be greater than \`thinking.budget_tokens\`. ${THINKING_DOCS}#max-tokens-and-context-window-size`);
  }
  if (thinking && typeof b.temperature === "number" && b.temperature !== 1)
    return bad(`\`temperature\` may only be set to 1 when thinking is enabled or in adaptive mode. ${THINKING_DOCS}#feature-compatibility`);
  if (Array.isArray(b.system)) {
    for (const s of b.system) if (isObj(s) && s.type === "text" && (typeof s.text !== "string" || s.text === "")) return bad("system: text content blocks must be non-empty");
  }

  const msgs = b.messages as unknown[];
  let usesTools = false;
  let prevToolUseIds: string[] = [];
  let lastAssistant = -1;
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    if (!isObj(m)) return bad(`messages.${i}: Input should be a valid dictionary`);
    if (m.role !== "user" && m.role !== "assistant") return bad(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    const finalAssistant = i === msgs.length - 1 && m.role === "assistant";
    const list = blocks(m.content);
    if (typeof m.content === "string" ? m.content === "" && !finalAssistant : !list || (list.length === 0 && !finalAssistant))
      return bad(`messages.${i}: all messages must have non-empty content except for the optional final assistant message`);
    const toolUseIds: string[] = [];
    const resultIds: string[] = [];
    let leadingResults = 0;
    let seenOther = false;
    for (let j = 0; list && j < list.length; j++) {
      const blk = list[j] as Obj;
      switch (blk.type) {
        case "text":
          if (typeof blk.text !== "string" || blk.text === "") return bad("messages: text content blocks must be non-empty");
          if (blk.text.trim() === "") return bad("messages: text content blocks must contain non-whitespace text");
          seenOther = true;
          break;
        case "image": {
          const src = isObj(blk.source) ? blk.source : {};
          if (src.type === "base64" && !IMAGE_TYPES.has(String(src.media_type)))
            return bad(`messages.${i}.content.${j}.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`);
          if (src.type === "base64" && (typeof src.data !== "string" || src.data === "")) return bad(`messages.${i}.content.${j}.image.source.base64.data: Field required`);
          if (src.type === "url" && typeof src.url !== "string") return bad(`messages.${i}.content.${j}.image.source.url.url: Field required`);
          seenOther = true;
          break;
        }
        case "tool_use":
          usesTools = true;
          if (m.role !== "assistant") return bad(`messages.${i}.content.${j}: \`tool_use\` blocks can only be in \`assistant\` messages`);
          if (!isObj(blk.input)) return bad(`messages.${i}.content.${j}.tool_use.input: Input should be a valid dictionary`);
          toolUseIds.push(String(blk.id));
          break;
        case "tool_result":
          usesTools = true;
          if (m.role !== "user") return bad(`messages.${i}.content.${j}: \`tool_result\` blocks can only be in \`user\` messages`);
          if (!prevToolUseIds.includes(String(blk.tool_use_id)))
            return bad(`messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(blk.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`);
          resultIds.push(String(blk.tool_use_id));
          if (!seenOther) leadingResults++;
          break;
        case "thinking":
          if (m.role !== "assistant") return bad(`messages.${i}.content.${j}: \`thinking\` blocks can only be in \`assistant\` messages`);
          if (!signer.verify(blk.signature, String(blk.thinking))) return bad(`messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`);
          break;
        case "redacted_thinking":
          // The simulator never issues redacted blocks, so any such block came from elsewhere.
          return bad(`messages.${i}.content.${j}: Invalid \`data\` in \`redacted_thinking\` block`);
        case "document":
          seenOther = true;
          break;
        default:
          return bad(`messages.${i}.content.${j}: Input tag '${String(blk.type)}' found using 'type' does not match any of the expected tags: 'text', 'image', 'document', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking'`);
      }
    }
    // Every tool_use of the previous assistant turn needs its result first in this user message.
    if (prevToolUseIds.length > 0) {
      const missing = prevToolUseIds.filter((id) => !resultIds.includes(id));
      if (leadingResults < resultIds.length && missing.length === 0)
        return bad(`messages.${i}.content.0: Did not find ${prevToolUseIds.length} \`tool_result\` block(s) at the beginning of this message. Messages following \`tool_use\` blocks must begin with a matching number of \`tool_result\` blocks.`);
      if (missing.length > 0)
        return bad(`messages.${i - 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(", ")}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`);
    }
    prevToolUseIds = toolUseIds;
    if (m.role === "assistant") lastAssistant = i;
  }
  if (usesTools && !(Array.isArray(b.tools) && b.tools.length > 0))
    return bad("Requests which include `tool_use` or `tool_result` blocks must define tools.");
  if (thinking && lastAssistant >= 0) {
    const list = blocks((msgs[lastAssistant] as Obj).content) ?? [];
    const first = list[0];
    if (list.some((blk) => blk.type === "tool_use") && first && first.type !== "thinking" && first.type !== "redacted_thinking")
      return bad(`messages.${lastAssistant}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${String(first.type)}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. ${THINKING_DOCS}`);
  }
  return null;
}

function scenario(b: Obj, model: string): ChatScenario {
  const msgs = b.messages as Obj[];
  const images: string[] = [];
  let prompt = 0;
  const system = typeof b.system === "string" ? b.system : textOf(b.system);
  if (system !== "") prompt += countWords(system) + MESSAGE_OVERHEAD;
  let lastUserText = "";
  for (const m of msgs) {
    let words = countWords(textOf(m.content));
    for (const blk of blocks(m.content) ?? []) {
      if (blk.type === "tool_result") words += countWords(textOf(blk.content));
      else if (blk.type === "image" && m.role === "user") images.push(String(isObj(blk.source) ? blk.source.type : "unknown"));
    }
    prompt += words + MESSAGE_OVERHEAD;
    if (m.role === "user") {
      const t = textOf(m.content);
      if (t !== "") lastUserText = t;
    }
  }
  const last = msgs[msgs.length - 1];
  const results = last && last.role === "user" ? (blocks(last.content) ?? []).filter((blk) => blk.type === "tool_result") : [];
  const tools: ToolSpec[] = [];
  if (Array.isArray(b.tools)) for (const t of b.tools) if (isObj(t) && typeof t.name === "string" && t.input_schema !== undefined) tools.push({ name: t.name, schema: t.input_schema });
  const tc = isObj(b.tool_choice) ? b.tool_choice : {};
  const toolChoice: ChatScenario["toolChoice"] =
    tc.type === "none" ? { mode: "none" }
    : tc.type === "any" ? { mode: "required" }
    : tc.type === "tool" && typeof tc.name === "string" ? { mode: "required", name: tc.name }
    : { mode: "auto" };
  const format = isObj(b.output_config) && isObj(b.output_config.format) ? b.output_config.format : isObj(b.output_format) ? b.output_format : undefined;
  const reasoning = thinkingEnabled(b);
  return {
    model,
    stream: b.stream === true,
    lastUserText,
    trailingToolResults: results.length ? results.map((r) => textOf(r.content)) : null,
    tools,
    toolChoice,
    parallelToolCalls: tc.disable_parallel_tool_use !== true,
    reasoning,
    reasoningVisible: reasoning,
    json: format && format.type === "json_schema" ? { schema: format.schema } : null,
    images,
    promptTokens: prompt,
    maxOutputTokens: b.max_tokens as number,
    stopSequences: Array.isArray(b.stop_sequences) ? b.stop_sequences.filter((s): s is string => typeof s === "string") : [],
    choices: 1,
  };
}

function messages(body: unknown, signer: Signer): Reply {
  if (!isObj(body)) return bad("Input should be a valid dictionary");
  const model = body.model;
  if (typeof model !== "string" || model === "") return bad("model: Field required");
  if (isUnknownModel(model)) return modelNotFound("anthropic", model);
  const invalid = validate(body, signer);
  if (invalid) return invalid;
  const sc = scenario(body, model);
  const d = parseDirectives(sc.lastUserText);
  if (d.error !== undefined) return { ...directiveError("anthropic", d.error, model), directives: d };
  if (d.midstreamError && !sc.stream) return { ...overloaded("anthropic", model), directives: d };
  const plan = buildPlan(sc, d);
  const id = randomId("msg_01", 22);
  const ids = plan.toolCalls.map(() => randomId("toolu_01", 22));
  const signature = plan.reasoningPieces.length ? signer.issue(REASONING_TEXT) : "";
  const requestId = randomId("req_011C", 20);
  if (!sc.stream) {
    return { ...jsonReply(200, JSON.stringify(message(sc, plan, id, ids, signature)), { "request-id": requestId }), directives: d };
  }
  return stream(sc, plan, id, ids, signature, d, requestId);
}

function stopReason(f: FinishKind): string {
  return f === "length" ? "max_tokens" : f === "tool" ? "tool_use" : f === "refusal" ? "refusal" : f === "stop_sequence" ? "stop_sequence" : "end_turn";
}

const REFUSAL_DETAILS = {
  type: "refusal",
  category: null,
  explanation: "This request was declined by the simulated upstream (#refusal).",
};

function usageNumbers(plan: ChatPlan) {
  const read = plan.usage.cached;
  const write = plan.usage.cacheWrite;
  return { input: plan.usage.prompt - read - write, read, write, output: plan.usage.completion + plan.usage.reasoning };
}

function message(sc: ChatScenario, plan: ChatPlan, id: string, ids: string[], signature: string): Obj {
  const u = usageNumbers(plan);
  const content: Obj[] = [];
  if (signature) content.push({ type: "thinking", thinking: REASONING_TEXT, signature });
  if (plan.text) content.push({ type: "text", text: plan.text });
  plan.toolCalls.forEach((c, k) => content.push({ type: "tool_use", id: ids[k], name: c.name, input: c.args, caller: { type: "direct" } }));
  return {
    model: sc.model, id, type: "message", role: "assistant", content,
    stop_reason: stopReason(plan.finish),
    stop_sequence: plan.stopSequence ?? null,
    stop_details: plan.finish === "refusal" ? REFUSAL_DETAILS : null,
    usage: {
      input_tokens: u.input,
      cache_creation_input_tokens: u.write,
      cache_read_input_tokens: u.read,
      cache_creation: { ephemeral_5m_input_tokens: u.write, ephemeral_1h_input_tokens: 0 },
      output_tokens: u.output,
      // Recent models report the thinking share (as the streamed message_delta does).
      ...(plan.usage.reasoning ? { output_tokens_details: { thinking_tokens: plan.usage.reasoning } } : {}),
      service_tier: "standard",
      inference_geo: "not_available",
    },
  };
}

/** Reasoning word pieces regrouped into three thinking_delta events (real deltas carry phrases). */
function thinkingDeltas(pieces: string[]): string[] {
  const size = Math.ceil(pieces.length / 3);
  const out: string[] = [];
  for (let i = 0; i < pieces.length; i += size) out.push(pieces.slice(i, i + size).join(""));
  return out;
}

function stream(sc: ChatScenario, plan: ChatPlan, id: string, ids: string[], signature: string, d: Directives, requestId: string): Reply {
  const u = usageNumbers(plan);
  const out = new FrameList();
  out.push(namedFrame("message_start", {
    type: "message_start",
    message: {
      model: sc.model, id, type: "message", role: "assistant", content: [], stop_reason: null, stop_sequence: null, stop_details: null,
      usage: {
        input_tokens: u.input,
        cache_creation_input_tokens: u.write,
        cache_read_input_tokens: u.read,
        cache_creation: { ephemeral_5m_input_tokens: u.write, ephemeral_1h_input_tokens: 0 },
        output_tokens: 1,
        service_tier: "standard",
        inference_geo: "not_available",
      },
    },
  }));
  let index = 0;
  const start = (block: Obj) => {
    out.push(namedFrame("content_block_start", { type: "content_block_start", index, content_block: block }));
    if (index === 0) out.push(namedFrame("ping", { type: "ping" }));
  };
  const delta = (dl: Obj, isContent = true) => out.push(namedFrame("content_block_delta", { type: "content_block_delta", index, delta: dl }), isContent);
  const stop = () => out.push(namedFrame("content_block_stop", { type: "content_block_stop", index: index++ }));

  if (signature) {
    start({ type: "thinking", thinking: "", signature: "" });
    for (const t of thinkingDeltas(plan.reasoningPieces)) delta({ type: "thinking_delta", thinking: t });
    delta({ type: "thinking_delta", thinking: "" }, false);
    delta({ type: "signature_delta", signature }, false);
    stop();
  }
  if (plan.pieces.length) {
    start({ type: "text", text: "" });
    for (const p of plan.pieces) delta({ type: "text_delta", text: p });
    stop();
  }
  plan.toolCalls.forEach((c, k) => {
    start({ type: "tool_use", id: ids[k], name: c.name, input: {}, caller: { type: "direct" } });
    delta({ type: "input_json_delta", partial_json: "" });
    const json = JSON.stringify(c.args);
    // A tool without arguments gets only the empty first piece, as recorded.
    if (json !== "{}") for (const frag of charPieces(json, 3)) delta({ type: "input_json_delta", partial_json: frag });
    stop();
  });
  if (index === 0) out.push(namedFrame("ping", { type: "ping" }));
  const usage: Obj = { input_tokens: u.input, cache_creation_input_tokens: u.write, cache_read_input_tokens: u.read, output_tokens: u.output };
  if (plan.usage.reasoning) usage.output_tokens_details = { thinking_tokens: plan.usage.reasoning };
  out.push(namedFrame("message_delta", {
    type: "message_delta",
    delta: { stop_reason: stopReason(plan.finish), stop_sequence: plan.stopSequence ?? null, stop_details: plan.finish === "refusal" ? REFUSAL_DETAILS : null },
    usage,
  }));
  out.push(namedFrame("message_stop", { type: "message_stop" }));
  return {
    type: "stream",
    contentType: "text/event-stream; charset=utf-8",
    headers: { "request-id": requestId },
    frames: out.frames,
    deltas: out.deltas,
    errorFrame: namedFrame("error", { type: "error", error: { details: null, type: "overloaded_error", message: "Overloaded" }, request_id: requestId }),
    directives: d,
  };
}
