import { z } from "zod";

/**
 * The OpenAI Chat Completions request as the gateway accepts it.
 *
 * Objects are `loose`: fields we do not model are kept (not stripped), so an OpenAI-compatible
 * upstream receives them unchanged, and a translating adapter can name them in a 400 instead of
 * dropping them silently (see `assertOnlyKnownFields`).
 */

export const textPartSchema = z.looseObject({ type: z.literal("text"), text: z.string() });

export const imagePartSchema = z.looseObject({
  type: z.literal("image_url"),
  image_url: z.looseObject({
    url: z.string().min(1),
    detail: z.enum(["auto", "low", "high"]).optional(),
  }),
});

export const filePartSchema = z.looseObject({
  type: z.literal("file"),
  file: z.looseObject({
    file_data: z.string().optional(),
    file_id: z.string().optional(),
    filename: z.string().optional(),
  }),
});

export const inputAudioPartSchema = z.looseObject({
  type: z.literal("input_audio"),
  input_audio: z.looseObject({ data: z.string(), format: z.string() }),
});

export const userContentPartSchema = z.discriminatedUnion("type", [
  textPartSchema,
  imagePartSchema,
  filePartSchema,
  inputAudioPartSchema,
]);
export type UserContentPart = z.infer<typeof userContentPartSchema>;

export const toolCallSchema = z.looseObject({
  id: z.string().min(1),
  type: z.literal("function"),
  function: z.looseObject({ name: z.string().min(1), arguments: z.string() }),
  /** Extension (Gemini): `{ google: { thought_signature } }`, as Google's own OpenAI layer names it. */
  extra_content: z.looseObject({ google: z.looseObject({ thought_signature: z.string().optional() }).optional() }).optional(),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

/** Extension (Anthropic): opaque reasoning blocks that must be echoed on the next turn. */
export const thinkingBlockSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("thinking"), thinking: z.string(), signature: z.string() }),
  z.looseObject({ type: z.literal("redacted_thinking"), data: z.string() }),
]);
export type ThinkingBlock = z.infer<typeof thinkingBlockSchema>;

const textOrParts = <T extends z.ZodType>(part: T) => z.union([z.string(), z.array(part)]);

export const systemMessageSchema = z.looseObject({
  role: z.enum(["system", "developer"]),
  content: textOrParts(textPartSchema),
  name: z.string().optional(),
});

export const userMessageSchema = z.looseObject({
  role: z.literal("user"),
  content: textOrParts(userContentPartSchema),
  name: z.string().optional(),
});

export const assistantMessageSchema = z.looseObject({
  role: z.literal("assistant"),
  content: z.union([z.string(), z.array(z.union([textPartSchema, z.looseObject({ type: z.literal("refusal"), refusal: z.string() })])), z.null()]).optional(),
  tool_calls: z.array(toolCallSchema).optional(),
  name: z.string().optional(),
  refusal: z.string().nullable().optional(),
  /** Extension: reasoning text as returned by the gateway (informational on input). */
  reasoning_content: z.string().nullable().optional(),
  /** Extension: Anthropic thinking blocks, echoed back unchanged for multi-turn tool use. */
  thinking_blocks: z.array(thinkingBlockSchema).optional(),
});

export const toolMessageSchema = z.looseObject({
  role: z.literal("tool"),
  tool_call_id: z.string().min(1),
  content: textOrParts(textPartSchema),
});

export const chatMessageSchema = z.discriminatedUnion("role", [
  systemMessageSchema.extend({ role: z.literal("system") }),
  systemMessageSchema.extend({ role: z.literal("developer") }),
  userMessageSchema,
  assistantMessageSchema,
  toolMessageSchema,
]);
export type ChatMessage = z.infer<typeof chatMessageSchema>;
export type AssistantMessage = z.infer<typeof assistantMessageSchema>;
export type ToolMessage = z.infer<typeof toolMessageSchema>;

export const functionToolSchema = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({
    name: z.string().min(1).max(128),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional(),
  }),
});
export type FunctionTool = z.infer<typeof functionToolSchema>;

export const toolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  z.looseObject({ type: z.literal("function"), function: z.looseObject({ name: z.string().min(1) }) }),
]);
export type ToolChoice = z.infer<typeof toolChoiceSchema>;

export const responseFormatSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({
    type: z.literal("json_schema"),
    json_schema: z.looseObject({
      name: z.string().min(1),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullable().optional(),
    }),
  }),
]);
export type ResponseFormat = z.infer<typeof responseFormatSchema>;

export const reasoningEffortSchema = z.enum(["none", "minimal", "low", "medium", "high", "xhigh"]);
export type ReasoningEffort = z.infer<typeof reasoningEffortSchema>;

export const chatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1).max(256),
  messages: z.array(chatMessageSchema).min(1, "messages must contain at least one message"),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  max_tokens: z.number().int().positive().nullable().optional(),
  max_completion_tokens: z.number().int().positive().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  n: z.number().int().min(1).max(128).nullable().optional(),
  stop: z.union([z.string(), z.array(z.string()).max(16)]).nullable().optional(),
  presence_penalty: z.number().min(-2).max(2).nullable().optional(),
  frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
  seed: z.number().int().nullable().optional(),
  user: z.string().max(512).optional(),
  tools: z.array(functionToolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: responseFormatSchema.optional(),
  reasoning_effort: reasoningEffortSchema.nullable().optional(),
  logprobs: z.boolean().nullable().optional(),
  top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
  logit_bias: z.record(z.string(), z.number()).nullable().optional(),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

/**
 * Fields a translating adapter understands. Anything else present in the request (including
 * unknown vendor fields) is rejected with a 400 that names it, never dropped.
 */
export function findUnsupportedField(
  request: Record<string, unknown>,
  supported: ReadonlySet<string>,
): string | undefined {
  for (const [key, value] of Object.entries(request)) {
    if (value === undefined || value === null) continue;
    if (!supported.has(key)) return key;
  }
  return undefined;
}

/** Flattens `string | [{type:"text", text}]` content into one string. */
export function contentText(content: string | ReadonlyArray<{ type: string; text?: string }> | null | undefined): string {
  if (content == null) return "";
  if (typeof content === "string") return content;
  return content.map((p) => (p.type === "text" ? (p.text ?? "") : "")).join("");
}

/** `max_completion_tokens` wins over the legacy `max_tokens`. */
export function requestedMaxTokens(req: ChatCompletionRequest): number | undefined {
  return req.max_completion_tokens ?? req.max_tokens ?? undefined;
}
