import type { ProviderAdapter } from "../types";
import { ANTHROPIC_VERSION } from "./anthropic-api";
import { parseAnthropicError } from "./anthropic-error";
import { createAnthropicStreamTransformer } from "./anthropic-stream-transformer";
import { convertAnthropicResponse } from "./convert-anthropic-response";
import { convertToAnthropicRequest } from "./convert-to-anthropic-request";

/** Anthropic Messages API (`POST {baseUrl}/v1/messages`), provider-protocols.md §3. */

function authHeaders(apiKey: string): Record<string, string> {
  return { "x-api-key": apiKey, "anthropic-version": ANTHROPIC_VERSION };
}

export const anthropicAdapter: ProviderAdapter = {
  id: "anthropic",
  displayName: "Anthropic",
  defaultBaseUrl: "https://api.anthropic.com",

  buildChatRequest(req, ctx, stream) {
    const body = convertToAnthropicRequest(req, ctx, stream);
    return {
      url: `${ctx.baseUrl}/v1/messages`,
      method: "POST",
      headers: { ...authHeaders(ctx.apiKey), "content-type": "application/json" },
      body: JSON.stringify(body),
    };
  },

  parseChatResponse(body, req, ctx) {
    return convertAnthropicResponse(body, req, ctx);
  },

  createChatStream(req, ctx) {
    return createAnthropicStreamTransformer(req, ctx);
  },

  parseError(status, bodyText, headers) {
    return parseAnthropicError(status, bodyText, headers);
  },

  buildKeyCheckRequest(apiKey, baseUrl) {
    return { url: `${baseUrl}/v1/models?limit=1`, method: "GET", headers: authHeaders(apiKey) };
  },
};
