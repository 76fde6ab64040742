import { ZodError } from "zod";
import { GatewayError, asGatewayError } from "@/gateway/errors";
import { errorResult } from "@/gateway/core/shared";
import type { RequestContext } from "@/gateway/core/types";
import { getGatewayRuntime, type GatewayRuntime } from "@/server/composition/gateway-runtime";
import type { Queryable } from "@/server/db/queryable";
import { log } from "@/server/log";
import { toConversationColumns } from "@/server/services/usage/conversation-row";
import { exportRequestsCsv, exportRequestsCsvInput } from "@/server/services/usage/export-requests-csv";
import { getConversation } from "@/server/services/usage/get-conversation";
import { getRequest } from "@/server/services/usage/get-request";
import { getUsageByApiKey } from "@/server/services/usage/get-usage-by-api-key";
import { getUsageByModel } from "@/server/services/usage/get-usage-by-model";
import { getUsageByProvider } from "@/server/services/usage/get-usage-by-provider";
import { getUsageByTag } from "@/server/services/usage/get-usage-by-tag";
import { getUsageSummary } from "@/server/services/usage/get-usage-summary";
import { getUsageTimeseries } from "@/server/services/usage/get-usage-timeseries";
import { listConversations } from "@/server/services/usage/list-conversations";
import { listRequests } from "@/server/services/usage/list-requests";
import { toLedgerColumns, toLedgerDetailColumns } from "@/server/services/usage/request-row";
import { authenticate, toResponse } from "./api-handler";
import { requestIdFrom } from "./request-headers";

/**
 * REST glue of the usage API (`/api/ai/usage/*`, read role): query string → service input → JSON
 * (snake_case, as the ledger's columns) or CSV. The services validate; a ZodError becomes an
 * OpenAI-shaped 400 naming the query parameter. Unknown parameters are refused, not ignored.
 */
export type UsageEndpoint =
  | "summary"
  | "timeseries"
  | "by-model"
  | "by-provider"
  | "by-api-key"
  | "by-tag"
  | "requests"
  | "request"
  | "conversations"
  | "conversation";

/** Query parameter → service input field. */
const FIELD_OF_PARAM = {
  from: "from",
  to: "to",
  model: "model",
  provider: "provider",
  status: "status",
  api_key_id: "apiKeyId",
  tags: "tags",
  bucket: "bucket",
  tz: "tz",
  tag_key: "tagKey",
  conversation_id: "conversationId",
  cursor: "cursor",
  limit: "limit",
  created_at: "createdAt",
  format: "format",
} as const;
type Param = keyof typeof FIELD_OF_PARAM;

/** Comma-separated (or repeated) parameters. */
const LIST_PARAMS = new Set<Param>(["model", "provider", "status", "api_key_id", "tags"]);

const FILTER: Param[] = ["from", "to", "model", "provider", "status", "api_key_id", "tags"];

export const USAGE_API_PARAMS: Record<UsageEndpoint, readonly Param[]> = {
  summary: FILTER,
  timeseries: [...FILTER, "bucket", "tz"],
  "by-model": FILTER,
  "by-provider": FILTER,
  "by-api-key": FILTER,
  "by-tag": [...FILTER, "tag_key"],
  requests: [...FILTER, "conversation_id", "cursor", "limit", "format"],
  request: ["created_at"],
  conversations: ["from", "to", "model", "api_key_id", "tags", "cursor", "limit"],
  conversation: ["cursor", "limit"],
};

function badParam(param: string, message: string): GatewayError {
  return new GatewayError("invalid_request", message, { param, publicCode: "invalid_parameter" });
}

