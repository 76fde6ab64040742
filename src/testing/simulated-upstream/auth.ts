import { anthropicError, geminiError, maskKey, openaiError, xaiCode, xaiError, type JsonReply } from "./errors";
import type { SimProvider } from "./types";

export type KeyCheck = (provider: SimProvider, key: string) => boolean;

/** Default rule: any key starting with "sk-sim-" is valid, everything else is not. */
export function keyChecker(validKeys: Partial<Record<SimProvider, string[]>> | undefined): KeyCheck {
  const sets = new Map<SimProvider, Set<string>>();
  for (const [p, keys] of Object.entries(validKeys ?? {}) as [SimProvider, string[] | undefined][]) {
    if (keys) sets.set(p, new Set(keys));
  }
  return (provider, key) => {
    const set = sets.get(provider);
    return set ? set.has(key) : key.startsWith("sk-sim-");
  };
}

/** Each provider's own answer to a missing or wrong credential; null when authorised. */
export function authError(
  provider: SimProvider,
  headers: Record<string, string>,
  query: Record<string, string>,
  isValid: KeyCheck,
): JsonReply | null {
  switch (provider) {
    case "openai":
    case "xai": {
      const auth = headers.authorization ?? "";
      const key = auth.startsWith("Bearer ") ? auth.slice(7).trim() : "";
      if (key && isValid(provider, key)) return null;
      if (provider === "xai")
        return xaiError(400, xaiCode(400), `Incorrect API key provided: ${maskKey(key, 2)}. You can obtain an API key from https://console.x.ai.`);
      if (!key)
        return openaiError(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.", "invalid_request_error");
      return openaiError(401, `Incorrect API key provided: ${maskKey(key, 4)}. You can find your API key at https://platform.openai.com/account/api-keys.`, "invalid_request_error", null, "invalid_api_key");
    }
    case "anthropic": {
      const key = headers["x-api-key"];
      if (!key) return anthropicError(401, "authentication_error", "x-api-key header is required");
      return isValid(provider, key) ? null : anthropicError(401, "authentication_error", "invalid x-api-key");
    }
    case "gemini": {
      const key = headers["x-goog-api-key"] ?? query.key;
      if (!key)
        return geminiError(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
      if (isValid(provider, key)) return null;
      return geminiError(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [
        { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com", metadata: { service: "generativelanguage.googleapis.com" } },
        { "@type": "type.googleapis.com/google.rpc.LocalizedMessage", locale: "en-US", message: "API key not valid. Please pass a valid API key." },
      ]);
    }
  }
}
