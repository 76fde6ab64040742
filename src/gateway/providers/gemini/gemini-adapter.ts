import type { ProviderAdapter } from "../types";
import { convertGeminiResponse } from "./convert-gemini-response";
import { convertToGeminiRequest } from "./convert-to-gemini-request";
import { geminiHeaders } from "./gemini-api";
import { buildGeminiEmbeddingsRequest, parseGeminiEmbeddingsResponse } from "./gemini-embeddings";
import { parseGeminiError } from "./gemini-error";
import { GeminiStreamTransformer } from "./gemini-stream-transformer";

/**
 * Google Gemini Developer API (`generativelanguage.googleapis.com`), authenticated with the
 * `x-goog-api-key` header. Streams use `alt=sse`; without it Google streams one JSON array.
 */
export const geminiAdapter: ProviderAdapter = {
  id: "gemini",
  displayName: "Google Gemini",
  defaultBaseUrl: "https://generativelanguage.googleapis.com/v1beta",

  async buildChatRequest(req, ctx, stream) {
    const body = await convertToGeminiRequest(req, ctx);
    const model = encodeURIComponent(ctx.upstreamModel);
    return {
      url: stream ? `${ctx.baseUrl}/models/${model}:streamGenerateContent?alt=sse` : `${ctx.baseUrl}/models/${model}:generateContent`,
      method: "POST",
      headers: geminiHeaders(ctx.apiKey),
      body: JSON.stringify(body),
    };
  },

  parseChatResponse(body, _req, ctx) {
    return convertGeminiResponse(body, ctx);
  },

  createChatStream(_req, ctx) {
    return new GeminiStreamTransformer(ctx);
  },

  buildEmbeddingsRequest: buildGeminiEmbeddingsRequest,
  parseEmbeddingsResponse: parseGeminiEmbeddingsResponse,
  parseError: parseGeminiError,

  buildKeyCheckRequest(apiKey, baseUrl) {
    return { url: `${baseUrl}/models?pageSize=1`, method: "GET", headers: { "x-goog-api-key": apiKey } };
  },
};
