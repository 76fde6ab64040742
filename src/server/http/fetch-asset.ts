import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { request } from "undici";
import { GatewayError } from "@/gateway/errors";

const imageTypes = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "image/heic", "image/heif"]);

/** Loopback, private, link-local and unique-local ranges: never fetched on a client's behalf. */
export function isPrivateAddress(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a, b] = ip.split(".").map(Number) as [number, number];
    return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  const v6 = ip.toLowerCase();
  if (v6.startsWith("::ffff:")) return isPrivateAddress(v6.slice(7));
  return v6 === "::1" || v6 === "::" || v6.startsWith("fc") || v6.startsWith("fd") || v6.startsWith("fe80");
}

const bad = (message: string) => new GatewayError("invalid_request", message, { param: "messages", publicCode: "invalid_image_url" });

/**
 * Downloads an image a client referenced by URL, for providers that need it inlined (Gemini).
 * Size-capped, image types only, and (unless allowed) never from private network addresses.
 */
export function createAssetFetcher(opts: { maxBytes: number; allowPrivate: boolean; timeoutMs: number }) {
  return async function fetchAsset(url: string): Promise<{ mimeType: string; base64: string }> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw bad("image_url.url is not a valid URL.");
    }
    if (target.protocol !== "https:" && target.protocol !== "http:") throw bad("image_url.url must be an http(s) URL or a data URI.");
    if (!opts.allowPrivate) {
      const host = target.hostname.replace(/^\[|\]$/g, "");
      const addrs = isIP(host) ? [{ address: host }] : await lookup(host, { all: true }).catch(() => []);
      if (addrs.length === 0) throw bad(`The image host '${target.hostname}' could not be resolved.`);
      if (addrs.some((a) => isPrivateAddress(a.address))) throw bad("Image URLs on private network addresses are not fetched.");
    }
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(target, { method: "GET", headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs, maxRedirections: 0 } as Parameters<typeof request>[1]);
    } catch {
      throw bad(`The image at '${target.origin}${target.pathname}' could not be downloaded.`);
    }
    if (res.statusCode !== 200) {
      res.body.destroy();
      throw bad(`Downloading the image failed with HTTP ${res.statusCode}.`);
    }
    const mimeType = String(res.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (!imageTypes.has(mimeType)) {
      res.body.destroy();
      throw bad(`The URL did not return an image (content-type '${mimeType || "none"}').`);
    }
    const parts: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > opts.maxBytes) {
        res.body.destroy();
        throw bad(`The image is larger than ${opts.maxBytes} bytes.`);
      }
      parts.push(chunk as Buffer);
    }
    return { mimeType, base64: Buffer.concat(parts).toString("base64") };
  };
}
