import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

/** What the dashboard's UI slices know of the server: the router's types, nothing else. */
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type Viewer = NonNullable<RouterOutputs["me"]["get"]>;
export type Role = Viewer["user"]["role"];
