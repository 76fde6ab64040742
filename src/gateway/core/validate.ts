import type { z } from "zod";
import { GatewayError } from "../errors";

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

/** Parses a request body; a failure becomes a 400 that names the offending parameter. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new GatewayError("invalid_request", "The request body must be a JSON object.", { publicCode: "invalid_request_body" });
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const param = formatPath(issue.path);
  const missing = issue.code === "invalid_type" && issue.input === undefined;
  const message = missing
    ? `Missing required parameter: '${param}'.`
    : `Invalid value for '${param || "body"}': ${issue.message}`;
  return (() => {
    throw new GatewayError("invalid_request", message, {
      param: param || null,
      publicCode: missing ? "missing_required_parameter" : "invalid_value",
    });
  })();
}
