/** @hono/node-server as Portkey imports it, with `serve()` keeping Node's Request/Response globals. */
import { serve as honoServe } from "@hono/node-server";

export * from "@hono/node-server";

export const serve = (options, listener) => honoServe({ ...options, overrideGlobalObjects: false }, listener);
