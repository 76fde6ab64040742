/**
 * Helpers for the simulated upstream's own tests: fixture loading, SSE parsing, JSON key paths, and
 * a tiny native client per provider (independent of src/gateway, so the tests check the simulator
 * against the recorded wire format, not against the code it will be used to test).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { createParser } from "eventsource-parser";
import type { SimProvider, SimulatedUpstream } from "./types";

// Wire JSON is walked loosely in these tests.
type Any = any;

export const FIXTURES = path.resolve(import.meta.dirname, "../../gateway/__fixtures__/providers");

export function fixtureText(rel: string): string {
  return readFileSync(path.join(FIXTURES, rel), "utf8");
}

export function fixtureJson(rel: string): Any {
  return JSON.parse(fixtureText(rel));
}

export interface SseEvent {
  event?: string;
  data: string;
}

export function parseSse(text: string): SseEvent[] {
  const out: SseEvent[] = [];
  const parser = createParser({ onEvent: (e) => out.push(e.event ? { event: e.event, data: e.data } : { data: e.data }) });
  parser.feed(text);
  parser.reset({ consume: true });
  return out;
}

export interface WireEvent {
  event?: string;
  data: Any;
}

/** A recorded stream as events with parsed data (`[DONE]` kept as the string). */
export function fixtureEvents(rel: string): WireEvent[] {
  const text = fixtureText(rel);
  if (rel.endsWith(".chunks.txt")) {
    return text.split("\n").filter((l) => l.trim() !== "").map((l) => ({ data: JSON.parse(l) }));
  }
  return sseToEvents(text);
}

export function sseToEvents(text: string): WireEvent[] {
  return parseSse(text).map((e) => ({ ...(e.event ? { event: e.event } : {}), data: e.data === "[DONE]" ? "[DONE]" : JSON.parse(e.data) }));
}

/** Every key path in a JSON value (`a.b[].c`), values ignored. */
export function keyPaths(value: unknown, prefix = "", acc = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) keyPaths(v, `${prefix}[]`, acc);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const p = prefix ? `${prefix}.${k}` : k;
      acc.add(p);
      keyPaths(v, p, acc);
    }
  }
  return acc;
}

export function keyPathsOf(values: unknown[]): Set<string> {
  const acc = new Set<string>();
  for (const v of values) if (v !== "[DONE]") keyPaths(v, "", acc);
  return acc;
}

/** Paths in `a` and not in `b`, sorted. */
export function minus(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter((p) => !b.has(p)).sort();
}

/** Collapses runs of equal items: [a, a, b, a] → [a, b, a]. */
export function collapse(items: string[]): string[] {
  return items.filter((x, i) => i === 0 || items[i - 1] !== x);
}

/** Event kinds, provider by provider, for comparing event order with a recording. */
export function eventKind(provider: SimProvider, e: WireEvent): string {
  const d = e.data;
  if (d === "[DONE]") return "done";
  if (provider === "anthropic") return `${e.event ?? d.type}:${d.delta?.type ?? d.content_block?.type ?? ""}`;
  if (provider === "gemini") {
    const c = d.candidates?.[0];
    const parts: Any[] = c?.content?.parts ?? [];
    const kind = parts.some((p) => p.functionCall) ? "call" : parts.some((p) => p.thought) ? "thought" : parts.length ? "text" : "empty";
    return `${kind}${parts.some((p) => p.thoughtSignature) ? "+sig" : ""}${c?.finishReason ? "+finish" : ""}`;
  }
  if (d.error) return "error";
  const ch = d.choices?.[0];
  if (!ch) return "usage";
  if (ch.finish_reason) return "finish";
  if (ch.delta?.role) return "role";
  if (ch.delta?.tool_calls) return ch.delta.tool_calls[0]?.id ? "tool_start" : "tool_args";
  if (ch.delta?.reasoning_content !== undefined) return "reasoning";
  return "content";
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  json: Any;
}

export async function http(url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<HttpResult> {
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { "content-type": "application/json", ...init.headers },
    ...(init.body === undefined ? {} : { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) }),
  });
  const text = await res.text();
  let json: Any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export const KEY = "sk-sim-test";
export const PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
export const IMAGE_URL = "https://example.com/cat.png";

