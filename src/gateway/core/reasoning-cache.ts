import type { ReasoningState, ReasoningStateStore } from "../providers/types";

/**
 * Bounded in-memory LRU for opaque reasoning state (Anthropic thinking signatures, Gemini thought
 * signatures), keyed by tool-call id. A fallback for clients that drop the extension fields; one
 * process only, so clients behind several gateway replicas should echo the extension fields.
 */
export function createReasoningCache(maxEntries = 10_000): ReasoningStateStore {
  const map = new Map<string, ReasoningState>();
  return {
    get(id) {
      const v = map.get(id);
      if (v !== undefined) {
        map.delete(id);
        map.set(id, v);
      }
      return v;
    },
    set(id, state) {
      map.delete(id);
      map.set(id, state);
      if (map.size > maxEntries) map.delete(map.keys().next().value!);
    },
  };
}
