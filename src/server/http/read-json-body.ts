import { GatewayError } from "@/gateway/errors";

const tooLarge = (max: number) =>
  new GatewayError("request_too_large", `The request body is larger than the ${max}-byte limit.`, { publicCode: "request_too_large" });

/**
 * Reads a JSON body with a hard size cap, enforced while reading (a lying or missing
 * Content-Length cannot get past it), and rejects invalid UTF-8 rather than guessing.
 */
export async function readJsonBody(
  request: { header(name: string): string | null; body: AsyncIterable<Uint8Array> | null },
  maxBytes: number,
): Promise<unknown> {
  const declared = Number(request.header("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const contentType = request.header("content-type");
  if (contentType !== null && !/^application\/([\w.+-]*\+)?json\b/i.test(contentType.trim()) && !/^text\/plain\b/i.test(contentType.trim())) {
    throw new GatewayError("unsupported_media_type", `Content-Type '${contentType.slice(0, 100)}' is not supported; send application/json.`, {
      publicCode: "unsupported_media_type",
    });
  }
  if (request.body === null) throw new GatewayError("invalid_json", "The request body is empty; send a JSON object.", { publicCode: "invalid_json" });
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const value of request.body) {
    size += value.byteLength;
    // Leaving the loop stops reading: the rest of the body is never buffered.
    if (size > maxBytes) throw tooLarge(maxBytes);
    parts.push(value);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(parts));
  } catch {
    throw new GatewayError("invalid_json", "The request body is not valid UTF-8.", { publicCode: "invalid_json" });
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw new GatewayError("invalid_json", "We could not parse the JSON body of your request. Send a valid JSON object.", { publicCode: "invalid_json" });
  }
  if (nestingDepth(value, MAX_DEPTH) > MAX_DEPTH) {
    throw new GatewayError("invalid_request", `The request body is nested deeper than ${MAX_DEPTH} levels.`, { publicCode: "invalid_request_body" });
  }
  return value;
}

const MAX_DEPTH = 64;

/** Iterative (no recursion to overflow); stops counting once past `limit`. */
function nestingDepth(root: unknown, limit: number): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    if (depth > max) max = depth;
    if (max > limit) return max;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
    }
  }
  return max;
}
