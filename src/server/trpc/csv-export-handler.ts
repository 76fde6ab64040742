import { getGatewayRuntime } from "@/server/composition/gateway-runtime";
import { getSessionUser } from "@/server/auth/session";
import { log } from "@/server/log";
import { exportRequestsCsv, exportRequestsCsvInput } from "@/server/services/usage/export-requests-csv";

const json = (status: number, message: string) =>
  new Response(JSON.stringify({ error: { message } }), { status, headers: { "content-type": "application/json", "cache-control": "no-store" } });

/**
 * GET /requests/export?from&to&model&provider&status&apiKeyId&tags&conversationId — the request
 * ledger of the dashboard's current filter as CSV, for any signed-in user (the session cookie, not
 * a gateway key). The same service as the usage REST API; streamed page by page.
 */
export async function exportRequestsCsvForSession(req: Request): Promise<Response> {
  const user = await getSessionUser();
  if (!user) return json(401, "Sign in to export requests.");
  const q = new URL(req.url).searchParams;
  const parsed = exportRequestsCsvInput.safeParse({
    from: q.get("from") ?? undefined,
    to: q.get("to") ?? undefined,
    model: q.getAll("model"),
    provider: q.getAll("provider"),
    status: q.getAll("status"),
    apiKeyId: q.getAll("apiKeyId"),
    tags: q.getAll("tags"),
    conversationId: q.get("conversationId") ?? undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return json(400, issue ? `${issue.path.join(".") || "query"}: ${issue.message}` : "Invalid filter.");
  }
  const rt = await getGatewayRuntime();
  const rows = exportRequestsCsv(rt.pool, parsed.data);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await rows.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (e) {
        log.error("csv export failed", { error: String(e) });
        controller.error(e);
      }
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="switchyard-requests-${day(parsed.data.from)}-to-${day(parsed.data.to)}.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
