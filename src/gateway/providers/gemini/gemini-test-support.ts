import { readFileSync } from "node:fs";
import path from "node:path";
import type { ChatCompletionChunk } from "../../openai/chat-response";
import { findModel } from "../../routing/model-catalog";
import type { AdapterContext, ReasoningState } from "../types";
import { GeminiStreamTransformer } from "./gemini-stream-transformer";
import { replayStream, seededRandom } from "../../testing/stream-replay";

/** Test-only helpers: a deterministic AdapterContext and the recorded Google fixtures. */

export const GOOGLE_FIXTURES = path.resolve(import.meta.dirname, "../../__fixtures__/providers/google");

export function fixtureText(name: string): string {
  return readFileSync(path.join(GOOGLE_FIXTURES, name), "utf8");
}

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(GOOGLE_FIXTURES, name)));
}

export function fixtureJson<T = unknown>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

export interface TestContext extends AdapterContext {
  store: Map<string, ReasoningState>;
  fetchedUrls: string[];
}

export function testContext(model = "gemini-2.5-flash", overrides: Partial<AdapterContext> = {}): TestContext {
  const store = new Map<string, ReasoningState>();
  const fetchedUrls: string[] = [];
  let counter = 0;
  return {
    upstreamModel: model,
    modelInfo: findModel(model),
    apiKey: "test-key",
    baseUrl: "https://generativelanguage.googleapis.com/v1beta",
    reasoningState: { get: (id) => store.get(id), set: (id, state) => void store.set(id, state) },
    now: () => 1_760_000_000_123,
    newId: () => `id${++counter}`,
    fetchAsset: async (url) => {
      fetchedUrls.push(url);
      return { mimeType: "image/jpeg", base64: "/9j/ZmFrZQ==" };
    },
    store,
    fetchedUrls,
    ...overrides,
  };
}

/** A recorded stream as SSE bytes; `.chunks.txt` holds one data payload per line (framing stripped). */
export function streamFixtureBytes(name: string): Uint8Array {
  if (name.endsWith(".sse")) return fixtureBytes(name);
  const lines = fixtureText(name).split("\n").filter((l) => l.trim() !== "");
  return new TextEncoder().encode(lines.map((l) => `data: ${l}\r\n\r\n`).join(""));
}

export interface Replay {
  chunks: ChatCompletionChunk[];
  transformer: GeminiStreamTransformer;
  ctx: TestContext;
}

/** Feeds bytes, split into the given pieces, through SseDecoder and a fresh transformer. */
export function replay(pieces: Uint8Array[], ctx: TestContext = testContext()): Replay {
  const transformer = new GeminiStreamTransformer(ctx);
  const chunks = replayStream(transformer, pieces);
  return { chunks, transformer, ctx };
}

export { seededRandom };

export function splitAtRandom(bytes: Uint8Array, random: () => number, maxPiece: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    const size = 1 + Math.floor(random() * maxPiece);
    pieces.push(bytes.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

/** Concatenates one choice's deltas the way an OpenAI client does. */
export function collect(chunks: ChatCompletionChunk[], index = 0) {
  let content = "";
  let reasoning = "";
  const toolCalls: Array<{ id?: string; name?: string; arguments: string; extra?: unknown }> = [];
  let finish: string | null = null;
  for (const chunk of chunks) {
    for (const choice of chunk.choices) {
      if (choice.index !== index) continue;
      content += choice.delta.content ?? "";
      reasoning += choice.delta.reasoning_content ?? "";
      for (const tc of choice.delta.tool_calls ?? []) {
        const slot = (toolCalls[tc.index] ??= { arguments: "" });
        if (tc.id) slot.id = tc.id;
        if (tc.function?.name) slot.name = tc.function.name;
        slot.arguments += tc.function?.arguments ?? "";
        if (tc.extra_content) slot.extra = tc.extra_content;
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  }
  return { content, reasoning, toolCalls, finish };
}
