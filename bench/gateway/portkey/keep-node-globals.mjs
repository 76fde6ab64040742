/**
 * `node --import ./keep-node-globals.mjs .../@portkey-ai/gateway/build/start-server.js`
 *
 * Portkey's Node server calls @hono/node-server's `serve()`, which by default replaces Node's global
 * Request/Response with lighter classes; on Node 20 Portkey then answers every streaming chat and
 * every embeddings request with 500 ("TypeError: immutable", Portkey issues #1389 and #1550). This
 * loader hook hands Portkey a `serve()` that passes hono's own `overrideGlobalObjects: false`, so
 * the benchmark measures Portkey working, unmodified otherwise.
 */
import { register } from "node:module";
import { isMainThread } from "node:worker_threads";

// The hooks run on a loader thread that loads this file again: register only from the main thread.
if (isMainThread) register(import.meta.url);

export async function resolve(specifier, context, nextResolve) {
  if (specifier === "@hono/node-server" && context.parentURL?.includes("/@portkey-ai/gateway/")) {
    return { url: new URL("./hono-serve-keeping-globals.mjs", import.meta.url).href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
