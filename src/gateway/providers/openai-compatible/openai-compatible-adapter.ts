import type { ProviderAdapter, ProviderId } from "../types";
import {
  buildOpenAICompatibleChatRequest,
  buildOpenAICompatibleEmbeddingsRequest,
  buildOpenAICompatibleKeyCheckRequest,
  type PrepareRequest,
} from "./convert-to-openai-compatible-request";
import {
  parseOpenAICompatibleChatResponse,
  parseOpenAICompatibleEmbeddingsResponse,
  type ConvertUsage,
} from "./convert-openai-compatible-response";
import { parseOpenAICompatibleError, type RefineError } from "./openai-compatible-error";
import { OpenAICompatibleStreamTransformer } from "./openai-compatible-stream-transformer";

/** What a provider folder supplies; everything else is shared. */
export interface OpenAICompatibleProviderConfig {
  id: ProviderId;
  displayName: string;
  defaultBaseUrl: string;
  convertUsage: ConvertUsage;
  prepareRequest?: PrepareRequest;
  refineError?: RefineError;
  /** Whether the gateway serves `/embeddings` through this provider. */
  embeddings: boolean;
}

export function createOpenAICompatibleAdapter(config: OpenAICompatibleProviderConfig): ProviderAdapter {
  const { id, displayName, defaultBaseUrl, convertUsage, prepareRequest, refineError } = config;
  const adapter: ProviderAdapter = {
    id,
    displayName,
    defaultBaseUrl,
    buildChatRequest: (req, ctx, stream) => buildOpenAICompatibleChatRequest(req, ctx, stream, prepareRequest),
    parseChatResponse: (body) => parseOpenAICompatibleChatResponse(displayName, body, convertUsage, refineError),
    createChatStream: () => new OpenAICompatibleStreamTransformer({ displayName, convertUsage, refineError }),
    parseError: (status, bodyText, headers) => parseOpenAICompatibleError(displayName, status, bodyText, headers, refineError),
    buildKeyCheckRequest: buildOpenAICompatibleKeyCheckRequest,
  };
  if (!config.embeddings) return adapter;
  return {
    ...adapter,
    buildEmbeddingsRequest: buildOpenAICompatibleEmbeddingsRequest,
    parseEmbeddingsResponse: (body) => parseOpenAICompatibleEmbeddingsResponse(displayName, body),
  };
}
