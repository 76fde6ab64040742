import { readFileSync } from "node:fs";
import path from "node:path";
import { chatCompletionRequestSchema, type ChatCompletionRequest } from "../../openai/chat-request";
import type { ChatCompletionChunk } from "../../openai/chat-response";
import { modelCatalog, type ModelInfo } from "../../routing/model-catalog";
import type { AdapterContext, ChatStreamTransformer, ReasoningState } from "../types";
import { createAnthropicStreamTransformer } from "./anthropic-stream-transformer";
import { replayStream, seededRandom } from "../../testing/stream-replay";

/** Shared by the Anthropic adapter's tests only: fixture loading, a test context, stream replay. */

const fixtureDir = path.join(import.meta.dirname, "../../__fixtures__/providers/anthropic");

export function fixtureText(name: string): string {
  return readFileSync(path.join(fixtureDir, name), "utf8");
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureText(name));
}

/**
 * The recorded stream as the bytes Anthropic sent. `.chunks.txt` files hold one data payload per
 * line with the SSE framing stripped: each line is wrapped back as `event: <type>\ndata: <line>\n\n`.
 */
export function streamBytes(name: string): Uint8Array {
  const raw = readFileSync(path.join(fixtureDir, name));
  if (!name.endsWith(".chunks.txt")) return new Uint8Array(raw);
  const framed = raw
    .toString("utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => `event: ${(JSON.parse(line) as { type: string }).type}\ndata: ${line}\n\n`)
    .join("");
  return new TextEncoder().encode(framed);
}

export function sseText(events: ReadonlyArray<Record<string, unknown>>): Uint8Array {
  return new TextEncoder().encode(events.map((e) => `event: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`).join(""));
}

export function findModel(id: string): ModelInfo | undefined {
  return modelCatalog.find((m) => m.id === id || m.aliases?.includes(id));
}

export interface TestContext extends AdapterContext {
  store: Map<string, ReasoningState>;
}

export const TEST_NOW = 1_767_225_600_000;

export function makeCtx(upstreamModel: string, overrides: Partial<AdapterContext> = {}): TestContext {
  const store = new Map<string, ReasoningState>();
  return {
    upstreamModel,
    modelInfo: findModel(upstreamModel),
    apiKey: "sk-ant-test-key",
    baseUrl: "https://api.anthropic.com",
    reasoningState: { get: (id) => store.get(id), set: (id, state) => void store.set(id, state) },
    now: () => TEST_NOW,
    newId: () => "id-1",
    fetchAsset: () => Promise.reject(new Error("not used by the Anthropic adapter")),
    ...overrides,
    store,
  };
}

/** Parses like the core does before an adapter sees the request. */
export function chatRequest(body: Record<string, unknown>): ChatCompletionRequest {
  return chatCompletionRequestSchema.parse({ model: "claude-sonnet-4-6", ...body });
}

export interface Replay {
  chunks: ChatCompletionChunk[];
  transformer: ChatStreamTransformer;
}

/** Feeds the byte pieces through SseDecoder and the transformer, as the core does, then ends both. */
export function replay(pieces: readonly Uint8Array[], req: ChatCompletionRequest, ctx: AdapterContext): Replay {
  const transformer = createAnthropicStreamTransformer(req, ctx);
  const chunks = replayStream(transformer, pieces);
  return { chunks, transformer };
}

export { seededRandom };

export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const sorted = [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const cut of sorted) {
    pieces.push(bytes.subarray(start, cut));
    start = cut;
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}

/** Offsets that fall inside a multi-byte UTF-8 character (after its lead byte). */
export function cutsInsideMultiByteChars(bytes: Uint8Array): number[] {
  const cuts: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if ((b & 0xc0) === 0x80) cuts.push(i);
  }
  return cuts;
}

// Helpers that read facts out of an emitted chunk list.

export function deltas(chunks: readonly ChatCompletionChunk[]) {
  return chunks.flatMap((c) => c.choices.map((choice) => choice.delta));
}

export function joinedContent(chunks: readonly ChatCompletionChunk[]): string {
  return deltas(chunks)
    .map((d) => d.content ?? "")
    .join("");
}

export function joinedReasoning(chunks: readonly ChatCompletionChunk[]): string {
  return deltas(chunks)
    .map((d) => d.reasoning_content ?? "")
    .join("");
}

export function finishReasons(chunks: readonly ChatCompletionChunk[]) {
  return chunks.flatMap((c) => c.choices.map((choice) => choice.finish_reason)).filter((r) => r !== null);
}

/** Tool calls reassembled the way OpenAI clients do it: by `index`, concatenating arguments. */
export function assembledToolCalls(chunks: readonly ChatCompletionChunk[]) {
  const calls: Array<{ id: string; name: string; arguments: string }> = [];
  for (const d of deltas(chunks)) {
    for (const tc of d.tool_calls ?? []) {
      const call = (calls[tc.index] ??= { id: "", name: "", arguments: "" });
      if (tc.id) call.id = tc.id;
      if (tc.function?.name) call.name = tc.function.name;
      call.arguments += tc.function?.arguments ?? "";
    }
  }
  return calls;
}
