import type { RefineError } from "../openai-compatible/openai-compatible-error";

/**
 * A 429 is either a rate limit (retry later) or an empty balance (`insufficient_quota`, retrying
 * cannot help): the latter keeps its own code and tells the OpenAI SDKs not to retry (§6).
 */
export const refineOpenAIError: RefineError = (status, fields, extraction) => {
  if (status === 429 && (fields.code === "insufficient_quota" || fields.type === "insufficient_quota")) {
    return { ...extraction, code: "insufficient_quota", publicCode: "insufficient_quota", shouldRetry: false };
  }
  return extraction;
};
