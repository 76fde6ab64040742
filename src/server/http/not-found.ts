import { GatewayError, toErrorBody } from "@/gateway/errors";
import type { GatewayResult } from "@/gateway/core/types";

/**
 * Unknown paths under the public API answer in OpenAI's error shape, not with an HTML page; a
 * known path called with the wrong method answers 405 naming the right one (`allow`).
 */
export function unroutedResult(method: string, pathname: string, allow?: string): GatewayResult {
  const err =
    allow === undefined
      ? new GatewayError("not_found", `Invalid URL (${method} ${pathname}).`, { publicCode: "unknown_url" })
      : new GatewayError("method_not_allowed", `Invalid method (${method} ${pathname}); use ${allow}.`, { publicCode: "method_not_allowed" });
  return {
    status: err.status,
    headers: { "content-type": "application/json", ...(allow === undefined ? {} : { allow }) },
    body: JSON.stringify(toErrorBody(err)),
  };
}

export function notFoundResponse(request: Request): Response {
  const result = unroutedResult(request.method, new URL(request.url).pathname);
  return new Response(result.body as string, { status: result.status, headers: result.headers });
}
