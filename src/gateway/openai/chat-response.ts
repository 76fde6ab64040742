import type { ThinkingBlock } from "./chat-request";

/** The OpenAI shapes the gateway emits (provider-protocols.md §1). */

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter";

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens?: number };
  completion_tokens_details: { reasoning_tokens: number; audio_tokens?: number; accepted_prediction_tokens?: number; rejected_prediction_tokens?: number };
  /** Extension (Anthropic): prompt tokens written to the cache; a subset of prompt_tokens. */
  cache_creation_input_tokens?: number;
}

export interface OutputToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
  /** Extension (Gemini): thought signature to echo back on the next turn. */
  extra_content?: { google: { thought_signature: string } };
}

export interface ChatCompletionMessage {
  role: "assistant";
  content: string | null;
  refusal: string | null;
  tool_calls?: OutputToolCall[];
  /** Extension: reasoning text (xAI's field name; de-facto convention). */
  reasoning_content?: string;
  /** Extension (Anthropic): thinking blocks with signatures; echo them back unchanged. */
  thinking_blocks?: ThinkingBlock[];
}

export interface ChatCompletionChoice {
  index: number;
  message: ChatCompletionMessage;
  /** OpenAI's logprobs object when requested upstream (OpenAI/xAI pass-through), else null. */
  logprobs: Record<string, unknown> | null;
  finish_reason: FinishReason;
}

export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: ChatCompletionChoice[];
  usage: OpenAIUsage;
  system_fingerprint?: string | null;
  service_tier?: string | null;
}

export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: "function";
  function?: { name?: string; arguments?: string };
  extra_content?: { google: { thought_signature: string } };
}

export interface ChunkDelta {
  role?: "assistant";
  content?: string | null;
  refusal?: string | null;
  reasoning_content?: string;
  tool_calls?: ToolCallDelta[];
  thinking_blocks?: ThinkingBlock[];
}

export interface ChunkChoice {
  index: number;
  delta: ChunkDelta;
  logprobs: Record<string, unknown> | null;
  finish_reason: FinishReason | null;
}

export interface ChatCompletionChunk {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: ChunkChoice[];
  /** Present (null, then the totals on a final `choices: []` chunk) only with include_usage. */
  usage?: OpenAIUsage | null;
  system_fingerprint?: string | null;
  service_tier?: string | null;
}

export interface EmbeddingsResponse {
  object: "list";
  data: Array<{ object: "embedding"; index: number; embedding: number[] | string }>;
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}
