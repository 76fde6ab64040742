import { afterEach, describe, expect, it } from "vitest";
import { createServer, request, type Server } from "node:http";
import { installGracefulShutdown } from "./shutdown";

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.closeAllConnections();
});

/** A server whose responses take `ms` (0 = never end), with the drain installed. */
async function serve(ms: number, graceMs: number) {
  const server = createServer();
  servers.push(server);
  const events: string[] = [];
  const drain = installGracefulShutdown({
    server,
    graceMs,
    close: async () => {
      events.push("close");
    },
    log: { info: () => {}, warn: (m) => events.push(`warn: ${m}`) },
    exit: (code) => events.push(`exit ${code}`),
  });
  server.on("request", (_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.write("started ");
    if (ms > 0) setTimeout(() => res.end("done"), ms);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  const get = () =>
    new Promise<{ status: number; body: string; error?: string }>((resolve) => {
      const req = request({ port, host: "127.0.0.1", path: "/" }, (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", (e) => resolve({ status: res.statusCode ?? 0, body, error: e.message }));
      });
      req.on("error", (e) => resolve({ status: 0, body: "", error: (e as NodeJS.ErrnoException).code ?? e.message }));
      req.end();
    });
  return { drain, events, get };
}

describe("installGracefulShutdown", () => {
  it("waits for in-flight responses, refuses new connections, then closes", async () => {
    const { drain, events, get } = await serve(300, 5_000);
    const inFlight = get();
    await new Promise((r) => setTimeout(r, 50));
    expect(drain.inFlight()).toBe(1);
    const done = drain.shutdown("test");
    await new Promise((r) => setTimeout(r, 20));
    expect((await get()).error).toBe("ECONNREFUSED");
    expect(events).toEqual([]);
    expect(await inFlight).toEqual({ status: 200, body: "started done" });
    await done;
    expect(events).toEqual(["close"]);
    expect(drain.inFlight()).toBe(0);
  });

  it("cuts what is still running when the grace period is over, then closes", async () => {
    const { drain, events, get } = await serve(0, 200);
    const stuck = get();
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await drain.shutdown("test");
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    const r = await stuck;
    expect(r.body).toBe("started ");
    expect(r.error).toBeDefined();
    expect(events[0]).toMatch(/^warn: grace period over: cutting 1 request/);
    expect(events.at(-1)).toBe("close");
  });

  it("runs the drain once however many signals arrive", async () => {
    const { drain } = await serve(100, 5_000);
    expect(drain.shutdown("a")).toBe(drain.shutdown("b"));
  });
});
