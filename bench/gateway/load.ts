/**
 * The load generator, run in its own process so its CPU is not the server's: `connections`
 * keep-alive sockets (undici Pool), each sending requests back to back until `requests` have been
 * sent or `maxMs` has passed. Bodies are read to the end; for streams the arrival of the first body
 * chunk is the time to first byte.
 *
 * Protocol with the orchestrator (run.ts): the spec arrives as JSON in argv[2]; after the warm-up
 * this process prints `ready <warm-up requests sent>` and waits for a line on stdin (the orchestrator samples the server's
 * CPU counters in between), then runs the measured phase and prints one JSON line of results.
 */
import { createInterface } from "node:readline";
import { Pool } from "undici";

export interface LoadSpec {
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  requests: number;
  warmup: number;
  maxMs: number;
  stream: boolean;
}

export interface LoadResult {
  sent: number;
  ok: number;
  statuses: Record<string, number>;
  errors: string[];
  durationMs: number;
  /** Sorted ascending, milliseconds: whole response (last byte). */
  latencies: number[];
  /** Sorted ascending, milliseconds: first body byte (streams only). */
  ttfbs: number[];
}

const spec = JSON.parse(process.argv[2] ?? "{}") as LoadSpec;
const pool = new Pool(spec.origin, {
  connections: spec.connections,
  pipelining: 1,
  keepAliveTimeout: 60_000,
  headersTimeout: 120_000,
  bodyTimeout: 120_000,
  connectTimeout: 30_000,
});

async function phase(total: number, maxMs: number, record: boolean): Promise<LoadResult> {
  const result: LoadResult = { sent: 0, ok: 0, statuses: {}, errors: [], durationMs: 0, latencies: [], ttfbs: [] };
  const started = performance.now();
  const deadline = started + maxMs;
  const worker = async () => {
    while (result.sent < total && performance.now() < deadline) {
      result.sent++;
      const t0 = performance.now();
      try {
        const res = await pool.request({ path: spec.path, method: "POST", headers: spec.headers, body: spec.body });
        let ttfb = -1;
        let bytes = 0;
        for await (const chunk of res.body) {
          if (ttfb < 0) ttfb = performance.now() - t0;
          bytes += (chunk as Buffer).length;
        }
        const t = performance.now() - t0;
        result.statuses[res.statusCode] = (result.statuses[res.statusCode] ?? 0) + 1;
        if (res.statusCode !== 200 || bytes === 0) continue;
        result.ok++;
        if (record) {
          result.latencies.push(t);
          if (spec.stream) result.ttfbs.push(ttfb);
        }
      } catch (e) {
        if (result.errors.length < 5) result.errors.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
        result.statuses.error = (result.statuses.error ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, worker));
  result.durationMs = performance.now() - started;
  result.latencies.sort((a, b) => a - b);
  result.ttfbs.sort((a, b) => a - b);
  return result;
}

const warm = spec.warmup > 0 ? await phase(spec.warmup, spec.maxMs, false) : null;
process.stdout.write(`ready ${warm?.sent ?? 0}\n`);
const input = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => input.once("line", () => resolve()));
input.close();
const result = await phase(spec.requests, spec.maxMs, true);
process.stdout.write(JSON.stringify(result) + "\n");
await pool.close();
