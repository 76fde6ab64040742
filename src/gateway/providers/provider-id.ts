export const providerIds = ["openai", "anthropic", "gemini", "xai"] as const;
export type ProviderId = (typeof providerIds)[number];
