import { GatewayError } from "../../errors";
import type { EmbeddingsResponse } from "../../openai/chat-response";
import { encodeEmbeddingBase64, type EmbeddingsRequest } from "../../openai/embeddings-request";
import { findUnsupportedField } from "../../openai/chat-request";
import type { AdapterContext, EmbeddingsResult, UpstreamRequest } from "../types";
import { geminiBatchEmbedResponseSchema, geminiHeaders, type GeminiBatchEmbedRequest } from "./gemini-api";

/**
 * OpenAI embeddings ⇄ Gemini `batchEmbedContents`: one `EmbedContentRequest` per input string,
 * answered in order [F: google/embeddings-batch.json].
 */

/** Google's cap on requests per batchEmbedContents call (its 400 says "at most 100 requests"). */
export const GEMINI_MAX_EMBED_BATCH = 100;

const supportedFields: ReadonlySet<string> = new Set(["model", "input", "encoding_format", "dimensions"]);

export function buildGeminiEmbeddingsRequest(req: EmbeddingsRequest, ctx: AdapterContext): UpstreamRequest {
  if (req.user != null) throw new GatewayError("unsupported_parameter", "Gemini has no end-user identifier; remove `user` for this model.", { param: "user" });
  const field = findUnsupportedField(req as Record<string, unknown>, supportedFields);
  if (field !== undefined) throw new GatewayError("unsupported_parameter", `Unsupported parameter for Gemini embeddings: '${field}'.`, { param: field });

  const inputs = typeof req.input === "string" ? [req.input] : req.input;
  if (!inputs.every((x): x is string => typeof x === "string")) {
    // Token ids belong to OpenAI's tokenizer; Gemini only embeds text.
    throw new GatewayError("unsupported_parameter", "Gemini embeddings take text; token-array inputs are not supported.", { param: "input" });
  }
  if (inputs.length > GEMINI_MAX_EMBED_BATCH) {
    throw new GatewayError("invalid_request", `Gemini embeds at most ${GEMINI_MAX_EMBED_BATCH} inputs per request; got ${inputs.length}.`, { param: "input" });
  }

  const model = `models/${ctx.upstreamModel}`;
  const body: GeminiBatchEmbedRequest = {
    requests: inputs.map((text) => ({
      model,
      content: { parts: [{ text }] },
      ...(req.dimensions !== undefined ? { outputDimensionality: req.dimensions } : {}),
    })),
  };
  return {
    url: `${ctx.baseUrl}/models/${encodeURIComponent(ctx.upstreamModel)}:batchEmbedContents`,
    method: "POST",
    headers: geminiHeaders(ctx.apiKey),
    body: JSON.stringify(body),
  };
}

export function parseGeminiEmbeddingsResponse(body: unknown, req: EmbeddingsRequest, ctx: AdapterContext): EmbeddingsResult {
  const parsed = geminiBatchEmbedResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new GatewayError("upstream_bad_response", "Gemini: unexpected batchEmbedContents response shape.", { cause: parsed.error });
  }
  const expected = typeof req.input === "string" ? 1 : req.input.length;
  if (parsed.data.embeddings.length !== expected) {
    throw new GatewayError("upstream_bad_response", `Gemini returned ${parsed.data.embeddings.length} embeddings for ${expected} inputs.`);
  }

  const base64 = req.encoding_format === "base64";
  // batchEmbedContents reports one prompt token count for the whole batch. When a response lacks
  // it, the count is unknown and recorded as 0 rather than estimated.
  const promptTokens = parsed.data.usageMetadata?.promptTokenCount ?? 0;
  const response: EmbeddingsResponse = {
    object: "list",
    data: parsed.data.embeddings.map((e, index) => ({
      object: "embedding",
      index,
      embedding: base64 ? encodeEmbeddingBase64(e.values) : e.values,
    })),
    model: ctx.upstreamModel,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
  return {
    response,
    usage: { inputTokens: promptTokens, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 },
    // Rebuilt from Gemini's shape: never the body as received.
    verbatim: false,
  };
}