export interface ChatOptions {
  prompt: string;
  stream?: boolean;
  model?: string;
  system?: string;
  tools?: { name: string; schema: object }[];
  reasoning?: boolean;
  /** A JSON Schema, or true for schema-less JSON mode. */
  json?: object | true;
  images?: ("base64" | "url")[];
  maxTokens?: number;
  stop?: string[];
  /** Native fields merged into the request body last. */
  extra?: Record<string, unknown>;
}

export interface ToolCallSeen {
  id?: string;
  name: string;
  args: Any;
  signature?: string;
  /** Streamed argument fragments, in order (OpenAI/xAI arguments, Anthropic partial_json). */
  pieces: string[];
}

export interface ChatResult {
  status: number;
  headers: Headers;
  raw: string;
  body?: Any;
  events?: WireEvent[];
  text: string;
  /** Visible text deltas (streams), in order. */
  deltas: string[];
  reasoning: string;
  toolCalls: ToolCallSeen[];
  /** The provider's own finish value. */
  finish: string | null;
  /** The provider's own usage object (Anthropic: message_start usage merged with message_delta usage). */
  usage: Any;
  /** The assistant turn in the provider's native request shape, for a follow-up request. */
  assistant: Any;
  /** Native request body that was sent. */
  request: Any;
}

export interface Driver {
  provider: SimProvider;
  defaultModel: string;
  chat(sim: SimulatedUpstream, o: ChatOptions, history?: Any[]): Promise<ChatResult>;
  /** Native history for a follow-up: the first user turn, the assistant turn, and the tool results. */
  toolHistory(first: ChatResult, prompt: string, results: string[]): Any[];
}

