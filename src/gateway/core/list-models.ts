import { modelCatalog } from "../routing/model-catalog";
import { providerIds, type ProviderId } from "../providers/types";

export interface ModelListEntry {
  id: string;
  object: "model";
  created: number;
  owned_by: ProviderId;
  /** Extensions: whether a key is configured for the provider, the model kind, any retirement notice. */
  configured: boolean;
  kind: "chat" | "embedding";
  deprecation?: { date: string; replacement?: string; source: string };
}

/** The catalog in OpenAI's list shape; `configured` marks providers that have a key. */
export function listModels(isConfigured: (p: ProviderId) => boolean, created: number) {
  const configured = Object.fromEntries(providerIds.map((p) => [p, isConfigured(p)])) as Record<ProviderId, boolean>;
  const data: ModelListEntry[] = modelCatalog.map((m) => ({
    id: m.id,
    object: "model",
    created,
    owned_by: m.provider,
    configured: configured[m.provider],
    kind: m.kind,
    ...(m.deprecation ? { deprecation: m.deprecation } : {}),
  }));
  return { object: "list" as const, data, providers: configured };
}
