import { z } from "zod";
import { adapters } from "@/gateway/providers/registry";
import type { ProviderId } from "@/gateway/providers/types";
import { GatewayError } from "@/gateway/errors";
import { maskSecret } from "@/server/keys/provider-key-crypto";
import { ServiceError } from "../service-error";
import type { ProviderKeyDeps } from "./provider-key-deps";
import { normalizeBaseUrl, providerIdSchema, providerKeyFormatError } from "./provider-key-format";

const baseUrlSchema = z
  .url({ protocol: /^https?$/, message: "Enter an http(s) URL." })
  .transform(normalizeBaseUrl)
  .optional()
  .or(z.literal("").transform(() => undefined));

export const checkProviderKeyInput = z.object({
  provider: providerIdSchema,
  apiKey: z.string().trim(),
  /** Empty: the configured base URL (env or the provider's default). */
  baseUrl: baseUrlSchema,
});

export const keyCheckResultSchema = z.object({
  ok: z.boolean(),
  /** The provider's HTTP status; null when it could not be reached. */
  status: z.number().int().nullable(),
  message: z.string(),
  latencyMs: z.number(),
  baseUrl: z.string(),
});
export type KeyCheckResult = z.infer<typeof keyCheckResultSchema>;

const CHECK_TIMEOUT_MS = 10_000;

/** Upstream error texts sometimes quote the key; never let it through. */
function redact(message: string, apiKey: string): string {
  return apiKey.length >= 8 ? message.split(apiKey).join(maskSecret(apiKey)) : message;
}

/**
 * Format check, then one cheap authenticated request (the adapter's buildKeyCheckRequest) through
 * the gateway's own upstream client against the base URL the key will be used with.
 */
export async function checkProviderKey(deps: ProviderKeyDeps, input: z.input<typeof checkProviderKeyInput>): Promise<KeyCheckResult> {
  const { provider, apiKey, baseUrl: override } = checkProviderKeyInput.parse(input);
  const formatError = providerKeyFormatError(provider, apiKey);
  if (formatError) throw new ServiceError("BAD_REQUEST", formatError, "apiKey");
  const baseUrl = override ?? deps.configuredBaseUrl(provider);
  return probe(deps, provider, apiKey, baseUrl);
}

export async function probe(deps: ProviderKeyDeps, provider: ProviderId, apiKey: string, baseUrl: string): Promise<KeyCheckResult> {
  const adapter = adapters[provider];
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await deps.upstream.send(adapter.buildKeyCheckRequest(apiKey, baseUrl), AbortSignal.timeout(CHECK_TIMEOUT_MS));
    if (res.status >= 200 && res.status < 300) {
      // Read (small) rather than discard(): destroying the undici body emits an unhandled AbortError.
      await res.text().catch(() => "");
      return { ok: true, status: res.status, message: `${adapter.displayName} accepted the key.`, latencyMs: elapsed(), baseUrl };
    }
    const text = await res.text().catch(() => "");
    const err = adapter.parseError(res.status, text, res.headers);
    const what = res.status === 401 || res.status === 403 ? `${adapter.displayName} rejected the key` : `${adapter.displayName} answered ${res.status}`;
    return { ok: false, status: res.status, message: redact(`${what}: ${err.message}`, apiKey), latencyMs: elapsed(), baseUrl };
  } catch (e) {
    const message =
      e instanceof GatewayError
        ? e.message
        : e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError")
          ? `No answer from ${baseUrl} within ${CHECK_TIMEOUT_MS / 1000} s.`
          : `Could not reach ${baseUrl}.`;
    return { ok: false, status: null, message: redact(message, apiKey), latencyMs: elapsed(), baseUrl };
  }
}