function openaiLike(provider: "openai" | "xai"): Driver {
  return {
    provider,
    defaultModel: provider === "openai" ? "gpt-4.1-nano" : "grok-3-mini",
    async chat(sim, o, history = []) {
      const model = o.model ?? (provider === "openai" && o.reasoning ? "o4-mini" : this.defaultModel);
      const content = o.images?.length
        ? [{ type: "text", text: o.prompt }, ...o.images.map((k) => ({ type: "image_url", image_url: { url: k === "base64" ? `data:image/png;base64,${PNG_BASE64}` : IMAGE_URL } }))]
        : o.prompt;
      const body: Any = { model, messages: [...(o.system ? [{ role: "system", content: o.system }] : []), ...history, ...(history.length ? [] : [{ role: "user", content }])] };
      if (o.tools) body.tools = o.tools.map((t) => ({ type: "function", function: { name: t.name, description: "", parameters: t.schema } }));
      if (o.reasoning) body.reasoning_effort = "low";
      if (o.json) body.response_format = o.json === true ? { type: "json_object" } : { type: "json_schema", json_schema: { name: "out", schema: o.json, strict: true } };
      if (o.maxTokens !== undefined) body.max_completion_tokens = o.maxTokens;
      if (o.stop) body.stop = o.stop;
      if (o.stream) Object.assign(body, { stream: true, stream_options: { include_usage: true } });
      Object.assign(body, o.extra);
      const res = await fetch(`${sim.baseUrls[provider]}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
        body: JSON.stringify(body),
      });
      const raw = await res.text();
      const r: ChatResult = { status: res.status, headers: res.headers, raw, text: "", deltas: [], reasoning: "", toolCalls: [], finish: null, usage: undefined, assistant: undefined, request: body };
      if (res.status !== 200) {
        r.body = safeJson(raw);
        return r;
      }
      if (!o.stream) {
        const b = JSON.parse(raw);
        r.body = b;
        const m = b.choices[0].message;
        r.text = m.content ?? "";
        r.reasoning = m.reasoning_content ?? "";
        r.toolCalls = (m.tool_calls ?? []).map((c: Any) => ({ id: c.id, name: c.function.name, args: JSON.parse(c.function.arguments), pieces: [c.function.arguments] }));
        r.finish = b.choices[0].finish_reason;
        r.usage = b.usage;
      } else {
        r.events = sseToEvents(raw);
        const calls = new Map<number, { id?: string; name: string; args: string; pieces: string[] }>();
        for (const { data } of r.events) {
          if (data === "[DONE]" || data.error) continue;
          if (data.usage) r.usage = data.usage;
          const ch = data.choices?.[0];
          if (!ch) continue;
          if (typeof ch.delta?.content === "string" && ch.delta.content !== "") {
            r.text += ch.delta.content;
            r.deltas.push(ch.delta.content);
          }
          if (ch.delta?.reasoning_content) r.reasoning += ch.delta.reasoning_content;
          for (const tc of ch.delta?.tool_calls ?? []) {
            const cur = calls.get(tc.index) ?? { name: "", args: "", pieces: [] };
            if (tc.id) cur.id = tc.id;
            if (tc.function?.name) cur.name = tc.function.name;
            if (tc.function?.arguments) {
              cur.args += tc.function.arguments;
              cur.pieces.push(tc.function.arguments);
            }
            calls.set(tc.index, cur);
          }
          if (ch.finish_reason) r.finish = ch.finish_reason;
        }
        r.toolCalls = [...calls.values()].map((c) => ({ ...(c.id ? { id: c.id } : {}), name: c.name, args: JSON.parse(c.args || "{}"), pieces: c.pieces }));
      }
      r.assistant = {
        role: "assistant",
        content: r.toolCalls.length ? null : r.text,
        ...(r.toolCalls.length ? { tool_calls: r.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: JSON.stringify(c.args) } })) } : {}),
      };
      return r;
    },
    toolHistory(first, prompt, results) {
      return [
        { role: "user", content: prompt },
        first.assistant,
        ...first.toolCalls.map((c, i) => ({ role: "tool", tool_call_id: c.id, content: results[i] ?? "" })),
      ];
    },
  };
}

const anthropicDriver: Driver = {
  provider: "anthropic",
  defaultModel: "claude-sonnet-4-5",
  async chat(sim, o, history = []) {
    const content = o.images?.length
      ? [{ type: "text", text: o.prompt }, ...o.images.map((k) => ({ type: "image", source: k === "base64" ? { type: "base64", media_type: "image/png", data: PNG_BASE64 } : { type: "url", url: IMAGE_URL } }))]
      : o.prompt;
    const body: Any = { model: o.model ?? this.defaultModel, max_tokens: o.maxTokens ?? 4096, messages: history.length ? history : [{ role: "user", content }] };
    if (o.system) body.system = o.system;
    if (o.tools) body.tools = o.tools.map((t) => ({ name: t.name, description: "", input_schema: t.schema }));
    if (o.reasoning) body.thinking = { type: "enabled", budget_tokens: 1024 };
    if (o.json && o.json !== true) body.output_config = { format: { type: "json_schema", schema: o.json } };
    if (o.stop) body.stop_sequences = o.stop;
    if (o.stream) body.stream = true;
    Object.assign(body, o.extra);
    const res = await fetch(`${sim.baseUrls.anthropic}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": KEY, "anthropic-version": "2023-06-01" },
      body: JSON.stringify(body),
    });
    const raw = await res.text();
    const r: ChatResult = { status: res.status, headers: res.headers, raw, text: "", deltas: [], reasoning: "", toolCalls: [], finish: null, usage: undefined, assistant: undefined, request: body };
    if (res.status !== 200) {
      r.body = safeJson(raw);
      return r;
    }
    let blocks: Any[];
    if (!o.stream) {
      r.body = JSON.parse(raw);
      blocks = r.body.content;
      r.finish = r.body.stop_reason;
      r.usage = r.body.usage;
    } else {
      r.events = sseToEvents(raw);
      blocks = [];
      const partial: string[][] = [];
      for (const { data } of r.events) {
        switch (data.type) {
          case "message_start":
            r.usage = { ...data.message.usage };
            break;
          case "content_block_start":
            blocks[data.index] = { ...data.content_block };
            partial[data.index] = [];
            break;
          case "content_block_delta": {
            const b = blocks[data.index];
            const dl = data.delta;
            if (dl.type === "text_delta") {
              b.text += dl.text;
              r.deltas.push(dl.text);
            } else if (dl.type === "thinking_delta") b.thinking += dl.thinking;
            else if (dl.type === "signature_delta") b.signature = dl.signature;
            else if (dl.type === "input_json_delta") partial[data.index]!.push(dl.partial_json);
            break;
          }
          case "content_block_stop": {
            const b = blocks[data.index];
            if (b.type === "tool_use") {
              b.pieces = partial[data.index];
              b.input = JSON.parse(partial[data.index]!.join("") || "{}");
            }
            break;
          }
          case "message_delta":
            r.finish = data.delta.stop_reason;
            Object.assign(r.usage, data.usage);
            break;
        }
      }
    }
    for (const b of blocks) {
      if (b.type === "text") r.text += b.text;
      if (b.type === "thinking") r.reasoning += b.thinking;
      if (b.type === "tool_use") r.toolCalls.push({ id: b.id, name: b.name, args: b.input, pieces: b.pieces ?? [] });
    }
    r.assistant = {
      role: "assistant",
      content: blocks.map((b) =>
        b.type === "tool_use" ? { type: "tool_use", id: b.id, name: b.name, input: b.input }
        : b.type === "thinking" ? { type: "thinking", thinking: b.thinking, signature: b.signature }
        : { type: "text", text: b.text }),
    };
    return r;
  },
  toolHistory(first, prompt, results) {
    return [
      { role: "user", content: prompt },
      first.assistant,
      { role: "user", content: first.toolCalls.map((c, i) => ({ type: "tool_result", tool_use_id: c.id, content: results[i] ?? "" })) },
    ];
  },
};

