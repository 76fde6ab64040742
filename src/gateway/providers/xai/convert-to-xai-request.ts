import { GatewayError } from "../../errors";
import type { ChatCompletionRequest } from "../../openai/chat-request";
import type { AdapterContext } from "../types";
import type { CompatRequestBody } from "../openai-compatible/convert-to-openai-compatible-request";

/**
 * xAI accepts `reasoning_effort` only on some models and only some values (grok-3-mini: low/high;
 * grok-4.3: none/low/medium/high; others reject it — provider-protocols.md §5.2). The catalog knows
 * which; a model missing from the catalog gets the value passed through for xAI to judge.
 */
export function prepareXaiRequest(_body: CompatRequestBody, req: ChatCompletionRequest, ctx: AdapterContext): void {
  const effort = req.reasoning_effort;
  const info = ctx.modelInfo;
  if (effort == null || info === undefined) return;
  if (info.reasoning === "none") {
    throw new GatewayError("unsupported_parameter", `reasoning_effort is not supported by ${ctx.upstreamModel}.`, {
      param: "reasoning_effort",
    });
  }
  if (info.reasoningEfforts !== undefined && !info.reasoningEfforts.includes(effort)) {
    throw new GatewayError(
      "unsupported_parameter",
      `reasoning_effort '${effort}' is not supported by ${ctx.upstreamModel}; use one of: ${info.reasoningEfforts.join(", ")}.`,
      { param: "reasoning_effort" },
    );
  }
}
