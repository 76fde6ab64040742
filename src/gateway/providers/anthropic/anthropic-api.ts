import { z } from "zod";

/**
 * Anthropic Messages API wire shapes (provider-protocols.md §3).
 *
 * Outbound request: plain TypeScript types (we build it). Inbound response, stream events and error
 * bodies: zod schemas holding only the fields the adapter reads; unknown keys are tolerated because
 * current models add keys freely (`caller`, `service_tier`, `inference_geo`, `cache_creation`, ...).
 */

export const ANTHROPIC_VERSION = "2023-06-01";

// ---------------------------------------------------------------------------------------------
// Request (outbound)

export interface AnthropicTextBlock {
  type: "text";
  text: string;
}

export interface AnthropicImageBlock {
  type: "image";
  source: { type: "base64"; media_type: string; data: string } | { type: "url"; url: string };
}

export interface AnthropicDocumentBlock {
  type: "document";
  source: { type: "base64"; media_type: "application/pdf"; data: string };
}

export interface AnthropicToolUseBlock {
  type: "tool_use";
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export interface AnthropicToolResultBlock {
  type: "tool_result";
  tool_use_id: string;
  /** Omitted for an empty result (Anthropic rejects empty text blocks; `content` is optional). */
  content?: string | AnthropicTextBlock[];
}

export interface AnthropicThinkingBlock {
  type: "thinking";
  thinking: string;
  signature: string;
}

export interface AnthropicRedactedThinkingBlock {
  type: "redacted_thinking";
  data: string;
}

export type AnthropicUserBlock = AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock | AnthropicToolResultBlock;
export type AnthropicAssistantBlock = AnthropicThinkingBlock | AnthropicRedactedThinkingBlock | AnthropicTextBlock | AnthropicToolUseBlock;

export type AnthropicMessage =
  | { role: "user"; content: AnthropicUserBlock[] }
  | { role: "assistant"; content: AnthropicAssistantBlock[] };

export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
  strict?: true;
}

export type AnthropicToolChoice =
  | { type: "auto" | "any"; disable_parallel_tool_use?: true }
  | { type: "tool"; name: string; disable_parallel_tool_use?: true }
  | { type: "none" };

/** `display: "summarized"`: newer models default to "omitted", which would leave `reasoning_content` empty. */
export type AnthropicThinkingConfig =
  | { type: "enabled"; budget_tokens: number; display: "summarized" }
  | { type: "adaptive"; display: "summarized" };

export type AnthropicEffort = "low" | "medium" | "high" | "xhigh" | "max";

export interface AnthropicRequest {
  model: string;
  max_tokens: number;
  messages: AnthropicMessage[];
  system?: AnthropicTextBlock[];
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  thinking?: AnthropicThinkingConfig;
  output_config?: {
    effort?: AnthropicEffort;
    format?: { type: "json_schema"; schema: Record<string, unknown> };
  };
  temperature?: number;
  top_p?: number;
  stop_sequences?: string[];
  metadata?: { user_id: string };
  stream?: true;
}

// ---------------------------------------------------------------------------------------------
// Usage (message, message_start, message_delta)

const tokenCount = z.number().int().nonnegative();

export const anthropicUsageSchema = z.looseObject({
  input_tokens: tokenCount.nullish(),
  output_tokens: tokenCount.nullish(),
  cache_creation_input_tokens: tokenCount.nullish(),
  cache_read_input_tokens: tokenCount.nullish(),
  output_tokens_details: z.looseObject({ thinking_tokens: tokenCount.nullish() }).nullish(),
});
export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

// ---------------------------------------------------------------------------------------------
// Response content blocks

const knownBlockTypes = new Set(["text", "thinking", "redacted_thinking", "tool_use"]);

/**
 * Server-tool blocks and future kinds: tolerated, not surfaced. Parsed as `{type: "other"}` so that
 * `switch (block.type)` still narrows the known kinds (a malformed known block fails instead).
 */
const otherBlockSchema = z
  .looseObject({ type: z.string().refine((t) => !knownBlockTypes.has(t)) })
  .transform(() => ({ type: "other" as const }));

export const textBlockSchema = z.looseObject({ type: z.literal("text"), text: z.string() });
export const thinkingBlockSchema = z.looseObject({ type: z.literal("thinking"), thinking: z.string(), signature: z.string() });
export const redactedThinkingBlockSchema = z.looseObject({ type: z.literal("redacted_thinking"), data: z.string() });
export const toolUseBlockSchema = z.looseObject({
  type: z.literal("tool_use"),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.unknown(),
});

export const anthropicResponseBlockSchema = z.union([
  textBlockSchema,
  thinkingBlockSchema,
  redactedThinkingBlockSchema,
  toolUseBlockSchema,
  otherBlockSchema,
]);

export const anthropicMessageResponseSchema = z.looseObject({
  id: z.string().min(1),
  model: z.string(),
  content: z.array(anthropicResponseBlockSchema),
  stop_reason: z.string().nullish(),
  usage: anthropicUsageSchema,
});
export type AnthropicMessageResponse = z.infer<typeof anthropicMessageResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Stream events (provider-protocols.md §3.6). `type` is read first, then the matching schema.

export const streamEventTypeSchema = z.looseObject({ type: z.string() });

export const messageStartEventSchema = z.looseObject({
  type: z.literal("message_start"),
  message: z.looseObject({ id: z.string().min(1), model: z.string(), usage: anthropicUsageSchema.nullish() }),
});

export const contentBlockStartEventSchema = z.looseObject({
  type: z.literal("content_block_start"),
  index: z.number().int().nonnegative(),
  content_block: z.union([
    z.looseObject({ type: z.literal("text"), text: z.string().nullish() }),
    z.looseObject({ type: z.literal("thinking"), thinking: z.string().nullish(), signature: z.string().nullish() }),
    redactedThinkingBlockSchema,
    z.looseObject({ type: z.literal("tool_use"), id: z.string().min(1), name: z.string().min(1) }),
    otherBlockSchema,
  ]),
});

const knownDeltaTypes = new Set(["text_delta", "thinking_delta", "signature_delta", "input_json_delta"]);

export const contentBlockDeltaEventSchema = z.looseObject({
  type: z.literal("content_block_delta"),
  index: z.number().int().nonnegative(),
  delta: z.union([
    z.looseObject({ type: z.literal("text_delta"), text: z.string() }),
    z.looseObject({ type: z.literal("thinking_delta"), thinking: z.string() }),
    z.looseObject({ type: z.literal("signature_delta"), signature: z.string() }),
    z.looseObject({ type: z.literal("input_json_delta"), partial_json: z.string() }),
    // citations_delta and future kinds
    z.looseObject({ type: z.string().refine((t) => !knownDeltaTypes.has(t)) }).transform(() => ({ type: "other" as const })),
  ]),
});

export const contentBlockStopEventSchema = z.looseObject({
  type: z.literal("content_block_stop"),
  index: z.number().int().nonnegative(),
});

export const messageDeltaEventSchema = z.looseObject({
  type: z.literal("message_delta"),
  delta: z.looseObject({ stop_reason: z.string().nullish() }),
  usage: anthropicUsageSchema.nullish(),
});

// ---------------------------------------------------------------------------------------------
// Errors: HTTP bodies and the mid-stream `error` event share this shape (§3.8).

export const anthropicErrorBodySchema = z.looseObject({
  type: z.literal("error").optional(),
  error: z.looseObject({
    type: z.string(),
    message: z.string(),
    details: z.looseObject({ error_code: z.string().nullish() }).nullish(),
  }),
});
export type AnthropicErrorBody = z.infer<typeof anthropicErrorBodySchema>;