const geminiDriver: Driver = {
  provider: "gemini",
  defaultModel: "gemini-2.5-flash",
  async chat(sim, o, history = []) {
    const model = o.model ?? this.defaultModel;
    const parts: Any[] = [{ text: o.prompt }, ...(o.images ?? []).map((k) => (k === "base64" ? { inlineData: { mimeType: "image/png", data: PNG_BASE64 } } : { fileData: { mimeType: "image/png", fileUri: IMAGE_URL } }))];
    const body: Any = { contents: history.length ? history : [{ role: "user", parts }] };
    if (o.system) body.systemInstruction = { parts: [{ text: o.system }] };
    if (o.tools) body.tools = [{ functionDeclarations: o.tools.map((t) => ({ name: t.name, description: "", parameters: t.schema })) }];
    const gc: Any = {};
    if (o.reasoning) gc.thinkingConfig = { includeThoughts: true, thinkingBudget: 1024 };
    if (o.json) {
      gc.responseMimeType = "application/json";
      if (o.json !== true) gc.responseJsonSchema = o.json;
    }
    if (o.maxTokens !== undefined) gc.maxOutputTokens = o.maxTokens;
    if (o.stop) gc.stopSequences = o.stop;
    if (Object.keys(gc).length) body.generationConfig = gc;
    Object.assign(body, o.extra);
    const url = `${sim.baseUrls.gemini}/models/${model}:${o.stream ? "streamGenerateContent?alt=sse" : "generateContent"}`;
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-goog-api-key": KEY }, body: JSON.stringify(body) });
    const raw = await res.text();
    const r: ChatResult = { status: res.status, headers: res.headers, raw, text: "", deltas: [], reasoning: "", toolCalls: [], finish: null, usage: undefined, assistant: undefined, request: body };
    if (res.status !== 200) {
      r.body = safeJson(raw);
      return r;
    }
    const responses: Any[] = o.stream ? (r.events = sseToEvents(raw)).map((e) => e.data) : [(r.body = JSON.parse(raw))];
    const modelParts: Any[] = [];
    for (const resp of responses) {
      if (resp.error) continue;
      const c = resp.candidates?.[0];
      r.usage = resp.usageMetadata;
      if (c?.finishReason) r.finish = c.finishReason;
      for (const p of c?.content?.parts ?? []) {
        modelParts.push(p);
        if (p.functionCall) r.toolCalls.push({ name: p.functionCall.name, args: p.functionCall.args, ...(p.thoughtSignature ? { signature: p.thoughtSignature } : {}), pieces: [] });
        else if (p.thought) r.reasoning += p.text;
        else if (typeof p.text === "string") {
          r.text += p.text;
          if (p.text !== "") r.deltas.push(p.text);
        }
      }
    }
    r.assistant = { role: "model", parts: modelParts.filter((p) => !p.thought) };
    return r;
  },
  toolHistory(first, prompt, results) {
    return [
      { role: "user", parts: [{ text: prompt }] },
      first.assistant,
      { role: "user", parts: first.toolCalls.map((c, i) => ({ functionResponse: { name: c.name, response: { output: results[i] ?? "" } } })) },
    ];
  },
};

export const drivers: Record<SimProvider, Driver> = {
  openai: openaiLike("openai"),
  xai: openaiLike("xai"),
  anthropic: anthropicDriver,
  gemini: geminiDriver,
};

function safeJson(text: string): Any {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
