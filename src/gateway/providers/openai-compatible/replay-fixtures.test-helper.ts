import fs from "node:fs";
import path from "node:path";
import type { ChatCompletionChunk } from "../../openai/chat-response";
import { chatCompletionRequestSchema, type ChatCompletionRequest } from "../../openai/chat-request";
import { findModel } from "../../routing/model-catalog";
import type { AdapterContext, ChatStreamTransformer, ProviderAdapter, ReasoningState } from "../types";
import { replayStream, seededRandom } from "../../testing/stream-replay";

/** Test support shared by the OpenAI and xAI suites: fixtures, a fake context, stream replay. */

const fixturesRoot = path.resolve(import.meta.dirname, "../../__fixtures__/providers");

export function readFixture(provider: "openai" | "xai", name: string): string {
  return fs.readFileSync(path.join(fixturesRoot, provider, name), "utf8");
}

export function readJsonFixture(provider: "openai" | "xai", name: string): unknown {
  return JSON.parse(readFixture(provider, name));
}

export function listStreamFixtures(provider: "openai" | "xai"): string[] {
  return fs
    .readdirSync(path.join(fixturesRoot, provider))
    .filter((f) => f.endsWith(".sse") || f.endsWith(".chunks.txt"))
    .sort();
}

/**
 * The upstream body as bytes: `.sse` files verbatim; `.chunks.txt` files (data payloads, one per
 * line) wrapped as `data: <line>\n\n`, then `data: [DONE]\n\n` (SOURCES.md "Formats").
 */
export function streamBytes(provider: "openai" | "xai", name: string): Uint8Array {
  const raw = fs.readFileSync(path.join(fixturesRoot, provider, name));
  if (name.endsWith(".sse")) return new Uint8Array(raw);
  const lines = raw.toString("utf8").split("\n").filter((l) => l.trim() !== "");
  return new TextEncoder().encode(lines.map((l) => `data: ${l}\n\n`).join("") + "data: [DONE]\n\n");
}

export function fakeContext(upstreamModel: string, overrides: Partial<AdapterContext> = {}): AdapterContext {
  const store = new Map<string, ReasoningState>();
  return {
    upstreamModel,
    modelInfo: findModel(upstreamModel),
    apiKey: "sk-test-0123456789abcdefghij",
    baseUrl: "https://upstream.test/v1",
    reasoningState: { get: (id) => store.get(id), set: (id, s) => void store.set(id, s) },
    now: () => 1_700_000_000_000,
    newId: () => "id-fixed",
    fetchAsset: async () => {
      throw new Error("no asset fetching in these tests");
    },
    ...overrides,
  };
}

export function parseRequest(body: unknown): ChatCompletionRequest {
  return chatCompletionRequestSchema.parse(body);
}

export interface Replay {
  chunks: ChatCompletionChunk[];
  transformer: ChatStreamTransformer;
}

/** Feeds `pieces` through SseDecoder + the adapter's transformer, as the core does. */
export function replay(adapter: ProviderAdapter, req: ChatCompletionRequest, ctx: AdapterContext, pieces: Uint8Array[]): Replay {
  const transformer = adapter.createChatStream(req, ctx);
  const chunks = replayStream(transformer, pieces);
  return { chunks, transformer };
}

export { seededRandom };

/** Splits bytes at random offsets (pieces of 1..maxPiece bytes), ignoring UTF-8 character borders. */
export function splitRandomly(bytes: Uint8Array, seed: number, maxPiece: number): Uint8Array[] {
  const random = seededRandom(seed);
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(random() * maxPiece);
    pieces.push(bytes.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

/** Compact snapshot form: one JSON line per emitted chunk. */
export function chunkLines(chunks: ChatCompletionChunk[]): string {
  return chunks.map((c) => JSON.stringify(c)).join("\n");
}

/** Text of one choice, reassembled from its deltas. */
export function joinedContent(chunks: ChatCompletionChunk[], index = 0, field: "content" | "reasoning_content" = "content"): string {
  return chunks
    .flatMap((c) => c.choices)
    .filter((c) => c.index === index)
    .map((c) => c.delta[field] ?? "")
    .join("");
}
