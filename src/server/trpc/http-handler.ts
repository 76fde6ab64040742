import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getGatewayRuntime, type GatewayRuntime } from "@/server/composition/gateway-runtime";
import { getSessionUser } from "@/server/auth/session";
import { log } from "@/server/log";
import { dashboardRuntimeFrom, type DashboardRuntime } from "./dashboard-runtime";
import { createInnerContext, type InnerContext } from "./init";
import { appRouter } from "./root";

const runtimes = new WeakMap<GatewayRuntime, DashboardRuntime>();

export async function createHttpContext(): Promise<InnerContext> {
  const rt = await getGatewayRuntime();
  let runtime = runtimes.get(rt);
  if (!runtime) runtimes.set(rt, (runtime = dashboardRuntimeFrom(rt)));
  return createInnerContext({ session: await getSessionUser(), db: rt.pool, runtime });
}

/** /api/trpc/* — the dashboard's only API. */
export function handleTrpcRequest(req: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: createHttpContext,
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") log.error(`trpc ${path ?? "?"} failed`, { error: String(error.cause ?? error) });
    },
  });
}
