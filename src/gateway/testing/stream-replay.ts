import type { ChatCompletionChunk } from "../openai/chat-response";
import type { ChatStreamTransformer } from "../providers/types";
import { SseDecoder } from "../sse";

/** Test support shared by the adapters' fixture replays, the ledger seeds and the volume seeder. */

/** mulberry32: a tiny seeded PRNG, so a failing split or seed can be reproduced from its number. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Feeds byte pieces through SseDecoder and a transformer exactly as the core does, then ends both. */
export function replayStream(transformer: ChatStreamTransformer, pieces: readonly Uint8Array[]): ChatCompletionChunk[] {
  const decoder = new SseDecoder();
  const chunks: ChatCompletionChunk[] = [];
  for (const piece of pieces) for (const event of decoder.push(piece)) chunks.push(...transformer.push(event));
  for (const event of decoder.end()) chunks.push(...transformer.push(event));
  chunks.push(...transformer.end());
  return chunks;
}
