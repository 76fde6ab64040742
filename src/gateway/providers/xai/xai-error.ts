import { redactSecrets, type RefineError } from "../openai-compatible/openai-compatible-error";

/** Some xAI answers carry the message percent-encoded ("Incorrect%20API%20key%20provided..."). */
function decodePercentEncoded(message: string): string {
  if (/\s/.test(message) || !/%[0-9A-Fa-f]{2}/.test(message)) return message;
  try {
    return decodeURIComponent(message);
  } catch {
    return message;
  }
}

/**
 * xAI answers a bad key with HTTP 400 `{code, error: "Incorrect API key provided: xa***..."}`
 * (provider-protocols.md §5.3); clients and the OpenAI SDKs expect 401 `invalid_api_key`.
 */
export const refineXaiError: RefineError = (status, fields, extraction) => {
  const message = redactSecrets(decodePercentEncoded(fields.message));
  if ((status === 400 || status === 401) && message.includes("Incorrect API key")) {
    return { ...extraction, message, code: "invalid_api_key", publicCode: "invalid_api_key" };
  }
  return { ...extraction, message };
};
