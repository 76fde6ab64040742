import { GatewayError, toErrorBody } from "@/gateway/errors";

/** Unknown paths under the public API answer in OpenAI's error shape, not with an HTML page. */
export function notFoundResponse(request: Request): Response {
  const path = new URL(request.url).pathname;
  const err = new GatewayError("not_found", `Invalid URL (${request.method} ${path}).`, { publicCode: "unknown_url" });
  return Response.json(toErrorBody(err), { status: 404 });
}
