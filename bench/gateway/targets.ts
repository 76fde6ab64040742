import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { freePort, startService, waitReady, type Service } from "./processes";

/** One server under test, and how to send it the benchmark's requests. */
export interface Target {
  name: TargetName;
  origin: string;
  service: Service;
  paths: { chat: string; embeddings: string };
  headers: Record<string, string>;
}

export type TargetName = "direct" | "floor" | "switchyard" | "switchyard-next" | "portkey";

export const UPSTREAM_KEY = "sk-sim-openai";

const baseEnv = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" });

async function httpOk(url: string, init: RequestInit, status = 200): Promise<boolean> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(2_000) });
  await res.arrayBuffer();
  return res.status === status;
}

/** The simulated provider APIs (src/testing/simulated-upstream), in their own process. */
export async function startUpstream(root: string): Promise<Target> {
  const port = await freePort();
  const service = startService("upstream", ["--import", "tsx", "src/testing/simulated-upstream/cli.ts"], {
    cwd: root,
    env: { ...baseEnv(), PORT: String(port), HOST: "127.0.0.1" },
  });
  const origin = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${UPSTREAM_KEY}`, "content-type": "application/json" };
  await waitReady(service, () => httpOk(`${origin}/openai/v1/models`, { headers }));
  return { name: "direct", origin, service, paths: { chat: "/openai/v1/chat/completions", embeddings: "/openai/v1/embeddings" }, headers };
}

export async function startFloor(root: string, upstream: Target): Promise<Target> {
  const port = await freePort();
  const service = startService("floor", ["--import", "tsx", "bench/gateway/floor-proxy.ts"], {
    cwd: root,
    env: { ...baseEnv(), PORT: String(port), UPSTREAM_URL: upstream.origin },
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitReady(service, () => httpOk(`${origin}/openai/v1/models`, { headers: upstream.headers }));
  return { ...upstream, name: "floor", origin, service };
}

/** @portkey-ai/gateway (devDependency) as its own CLI starts it, with Node's Request/Response kept. */
export async function startPortkey(root: string, upstream: Target): Promise<Target> {
  const port = await freePort();
  const service = startService(
    "portkey",
    ["--import", "./bench/gateway/portkey/keep-node-globals.mjs", "node_modules/@portkey-ai/gateway/build/start-server.js", `--port=${port}`, "--headless"],
    { cwd: root, env: { ...baseEnv(), PORT: String(port) } },
  );
  const origin = `http://127.0.0.1:${port}`;
  await waitReady(service, () => httpOk(`${origin}/`, {}));
  return {
    name: "portkey",
    origin,
    service,
    paths: { chat: "/v1/chat/completions", embeddings: "/v1/embeddings" },
    headers: {
      authorization: `Bearer ${UPSTREAM_KEY}`,
      "content-type": "application/json",
      "x-portkey-provider": "openai",
      "x-portkey-custom-host": `${upstream.origin}/openai/v1`,
    },
  };
}

export interface SwitchyardOptions {
  databaseUrl: string;
  apiKey: string;
  /** `npm start` (the production server) or a bare `next start` (route handlers only). */
  mode: "npm-start" | "next-start";
  /**
   * Profile the server with `--cpu-prof` into this directory. Node refuses that flag in
   * NODE_OPTIONS, so the server process (node-server.ts) is then started directly, without the
   * `npm start` launcher (the benchmark has applied the migrations already).
   */
  profileDir?: string;
}

/** Switchyard's production build with the ledger on, upstream = the simulated OpenAI API. */
export async function startSwitchyard(root: string, upstream: Target, opts: SwitchyardOptions): Promise<Target> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), "sy-bench-"));
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: opts.databaseUrl,
    DATA_DIR: dataDir,
    SWITCHYARD_MASTER_KEY: randomBytes(32).toString("base64"),
    OPENAI_BASE_URL: `${upstream.origin}/openai/v1`,
    OPENAI_API_KEY: UPSTREAM_KEY,
    // 1,000 concurrent streams need 1,000 upstream connections (one stream holds one).
    UPSTREAM_MAX_CONNECTIONS: "2048",
  };
  const prof = opts.profileDir ? ["--cpu-prof", `--cpu-prof-dir=${opts.profileDir}`] : [];
  const args =
    opts.mode === "npm-start"
      ? opts.profileDir
        ? [...prof, "--import", "tsx", "src/server/http/node-server.ts"]
        : ["--import", "tsx", "scripts/start.ts"]
      : [...prof, "node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"];
  const service = startService(opts.mode === "npm-start" ? "switchyard" : "switchyard-next", args, { cwd: root, env });
  const stop = service.stop;
  service.stop = () => stop().finally(() => rmSync(dataDir, { recursive: true, force: true }));
  const origin = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${opts.apiKey}`, "content-type": "application/json" };
  await waitReady(service, () => httpOk(`${origin}/api/ai/v1/models`, { headers }));
  return {
    name: opts.mode === "npm-start" ? "switchyard" : "switchyard-next",
    origin,
    service,
    paths: { chat: "/api/ai/v1/chat/completions", embeddings: "/api/ai/v1/embeddings" },
    headers,
  };
}
