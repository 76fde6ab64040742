import { z } from "zod";
import { adapters } from "@/gateway/providers/registry";
import { providerIds, type ProviderId } from "@/gateway/providers/types";

export const providerIdSchema = z.enum(providerIds);

/**
 * The documented shape of each provider's keys. Checked before any network call, so a key pasted
 * into the wrong provider's form is caught with a useful message instead of a generic 401.
 */
export const providerKeyFormats: Record<ProviderId, { pattern: RegExp; hint: string; example: string }> = {
  openai: { pattern: /^sk-[A-Za-z0-9_-]{16,}$/, hint: "OpenAI keys start with “sk-” (for example sk-proj-…).", example: "sk-proj-…" },
  anthropic: { pattern: /^sk-ant-[A-Za-z0-9_-]{16,}$/, hint: "Anthropic keys start with “sk-ant-”.", example: "sk-ant-api03-…" },
  gemini: { pattern: /^AIza[0-9A-Za-z_-]{35}$/, hint: "Gemini API keys start with “AIza” and are 39 characters long.", example: "AIza…" },
  xai: { pattern: /^xai-[A-Za-z0-9_-]{16,}$/, hint: "xAI keys start with “xai-”.", example: "xai-…" },
};

/** null when the key looks right for the provider, otherwise a message that never repeats the key. */
export function providerKeyFormatError(provider: ProviderId, apiKey: string): string | null {
  if (apiKey.length === 0) return "Paste the API key.";
  if (/\s/.test(apiKey)) return "The key contains spaces or line breaks; paste it again without them.";
  if (apiKey.length > 512) return "That is too long to be an API key.";
  const format = providerKeyFormats[provider];
  return format.pattern.test(apiKey) ? null : `That does not look like a key for ${adapters[provider].displayName}. ${format.hint}`;
}

/** Provider base URLs are kept without a trailing slash (AdapterContext.baseUrl's contract). */
export function normalizeBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, "");
}
