import type { ProviderAdapter } from "../types";
import { createOpenAICompatibleAdapter } from "../openai-compatible/openai-compatible-adapter";
import { convertOpenAIUsage } from "./convert-openai-usage";
import { prepareOpenAIRequest } from "./convert-to-openai-request";
import { refineOpenAIError } from "./openai-error";

/** OpenAI Chat Completions and Embeddings: a pass-through with the few rewrites of §2. */
export const openaiAdapter: ProviderAdapter = createOpenAICompatibleAdapter({
  id: "openai",
  displayName: "OpenAI",
  defaultBaseUrl: "https://api.openai.com/v1",
  convertUsage: convertOpenAIUsage,
  prepareRequest: prepareOpenAIRequest,
  refineError: refineOpenAIError,
  embeddings: true,
});
