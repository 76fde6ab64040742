/**
 * The model lists the simulated providers answer on their `models` endpoints, pre-serialized once.
 * Chat/embedding calls accept any model name; only names containing "does-not-exist" are unknown.
 */

const CREATED = 1_735_689_600; // 2025-01-01T00:00:00Z, a fixed value keeps the bodies stable

const OPENAI_MODELS = [
  "gpt-5.4", "gpt-5-mini", "gpt-5-nano", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o",
  "o3", "o3-mini", "o4-mini", "text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002",
];
const XAI_MODELS = ["grok-4.3", "grok-3-mini", "grok-3", "grok-4-1-fast-reasoning", "grok-4-1-fast-non-reasoning"];
const ANTHROPIC_MODELS: [string, string, string][] = [
  ["claude-opus-4-6", "Claude Opus 4.6", "2026-02-05T00:00:00Z"],
  ["claude-sonnet-4-6", "Claude Sonnet 4.6", "2026-02-17T00:00:00Z"],
  ["claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", "2025-09-29T00:00:00Z"],
  ["claude-haiku-4-5-20251001", "Claude Haiku 4.5", "2025-10-01T00:00:00Z"],
];
const GEMINI_MODELS: [string, string, number, string[]][] = [
  ["gemini-3.1-pro-preview", "Gemini 3.1 Pro Preview", 65536, ["generateContent", "countTokens"]],
  ["gemini-3-flash-preview", "Gemini 3 Flash Preview", 65536, ["generateContent", "countTokens"]],
  ["gemini-2.5-pro", "Gemini 2.5 Pro", 65536, ["generateContent", "countTokens"]],
  ["gemini-2.5-flash", "Gemini 2.5 Flash", 65536, ["generateContent", "countTokens"]],
  ["gemini-2.0-flash", "Gemini 2.0 Flash", 8192, ["generateContent", "countTokens"]],
  ["gemini-embedding-001", "Gemini Embedding 001", 1, ["embedContent", "batchEmbedContents", "countTokens"]],
];

export const modelListBodies = {
  openai: JSON.stringify({
    object: "list",
    data: OPENAI_MODELS.map((id) => ({ id, object: "model", created: CREATED, owned_by: "system" })),
  }),
  xai: JSON.stringify({
    data: XAI_MODELS.map((id) => ({ id, created: CREATED, object: "model", owned_by: "xai" })),
    object: "list",
  }),
  anthropic: JSON.stringify({
    data: ANTHROPIC_MODELS.map(([id, display_name, created_at]) => ({ type: "model", id, display_name, created_at })),
    has_more: false,
    first_id: ANTHROPIC_MODELS[0]?.[0] ?? null,
    last_id: ANTHROPIC_MODELS[ANTHROPIC_MODELS.length - 1]?.[0] ?? null,
  }),
  gemini: `${JSON.stringify(
    {
      models: GEMINI_MODELS.map(([id, displayName, outputTokenLimit, methods]) => ({
        name: `models/${id}`,
        version: "001",
        displayName,
        inputTokenLimit: 1048576,
        outputTokenLimit,
        supportedGenerationMethods: methods,
      })),
    },
    null,
    2,
  )}\n`,
};

export function isUnknownModel(model: string): boolean {
  return model.includes("does-not-exist");
}