/** The query string as service input (field names), refusing unknown or repeated parameters. */
export function parseUsageQuery(url: URL, endpoint: UsageEndpoint): Record<string, unknown> {
  const allowed = USAGE_API_PARAMS[endpoint];
  const input: Record<string, unknown> = {};
  for (const name of new Set(url.searchParams.keys())) {
    if (!(allowed as readonly string[]).includes(name)) {
      throw new GatewayError(
        "unsupported_parameter",
        `Unknown query parameter '${name}'. ${allowed.length > 0 ? `This endpoint accepts: ${allowed.join(", ")}.` : "This endpoint takes none."}`,
        { param: name, publicCode: "unknown_parameter" },
      );
    }
    const param = name as Param;
    const values = url.searchParams.getAll(name);
    if (LIST_PARAMS.has(param)) {
      input[FIELD_OF_PARAM[param]] = values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
      continue;
    }
    if (values.length > 1) throw badParam(name, `Query parameter '${name}' was given more than once.`);
    const value = values[0]!;
    if (param === "limit") {
      if (!/^\d{1,6}$/.test(value)) throw badParam(name, "Query parameter 'limit' must be a positive integer.");
      input.limit = Number(value);
    } else if (param === "from" || param === "to" || param === "created_at") {
      // An unencoded "+01:00" arrives as " 01:00" (form encoding); ISO 8601 never has a space there.
      input[FIELD_OF_PARAM[param]] = value.replace(/ (\d{2}(:?\d{2})?)$/, "+$1");
    } else {
      input[FIELD_OF_PARAM[param]] = value;
    }
  }
  return input;
}

const PARAM_OF_FIELD = new Map<string, string>(Object.entries(FIELD_OF_PARAM).map(([p, f]) => [f, p]));

/** The first validation issue as a 400 naming the query parameter it came from. */
export function zodToGatewayError(err: ZodError): GatewayError {
  const issue = err.issues[0];
  const field = typeof issue?.path[0] === "string" ? issue.path[0] : undefined;
  const param = field === undefined ? null : (PARAM_OF_FIELD.get(field) ?? field);
  const message = issue?.message ?? "Invalid query";
  return param === null
    ? new GatewayError("invalid_request", message, { publicCode: "invalid_parameter" })
    : badParam(param, `Invalid value for query parameter '${param}': ${message}.`);
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** camelCase service output → snake_case JSON, dates as ISO 8601. For aggregates only (never payloads). */
export function snakeKeys(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [snake(k), snakeKeys(v)]));
  }
  return value;
}

function json(body: unknown, requestId: string): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { "content-type": "application/json", "cache-control": "no-store", "x-request-id": requestId },
  });
}

const compactIso = (d: Date) => d.toISOString().replace(/[-:]|\.\d{3}/g, "");

/**
 * The CSV export as a pull stream: a page is read only when the client takes the previous one.
 * The header and the first page are read before answering, so a failing query is still a JSON
 * error rather than a cut-off download.
 */
