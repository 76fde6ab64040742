import { z } from "zod";

/**
 * Gemini Developer API wire shapes (provider-protocols.md §4).
 *
 * Outbound request: plain TypeScript types (we build it). Inbound responses, stream events, error
 * and embedding bodies: zod schemas holding only the fields the adapter reads; unknown keys are
 * tolerated because Google adds keys freely (`serviceTier`, `promptTokensDetails`, `safetyRatings`...).
 */

// ---------------------------------------------------------------------------------------------
// Request (outbound)

/** The Developer API's key header (the `?key=` query form would leak the key into URL logs). */
export function geminiHeaders(apiKey: string): Record<string, string> {
  return { "content-type": "application/json", "x-goog-api-key": apiKey };
}

export type GeminiRequestPart =
  | { text: string }
  | { inlineData: { mimeType: string; data: string } }
  | { fileData: { fileUri: string; mimeType?: string } }
  | {
      functionCall: { id?: string; name: string; args: Record<string, unknown> };
      /** Gemini 3 rejects a replayed call without the signature it issued (§4.7). */
      thoughtSignature?: string;
    }
  | { functionResponse: { id?: string; name: string; response: Record<string, unknown> } };

export interface GeminiContent {
  role: "user" | "model";
  parts: GeminiRequestPart[];
}

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  /** Full JSON Schema; the older `parameters` field only takes Google's OpenAPI subset. */
  parametersJsonSchema?: Record<string, unknown>;
}

export type GeminiFunctionCallingMode = "AUTO" | "ANY" | "NONE" | "VALIDATED";

export type GeminiThinkingLevel = "minimal" | "low" | "medium" | "high";

export type GeminiMediaResolution = "MEDIA_RESOLUTION_LOW" | "MEDIA_RESOLUTION_HIGH";

export interface GeminiGenerationConfig {
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  stopSequences?: string[];
  candidateCount?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  seed?: number;
  responseMimeType?: string;
  responseJsonSchema?: Record<string, unknown>;
  mediaResolution?: GeminiMediaResolution;
  thinkingConfig?: { thinkingBudget?: number; thinkingLevel?: GeminiThinkingLevel; includeThoughts?: boolean };
}

export interface GeminiGenerateContentRequest {
  contents: GeminiContent[];
  systemInstruction?: { parts: Array<{ text: string }> };
  tools?: Array<{ functionDeclarations: GeminiFunctionDeclaration[] }>;
  toolConfig?: { functionCallingConfig: { mode: GeminiFunctionCallingMode; allowedFunctionNames?: string[] } };
  generationConfig?: GeminiGenerationConfig;
}

export interface GeminiBatchEmbedRequest {
  requests: Array<{ model: string; content: { parts: Array<{ text: string }> }; outputDimensionality?: number }>;
}

// ---------------------------------------------------------------------------------------------
// Response (inbound)

export const geminiPartSchema = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  functionCall: z
    .looseObject({
      // The Developer API sends no call id in any recording; Vertex and newer models may.
      id: z.string().optional(),
      name: z.string(),
      args: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});
export type GeminiPart = z.infer<typeof geminiPartSchema>;

export const geminiCandidateSchema = z.looseObject({
  // A blocked candidate has `content: {}` with no parts [F: google/safety-blocked.json].
  content: z.looseObject({ parts: z.array(geminiPartSchema).optional() }).optional(),
  finishReason: z.string().optional(),
  // Absent on single-candidate answers of older models [F: google/text-stream.sse].
  index: z.number().int().nonnegative().optional(),
});
export type GeminiCandidate = z.infer<typeof geminiCandidateSchema>;

export const geminiUsageMetadataSchema = z.looseObject({
  promptTokenCount: z.number().optional(),
  cachedContentTokenCount: z.number().optional(),
  candidatesTokenCount: z.number().optional(),
  toolUsePromptTokenCount: z.number().optional(),
  thoughtsTokenCount: z.number().optional(),
  totalTokenCount: z.number().optional(),
});
export type GeminiUsageMetadata = z.infer<typeof geminiUsageMetadataSchema>;

export const geminiErrorSchema = z.looseObject({
  code: z.number().int().optional(),
  message: z.string().optional(),
  status: z.string().optional(),
  details: z.array(z.looseObject({ "@type": z.string().optional(), reason: z.string().optional(), retryDelay: z.string().optional() })).optional(),
});
export type GeminiError = z.infer<typeof geminiErrorSchema>;

export const geminiErrorBodySchema = z.looseObject({ error: geminiErrorSchema });

export const geminiGenerateContentResponseSchema = z.looseObject({
  candidates: z.array(geminiCandidateSchema).optional(),
  promptFeedback: z.looseObject({ blockReason: z.string().optional() }).optional(),
  usageMetadata: geminiUsageMetadataSchema.optional(),
  modelVersion: z.string().optional(),
  responseId: z.string().optional(),
  // A stream can carry an error object after the 200 (§4.8, defensive rule).
  error: geminiErrorSchema.optional(),
});
export type GeminiGenerateContentResponse = z.infer<typeof geminiGenerateContentResponseSchema>;

export const geminiBatchEmbedResponseSchema = z.looseObject({
  embeddings: z.array(z.looseObject({ values: z.array(z.number()) })),
  // batchEmbedContents reports the prompt tokens for the whole batch [F: google/embeddings-batch.json].
  usageMetadata: z.looseObject({ promptTokenCount: z.number().optional() }).optional(),
});
export type GeminiBatchEmbedResponse = z.infer<typeof geminiBatchEmbedResponseSchema>;
