import type { ChatPlan, ChatScenario, Directives, FinishKind, PlannedToolCall } from "./types";
import { charPieces, countWords, schemaInstance, splitWords, wordPieces } from "./text";

/**
 * The deterministic "model": directives in the last user message pick the behaviour; token counts
 * follow a fixed formula so tests can assert exact usage and cost.
 *
 * Token formula (documented in the README):
 * - prompt = Σ over messages (words of their text + tool-result text) + MESSAGE_OVERHEAD per message;
 *   a system prompt (Anthropic `system`, Gemini `systemInstruction`) counts as one message.
 *   Images, tool definitions, tool-call arguments and replayed thinking count 0 words.
 * - completion = words of the visible reply + TOOL_CALL_TOKENS per tool call.
 * - reasoning = REASONING_TOKENS when the request enables reasoning.
 * - `#cache`: cached = ⌊prompt/2⌋ (Anthropic also writes ⌊prompt/4⌋ to cache).
 */
export const MESSAGE_OVERHEAD = 3;
export const TOOL_CALL_TOKENS = 10;
export const REASONING_TOKENS = 20;
export const REASONING_TEXT =
  "The user wants a deterministic answer, so I will reply exactly as the simulator promises.";

const FLAG_RE = /#(tools2|tool|cache|json|image|length|refusal|midstream-error|reset|hang-headers|hang-body)(?![\w-])/g;
const VALUE_RE = /#(error|slow|chunks|delay|linger)=(\d+)/g;

export function parseDirectives(text: string): Directives {
  const d: Directives = {
    tool: false, tools2: false, cache: false, json: false, image: false, length: false, refusal: false,
    midstreamError: false, reset: false, hangHeaders: false, hangBody: false, slowMs: 0, delayMs: 0, lingerMs: 0,
  };
  if (!text.includes("#")) return d;
  for (const m of text.matchAll(FLAG_RE)) {
    switch (m[1]) {
      case "tool": d.tool = true; break;
      case "tools2": d.tools2 = true; break;
      case "cache": d.cache = true; break;
      case "json": d.json = true; break;
      case "image": d.image = true; break;
      case "length": d.length = true; break;
      case "refusal": d.refusal = true; break;
      case "midstream-error": d.midstreamError = true; break;
      case "reset": d.reset = true; break;
      case "hang-headers": d.hangHeaders = true; break;
      case "hang-body": d.hangBody = true; break;
    }
  }
  for (const m of text.matchAll(VALUE_RE)) {
    const v = Number(m[2]);
    if (m[1] === "error") d.error = v;
    else if (m[1] === "slow") d.slowMs = v;
    else if (m[1] === "chunks") d.chunks = Math.max(1, v);
    else if (m[1] === "linger") d.lingerMs = v;
    else d.delayMs = v;
  }
  return d;
}

export function stripDirectives(text: string): string {
  if (!text.includes("#")) return text.trim().replace(/\s+/g, " ");
  return text.replace(VALUE_RE, " ").replace(FLAG_RE, " ").trim().replace(/\s+/g, " ");
}

export function buildPlan(sc: ChatScenario, d: Directives): ChatPlan {
  const prompt = sc.promptTokens;
  const usage = {
    prompt,
    cached: d.cache ? Math.floor(prompt / 2) : 0,
    cacheWrite: d.cache ? Math.floor(prompt / 4) : 0,
    completion: 0,
    reasoning: sc.reasoning ? REASONING_TOKENS : 0,
  };
  const reasoningPieces = sc.reasoning && sc.reasoningVisible ? wordPieces(splitWords(REASONING_TEXT)) : [];

  if (d.refusal) {
    return { text: "", pieces: [], toolCalls: [], reasoningPieces, finish: "refusal", usage };
  }

  const toolCalls = d.length || sc.trailingToolResults ? [] : planToolCalls(sc, d);
  if (toolCalls.length > 0) {
    usage.completion = toolCalls.length * TOOL_CALL_TOKENS;
    return { text: "", pieces: [], toolCalls, reasoningPieces, finish: "tool", usage };
  }

  let text = replyText(sc, d);
  let finish: FinishKind = "stop";
  let stopSequence: string | undefined;
  let cut = -1;
  for (const s of sc.stopSequences) {
    const at = s ? text.indexOf(s) : -1;
    if (at >= 0 && (cut < 0 || at < cut)) {
      cut = at;
      stopSequence = s;
    }
  }
  if (stopSequence !== undefined) {
    text = text.slice(0, cut).trimEnd();
    finish = "stop_sequence";
  }

  let pieces: string[];
  if (sc.json) {
    if (d.length) {
      text = text.slice(0, Math.ceil(text.length / 2));
      finish = "length";
    }
    pieces = charPieces(text, d.chunks ?? Math.ceil(text.length / 8));
  } else {
    let words = splitWords(text);
    if (d.chunks !== undefined && words.length > 0) {
      const base = words;
      words = Array.from({ length: d.chunks }, (_, i) => base[i % base.length] as string);
    }
    if (d.length) {
      words = words.slice(0, Math.max(1, Math.ceil(words.length / 2)));
      finish = "length";
    } else if (sc.maxOutputTokens !== undefined && words.length > sc.maxOutputTokens) {
      words = words.slice(0, Math.max(0, sc.maxOutputTokens));
      finish = "length";
    }
    pieces = wordPieces(words);
    text = pieces.join("");
  }
  usage.completion = countWords(text);
  return finish === "stop_sequence" && stopSequence !== undefined
    ? { text, pieces, toolCalls: [], reasoningPieces, finish, stopSequence, usage }
    : { text, pieces, toolCalls: [], reasoningPieces, finish, usage };
}

function replyText(sc: ChatScenario, d: Directives): string {
  let text: string;
  if (sc.trailingToolResults) text = `Tool results: ${sc.trailingToolResults.join("; ")}`;
  else if ((d.tool || d.tools2) && sc.toolChoice.mode === "none") text = "Tool use is disabled by tool_choice.";
  else if ((d.tool || d.tools2) && sc.tools.length === 0) text = "No tools were provided.";
  else if (d.image) {
    const n = sc.images.length;
    text = `Received ${n} image${n === 1 ? "" : "s"}${n ? `: ${sc.images.join(", ")}` : ""}.`;
  } else if (d.json && !sc.json) text = "No JSON format was requested.";
  else text = `Echo: ${stripDirectives(sc.lastUserText)}`.trim();
  if (!sc.json) return text;
  return JSON.stringify(sc.json.schema !== undefined ? schemaInstance(sc.json.schema) : { echo: text });
}

function planToolCalls(sc: ChatScenario, d: Directives): PlannedToolCall[] {
  const forced = sc.toolChoice.mode === "required" || sc.toolChoice.name !== undefined;
  if (!(d.tool || d.tools2 || forced) || sc.toolChoice.mode === "none" || sc.tools.length === 0) return [];
  const named = sc.toolChoice.name !== undefined ? sc.tools.find((t) => t.name === sc.toolChoice.name) : undefined;
  const first = named ?? sc.tools[0];
  if (!first) return [];
  const picked = [first];
  if (d.tools2 && sc.parallelToolCalls) picked.push(named ?? sc.tools[1] ?? first);
  return picked.map((t) => {
    const args = schemaInstance(t.schema ?? { type: "object" });
    return { name: t.name, args: args && typeof args === "object" && !Array.isArray(args) ? args : {} };
  });
}
