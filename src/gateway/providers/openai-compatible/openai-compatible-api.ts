import { z } from "zod";

/**
 * Wire shapes of OpenAI-compatible chat completions, embeddings and errors, as the OpenAI and xAI
 * APIs send them (provider-protocols.md §1, §2, §5). Only the fields the gateway reads are modelled;
 * unknown keys are tolerated (xAI adds `num_sources_used`, OpenAI adds `obfuscation`, ...).
 */

const count = z.number().int().nonnegative().nullish();

export const compatUsageSchema = z.looseObject({
  prompt_tokens: count,
  completion_tokens: count,
  total_tokens: count,
  prompt_tokens_details: z.looseObject({ cached_tokens: count }).nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: count }).nullish(),
});
export type CompatUsage = z.infer<typeof compatUsageSchema>;

const compatToolCallSchema = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string().nullish() }),
});

export const compatMessageSchema = z.looseObject({
  role: z.string().optional(),
  content: z.string().nullish(),
  refusal: z.string().nullish(),
  /** xAI's reasoning text; OpenAI never sends it on Chat Completions. */
  reasoning_content: z.string().nullish(),
  tool_calls: z.array(compatToolCallSchema).nullish(),
});

export const compatChoiceSchema = z.looseObject({
  index: z.number().int().nonnegative(),
  message: compatMessageSchema,
  finish_reason: z.string().nullish(),
  logprobs: z.unknown().optional(),
});

export const compatCompletionSchema = z.looseObject({
  id: z.string(),
  created: z.number(),
  model: z.string(),
  choices: z.array(compatChoiceSchema),
  usage: compatUsageSchema.nullish(),
  system_fingerprint: z.string().nullish(),
  service_tier: z.string().nullish(),
});
export type CompatCompletion = z.infer<typeof compatCompletionSchema>;

const compatToolCallDeltaSchema = z.looseObject({
  /** Always sent by OpenAI and xAI; the array position is the fallback. */
  index: z.number().int().nonnegative().optional(),
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});

export const compatDeltaSchema = z.looseObject({
  role: z.string().nullish(),
  content: z.string().nullish(),
  refusal: z.string().nullish(),
  reasoning_content: z.string().nullish(),
  tool_calls: z.array(compatToolCallDeltaSchema).nullish(),
});
export type CompatDelta = z.infer<typeof compatDeltaSchema>;

export const compatChunkSchema = z.looseObject({
  id: z.string(),
  created: z.number(),
  model: z.string(),
  choices: z.array(
    z.looseObject({
      index: z.number().int().nonnegative(),
      // xAI omits `delta` nowhere in the recordings, but an absent delta is harmless to accept.
      delta: compatDeltaSchema.nullish(),
      // xAI omits the key on intermediate chunks (provider-protocols.md §5.2).
      finish_reason: z.string().nullish(),
      logprobs: z.unknown().optional(),
    }),
  ),
  usage: compatUsageSchema.nullish(),
  system_fingerprint: z.string().nullish(),
  service_tier: z.string().nullish(),
});
export type CompatChunk = z.infer<typeof compatChunkSchema>;

export const compatEmbeddingsResponseSchema = z.looseObject({
  data: z.array(
    z.looseObject({
      index: z.number().int().nonnegative(),
      // `float` → number[]; `base64` → little-endian float32 bytes as base64.
      embedding: z.union([z.array(z.number()), z.string()]),
    }),
  ),
  model: z.string(),
  usage: z.looseObject({ prompt_tokens: count, total_tokens: count }).nullish(),
});

/** OpenAI: `{error: {message, type, param, code}}`. */
export const openAIErrorBodySchema = z.looseObject({
  error: z.looseObject({
    message: z.string().nullish(),
    type: z.string().nullish(),
    param: z.string().nullish(),
    code: z.union([z.string(), z.number()]).nullish(),
  }),
});

/** xAI: `{code: "<description>", error: "<message>"}` — flat strings (provider-protocols.md §5.3). */
export const flatErrorBodySchema = z.looseObject({
  error: z.string(),
  code: z.string().nullish(),
});
