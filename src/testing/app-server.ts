import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { projectRoot } from "./build-once";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface AppServer {
  url: string;
  port: number;
  /** The `npm start` process (scripts/start.ts). */
  process: ChildProcess;
  /** The server process it runs (src/server/http/node-server.ts), once started. */
  serverPid(): number | undefined;
  output(): string;
  /** Sends `signal` to `npm start` (which forwards it) and resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const running = new Set<ChildProcess>();
// A test run that dies must not leave servers behind (each runs in its own process group).
process.once("exit", () => {
  for (const child of running) {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Starts the production build on a free port exactly as `npm start` does (scripts/start.ts:
 * migrations, then the production server), with the given environment; resolves once the public
 * API answers. With no DATABASE_URL, `npm start` opens the embedded database in DATA_DIR.
 */
export async function startAppServer(env: Record<string, string>): Promise<AppServer> {
  const port = await freePort();
  let out = "";
  const child = spawn(process.execPath, ["--import", "tsx", path.join(projectRoot, "scripts", "start.ts")], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", PORT: String(port), HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so that a stuck shutdown can be ended as a whole (launcher and server).
    detached: true,
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited early (${child.exitCode}):\n${out}`);
    try {
      const res = await fetch(`${url}/api/ai/v1/models`);
      if (res.status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      process.kill(-child.pid!, "SIGKILL");
      throw new Error(`app did not start in 90 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const graceMs = Number(env.SHUTDOWN_GRACE_MS ?? 30_000);
  // (A function: TypeScript would keep `exitCode` narrowed to null from the loop above.)
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    url,
    port,
    process: child,
    serverPid: () => childrenOf(child.pid!)[0],
    output: () => out,
    stop(signal = "SIGTERM") {
      if (exited()) return Promise.resolve(child.exitCode);
      return new Promise((resolve) => {
        const t = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), graceMs + 15_000);
        child.once("exit", (code) => {
          clearTimeout(t);
          resolve(code);
        });
        child.kill(signal);
      });
    },
  };
}
