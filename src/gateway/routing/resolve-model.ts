import { GatewayError } from "../errors";
import { providerIds, type ProviderId } from "../providers/types";
import { findModel, type ModelInfo } from "./model-catalog";

export interface ResolvedModel {
  provider: ProviderId;
  /** The id sent upstream: exactly what the client named, minus any `provider/` prefix. */
  upstreamModel: string;
  info: ModelInfo | undefined;
}

const prefixRoutes: ReadonlyArray<readonly [RegExp, ProviderId]> = [
  [/^claude-/, "anthropic"],
  [/^(gpt-|o1|o3|o4|text-embedding-|chatgpt-)/, "openai"],
  [/^gemini-/, "gemini"],
  [/^grok-/, "xai"],
];

/** `google/…` is accepted as a synonym of `gemini/…`. */
const providerAliases: Readonly<Record<string, ProviderId>> = { google: "gemini" };

function explicitProvider(name: string): { provider: ProviderId; model: string } | undefined {
  const slash = name.indexOf("/");
  if (slash <= 0) return undefined;
  const prefix = name.slice(0, slash).toLowerCase();
  const provider = (providerIds as readonly string[]).includes(prefix) ? (prefix as ProviderId) : providerAliases[prefix];
  return provider ? { provider, model: name.slice(slash + 1) } : undefined;
}

/**
 * Routing by model name: `claude-*` → Anthropic, `gpt-*`/`o1*`/`o3*`/`o4*`/`text-embedding-*` →
 * OpenAI, `gemini-*` → Gemini, `grok-*` → xAI, or an explicit `provider/model`.
 */
export function resolveModel(name: string, kind: ModelInfo["kind"]): ResolvedModel {
  const explicit = explicitProvider(name);
  let provider: ProviderId | undefined;
  let upstreamModel = name;
  if (explicit) {
    provider = explicit.provider;
    upstreamModel = explicit.model;
  } else {
    provider = prefixRoutes.find(([re]) => re.test(name))?.[1];
  }
  if (!provider || upstreamModel.length === 0) {
    throw new GatewayError(
      "model_not_found",
      `The model '${name}' does not exist or is not routed by this gateway. Use a claude-*, gpt-*, o1/o3/o4*, text-embedding-*, gemini-* or grok-* model, or the explicit 'provider/model' form (providers: ${providerIds.join(", ")}).`,
      { param: "model", publicCode: "model_not_found" },
    );
  }
  const info = findModel(upstreamModel);
  if (info && info.provider !== provider) {
    throw new GatewayError("model_not_found", `The model '${upstreamModel}' is served by ${info.provider}, not ${provider}.`, {
      param: "model",
      publicCode: "model_not_found",
    });
  }
  if (info && info.kind !== kind) {
    throw new GatewayError(
      "invalid_request",
      kind === "chat"
        ? `'${upstreamModel}' is an embedding model; use /v1/embeddings.`
        : `'${upstreamModel}' is a chat model; use /v1/chat/completions.`,
      { param: "model", publicCode: "model_not_supported" },
    );
  }
  return { provider, upstreamModel, info };
}