async function csvResponse(db: Queryable, input: Record<string, unknown>, requestId: string): Promise<Response> {
  for (const p of ["cursor", "limit"] as const) {
    if (input[p] !== undefined) throw badParam(p, `Query parameter '${p}' does not apply to format=csv: the export holds every matching row.`);
  }
  const filter = exportRequestsCsvInput.parse(input);
  const rows = exportRequestsCsv(db, filter);
  const encoder = new TextEncoder();
  const ready: string[] = [];
  for (let i = 0; i < 2; i++) {
    const r = await rows.next();
    if (r.done) break;
    ready.push(r.value);
  }
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = ready.shift();
        if (next !== undefined) {
          controller.enqueue(encoder.encode(next));
          return;
        }
        try {
          const r = await rows.next();
          if (r.done) controller.close();
          else controller.enqueue(encoder.encode(r.value));
        } catch (e) {
          log.error("usage api: CSV export failed mid-stream", { requestId, error: String(e) });
          controller.error(e);
        }
      },
      async cancel() {
        await rows.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="switchyard-requests-${compactIso(filter.from)}-${compactIso(filter.to)}.csv"`,
      "cache-control": "no-store",
      "x-request-id": requestId,
    },
  });
}

function notFound(what: string, id: string): GatewayError {
  return new GatewayError("not_found", `No ${what} with id '${id}'.`, { param: "id", publicCode: "not_found" });
}

/** Authenticated part: one service call, its output in the REST shape. */
async function respond(db: Queryable, url: URL, endpoint: UsageEndpoint, id: string | undefined, requestId: string): Promise<Response> {
  const input = parseUsageQuery(url, endpoint);
  switch (endpoint) {
    case "summary": {
      const s = await getUsageSummary(db, input);
      return json({ object: "usage.summary", ...(snakeKeys(s) as object) }, requestId);
    }
    case "timeseries": {
      const { points, ...rest } = await getUsageTimeseries(db, input);
      return json({ object: "list", ...(snakeKeys(rest) as object), data: snakeKeys(points), next_cursor: null }, requestId);
    }
    case "by-model":
    case "by-provider":
    case "by-api-key": {
      const fn = endpoint === "by-model" ? getUsageByModel : endpoint === "by-provider" ? getUsageByProvider : getUsageByApiKey;
      const { from, to, rows } = await fn(db, input);
      return json({ object: "list", from: from.toISOString(), to: to.toISOString(), data: snakeKeys(rows), next_cursor: null }, requestId);
    }
    case "by-tag": {
      const { from, to, groups } = await getUsageByTag(db, input);
      return json({ object: "list", from: from.toISOString(), to: to.toISOString(), data: snakeKeys(groups), next_cursor: null }, requestId);
    }
    case "requests": {
      const { format, ...rest } = input;
      if (format !== undefined && format !== "json" && format !== "csv") throw badParam("format", "Query parameter 'format' must be 'json' or 'csv'.");
      if (format === "csv") return csvResponse(db, rest, requestId);
      const page = await listRequests(db, rest);
      return json({ object: "list", data: page.rows.map(toLedgerColumns), next_cursor: page.nextCursor }, requestId);
    }
    case "request": {
      const row = await getRequest(db, { ...input, id: requireId(id) });
      if (!row) throw notFound("request", requireId(id));
      return json(toLedgerDetailColumns(row), requestId);
    }
    case "conversations": {
      const page = await listConversations(db, input);
      return json({ object: "list", data: page.rows.map(toConversationColumns), next_cursor: page.nextCursor }, requestId);
    }
    case "conversation": {
      const c = await getConversation(db, { ...input, conversationId: requireId(id) });
      if (!c) throw notFound("conversation", requireId(id));
      return json(
        { ...toConversationColumns(c.conversation), requests: { object: "list", data: c.requests.map(toLedgerColumns), next_cursor: c.nextCursor } },
        requestId,
      );
    }
  }
}

function requireId(id: string | undefined): string {
  if (id === undefined || id === "") throw new GatewayError("invalid_request", "The path needs an id.", { param: "id" });
  return id;
}

/** `id` as a path parameter: a malformed one is a 400 on `id`, not a mention of an internal field. */
function pathIdError(err: ZodError, endpoint: UsageEndpoint): GatewayError | null {
  const field = err.issues[0]?.path[0];
  if ((endpoint === "request" && field === "id") || (endpoint === "conversation" && field === "conversationId")) {
    return badParam("id", `Invalid ${endpoint} id: ${err.issues[0]!.message}.`);
  }
  return null;
}

function errorResponse(e: unknown, request: Request, requestId: string, endpoint: UsageEndpoint): Response {
  const err = e instanceof ZodError ? (pathIdError(e, endpoint) ?? zodToGatewayError(e)) : asGatewayError(e);
  if (err.status >= 500) log.error("usage api failed", { requestId, endpoint, error: String(e instanceof GatewayError && e.cause ? e.cause : e) });
  const ctx: RequestContext = {
    requestId,
    traceId: null,
    traceparent: null,
    apiKeyId: null,
    tags: [],
    conversationId: null,
    byokKey: null,
    signal: request.signal,
    startedAt: 0,
  };
  return toResponse(errorResult(err, ctx));
}

/** With a given runtime (tests pass one over their own database). */
export async function serveUsageApi(rt: Pick<GatewayRuntime, "auth" | "pool">, request: Request, endpoint: UsageEndpoint, id?: string): Promise<Response> {
  const requestId = requestIdFrom(request.headers.get("x-request-id"));
  try {
    // authenticate() reads only `auth` from the runtime.
    await authenticate(rt as GatewayRuntime, request, "read");
    return await respond(rt.pool, new URL(request.url), endpoint, id, requestId);
  } catch (e) {
    return errorResponse(e, request, requestId, endpoint);
  }
}

/** Entry point of the route handlers under src/app/api/ai/usage. */
export async function handleUsageApi(request: Request, endpoint: UsageEndpoint, id?: string): Promise<Response> {
  let rt: GatewayRuntime;
  try {
    rt = await getGatewayRuntime();
  } catch (e) {
    return errorResponse(e, request, requestIdFrom(request.headers.get("x-request-id")), endpoint);
  }
  return serveUsageApi(rt, request, endpoint, id);
}
