import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

/** Random ids in each provider's own style (`chatcmpl-…`, `msg_01…`, `toolu_01…`, `call_…`). */
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function randomId(prefix: string, length: number): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (let i = 0; i < length; i++) out += ALNUM[(bytes[i] as number) % ALNUM.length];
  return out;
}

export const uuid = randomUUID;

/**
 * Opaque reasoning signatures (Anthropic thinking `signature`, Gemini `thoughtSignature`): a nonce
 * plus an HMAC over what the signature vouches for, under a per-server secret. Verifiable without
 * server-side state, unique per issue, and invalid on any other simulator instance — like the real
 * ones, which only validate on the route/key that produced them.
 */
export class Signer {
  private readonly secret = randomBytes(32);

  issue(payload: string): string {
    const nonce = randomBytes(16);
    const mac = createHmac("sha256", this.secret).update(nonce).update(payload).digest();
    return Buffer.concat([nonce, mac]).toString("base64");
  }

  verify(signature: unknown, payload: string): boolean {
    if (typeof signature !== "string") return false;
    const buf = Buffer.from(signature, "base64");
    if (buf.length !== 48) return false;
    const mac = createHmac("sha256", this.secret).update(buf.subarray(0, 16)).update(payload).digest();
    return timingSafeEqual(mac, buf.subarray(16));
  }
}
