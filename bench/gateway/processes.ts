import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export interface Service {
  name: string;
  process: ChildProcess;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

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

const running = new Set<Service>();

/** Starts a Node.js process in `cwd`, keeping the last 64 KiB of its output for error messages. */
export function startService(name: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Service {
  let out = "";
  const child = spawn(process.execPath, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-65_536);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const service: Service = {
    name,
    process: child,
    pid: child.pid!,
    output: () => out,
    stop() {
      running.delete(service);
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        const t = setTimeout(() => child.kill("SIGKILL"), 40_000);
        child.once("exit", () => {
          clearTimeout(t);
          resolve();
        });
        child.kill("SIGTERM");
      });
    },
  };
  running.add(service);
  return service;
}

/** Polls `probe` until it returns true; fails early when the process exits. */
export async function waitReady(service: Service, probe: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (service.process.exitCode !== null) throw new Error(`${service.name} exited (${service.process.exitCode}):\n${service.output()}`);
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${service.name} not ready after ${timeoutMs} ms:\n${service.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Stops every service still running (on exit, on Ctrl-C, after a failure). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((s) => s.stop()));
}
