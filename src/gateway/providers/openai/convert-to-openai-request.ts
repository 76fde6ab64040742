import { GatewayError } from "../../errors";
import type { ChatCompletionRequest } from "../../openai/chat-request";
import type { AdapterContext } from "../types";
import type { CompatRequestBody } from "../openai-compatible/convert-to-openai-compatible-request";

/** Model families that only take `max_completion_tokens`, for models missing from the catalog. */
const reasoningModelPrefixes = ["o1", "o3", "o4", "gpt-5"];

export function isOpenAIReasoningModel(ctx: AdapterContext): boolean {
  if (ctx.modelInfo) return ctx.modelInfo.reasoning === "openai-reasoning";
  return reasoningModelPrefixes.some((prefix) => ctx.upstreamModel.startsWith(prefix));
}

/**
 * o-series and gpt-5 models reject `max_tokens` with 400 `unsupported_parameter`
 * ([F: openai/error-400-unsupported-parameter.json]); the same limit goes in `max_completion_tokens`.
 * When a client sets both to different values the intent is ambiguous, so that is a 400 too.
 * Everything else (`temperature` included) is the provider's call and passes through.
 */
export function prepareOpenAIRequest(body: CompatRequestBody, req: ChatCompletionRequest, ctx: AdapterContext): void {
  if (!("max_tokens" in body) || !isOpenAIReasoningModel(ctx)) return;
  const maxTokens = req.max_tokens;
  delete body.max_tokens;
  if (maxTokens == null) return;
  if (req.max_completion_tokens != null && req.max_completion_tokens !== maxTokens) {
    throw new GatewayError(
      "unsupported_parameter",
      `max_tokens is not supported with ${ctx.upstreamModel}; send only max_completion_tokens.`,
      { param: "max_tokens" },
    );
  }
  body.max_completion_tokens = maxTokens;
}
