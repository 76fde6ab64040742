import type { ProviderAdapter } from "../types";
import { createOpenAICompatibleAdapter } from "../openai-compatible/openai-compatible-adapter";
import { convertXaiUsage } from "./convert-xai-usage";
import { prepareXaiRequest } from "./convert-to-xai-request";
import { refineXaiError } from "./xai-error";

/** xAI (Grok) Chat Completions: OpenAI-shaped, with its own usage arithmetic and error body (§5). No embeddings. */
export const xaiAdapter: ProviderAdapter = createOpenAICompatibleAdapter({
  id: "xai",
  displayName: "xAI",
  defaultBaseUrl: "https://api.x.ai/v1",
  convertUsage: convertXaiUsage,
  prepareRequest: prepareXaiRequest,
  refineError: refineXaiError,
  embeddings: false,
});
