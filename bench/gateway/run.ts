/**
 * `npm run bench` — Switchyard against its peers, on loopback, side by side in one run.
 *
 * Starts, each in its own process: the simulated upstream (src/testing/simulated-upstream), the
 * floor (a bare node:http pass-through, floor-proxy.ts), Switchyard's production build as
 * `npm start` runs it (ledger on, real PostgreSQL), Switchyard's route handlers under a bare
 * `next start` (to show what Next's request pipeline costs), and @portkey-ai/gateway. Then drives
 * the same workloads at each from a separate load-generator process (load.ts), interleaved, several
 * runs, and prints medians: req/s, p50/p99, latency added over calling the upstream directly, CPU
 * per request of the server (from /proc), ratios, and 1,000 concurrent slow streams with RSS.
 *
 * Flags: --runs=3 --targets=direct,floor,switchyard,switchyard-next,portkey --workloads=chat,stream,embeddings
 *        --conns=1,64 --streams=1000 --skip-slow --quick --cpu-prof (profiles Switchyard into bench/results/profiles)
 * Env:   DATABASE_URL (else a throwaway database on TEST_DATABASE_ADMIN_URL or postgres://postgres@127.0.0.1:5432).
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import pg from "pg";
import { ensureProductionBuild, projectRoot } from "../../src/testing/build-once";
import { createTestDatabase, type TestDatabase } from "../../src/testing/test-database";
import { applyMigrations } from "../../src/server/db/migrate";
import { createApiKey } from "../../src/server/services/create-api-key";
import type { LoadResult, LoadSpec } from "./load";
import { cpuMs, largestRss, processTree } from "./proc";
import { stopAll } from "./processes";
import { aggregate, formatSlowStreams, formatTable, percentile, verdicts, type RunSample, type SlowStreamSample, type WorkloadName } from "./report";
import { startFloor, startPortkey, startSwitchyard, startUpstream, type Target, type TargetName } from "./targets";

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k!, v ?? "true"] as const;
  }),
);
const list = (name: string, def: string) => (args.get(name) ?? def).split(",").filter(Boolean);
const quick = args.has("quick");
const runs = Number(args.get("runs") ?? (quick ? 1 : 3));
const targetNames = list("targets", "direct,floor,switchyard,switchyard-next,portkey") as TargetName[];
const workloads = list("workloads", "chat,stream,embeddings") as WorkloadName[];
const conns = list("conns", "1,64").map(Number);
const slowStreams = Number(args.get("streams") ?? 1000);
const cpuProf = args.has("cpu-prof");
const resultsDir = path.join(projectRoot, "bench", "results");

const bodies: Record<WorkloadName, { path: "chat" | "embeddings"; body: unknown; stream: boolean }> = {
  chat: { path: "chat", stream: false, body: { model: "gpt-4.1-nano", messages: [{ role: "user", content: "Say hello to the benchmark." }], max_tokens: 64 } },
  stream: {
    path: "chat",
    stream: true,
    body: { model: "gpt-4.1-nano", messages: [{ role: "user", content: "Stream a short answer. #chunks=16" }], max_tokens: 64, stream: true },
  },
  embeddings: { path: "embeddings", stream: false, body: { model: "text-embedding-3-small", input: "The quick brown fox jumps over the lazy dog." } },
};

/** Bounded: a run ends after `requests` or `maxMs`, whichever comes first. */
const sizes = (c: number) =>
  c === 1 ? { requests: quick ? 300 : 1500, warmup: quick ? 50 : 300 } : { requests: quick ? 1500 : 6000, warmup: quick ? 300 : 1000 };
/** Before any measurement, every target serves this many requests of each workload (JIT, pools, caches). */
const WARMUP_REQUESTS = quick ? 500 : 3000;

/** Runs one load-generator process; `onReady` runs between warm-up and measurement. */
async function runLoad(spec: LoadSpec, onReady: (warmupSent: number) => void): Promise<LoadResult> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/gateway/load.ts", JSON.stringify(spec)], {
    cwd: projectRoot,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  let result: LoadResult | undefined;
  for await (const line of lines) {
    if (line.startsWith("ready")) {
      onReady(Number(line.split(" ")[1] ?? 0));
      child.stdin!.write("go\n");
    } else if (line.startsWith("{")) {
      result = JSON.parse(line) as LoadResult;
    }
  }
  await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
  if (!result) throw new Error(`load generator exited (${child.exitCode}) without a result`);
  return result;
}

function specFor(t: Target, w: WorkloadName, connections: number, requests: number, warmup: number, content?: string): LoadSpec {
  const b = bodies[w];
  let body = b.body as { messages?: Array<{ content: string }> };
  if (content && body.messages) body = { ...body, messages: [{ ...body.messages[0]!, content }] };
  return { origin: t.origin, path: t.paths[b.path], headers: t.headers, body: JSON.stringify(body), connections, requests, warmup, maxMs: 20_000, stream: b.stream };
}

let switchyardRequests = 0;
const isSwitchyard = (t: Target) => t.name === "switchyard" || t.name === "switchyard-next";

async function measure(t: Target, w: WorkloadName, connections: number, run: number): Promise<RunSample> {
  const { requests, warmup } = sizes(connections);
  let cpu0 = 0;
  let pids: number[] = [];
  const r = await runLoad(specFor(t, w, connections, requests, warmup), (warm) => {
    if (isSwitchyard(t)) switchyardRequests += warm;
    pids = processTree(t.service.pid);
    cpu0 = cpuMs(pids);
  });
  const cpu = cpuMs(pids) - cpu0;
  if (isSwitchyard(t)) switchyardRequests += r.sent;
  const failed = r.sent - r.ok;
  if (failed > 0) console.warn(`  ! ${t.name} ${w} c=${connections}: ${failed} failed ${JSON.stringify(r.statuses)} ${r.errors.join("; ")}`);
  return {
    target: t.name,
    workload: w,
    connections,
    run,
    ok: r.ok,
    failed,
    rps: (r.ok / r.durationMs) * 1000,
    p50: percentile(r.latencies, 50),
    p99: percentile(r.latencies, 99),
    ttfb50: bodies[w].stream ? percentile(r.ttfbs, 50) : null,
    ttfb99: bodies[w].stream ? percentile(r.ttfbs, 99) : null,
    cpuMsPerReq: r.ok > 0 ? cpu / r.ok : NaN,
  };
}

/** `streams` concurrent streams of ~8 s each (#slow), peak RSS of the server sampled every 100 ms. */
async function slowStreamTest(t: Target, streams: number): Promise<SlowStreamSample> {
  const pids = processTree(t.service.pid);
  const idle = largestRss(pids);
  let peak = idle.bytes;
  const timer = setInterval(() => {
    for (const pid of processTree(t.service.pid)) peak = Math.max(peak, largestRss([pid]).bytes);
  }, 100);
  const started = performance.now();
  const r = await runLoad(specFor(t, "stream", streams, streams, 0, "A long, slow answer. #chunks=40 #slow=200"), () => {});
  clearInterval(timer);
  if (isSwitchyard(t)) switchyardRequests += r.sent;
  if (r.ok < streams) console.warn(`  ! ${t.name} slow streams: ${streams - r.ok} failed ${JSON.stringify(r.statuses)} ${r.errors.join("; ")}`);
  return {
    target: t.name,
    streams,
    ok: r.ok,
    idleRssMb: idle.bytes / 2 ** 20,
    peakRssMb: peak / 2 ** 20,
    ttfb50: percentile(r.ttfbs, 50),
    ttfb99: percentile(r.ttfbs, 99),
    durationS: (performance.now() - started) / 1000,
  };
}

async function main(): Promise<void> {
  console.log("building the production app when sources changed …");
  ensureProductionBuild();

  let throwaway: TestDatabase | undefined;
  const databaseUrl = process.env.DATABASE_URL || (throwaway = await createTestDatabase("sy_bench")).url;
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  const targets: Target[] = [];
  try {
    await applyMigrations(sql, { migrationsDir: path.join(projectRoot, "prisma", "migrations") });
    const key = await createApiKey(sql, { name: `bench-${Date.now()}`, role: "execute" });

    console.log("starting upstream, floor, Switchyard, Portkey …");
    const upstream = await startUpstream(projectRoot);
    const want = new Set(targetNames);
    if (want.has("direct")) targets.push(upstream);
    if (want.has("floor")) targets.push(await startFloor(projectRoot, upstream));
    const profileDir = path.join(resultsDir, "profiles");
    if (cpuProf) mkdirSync(profileDir, { recursive: true });
    const prof = cpuProf ? { profileDir } : {};
    if (want.has("switchyard")) targets.push(await startSwitchyard(projectRoot, upstream, { databaseUrl, apiKey: key.key, mode: "npm-start", ...prof }));
    if (want.has("switchyard-next")) targets.push(await startSwitchyard(projectRoot, upstream, { databaseUrl, apiKey: key.key, mode: "next-start", ...prof }));
    if (want.has("portkey")) targets.push(await startPortkey(projectRoot, upstream));
    const order = targets.map((t) => t.name);

    // Steady state, not start-up: V8 optimises hot functions only after thousands of calls, so a
    // target measured first in a cold process would lose to one measured later in a warm one.
    console.log(`warming up every target (${WARMUP_REQUESTS} requests per workload) …`);
    for (const t of targets) {
      for (const w of workloads) {
        const r = await runLoad(specFor(t, w, 8, WARMUP_REQUESTS, 0), () => {});
        if (isSwitchyard(t)) switchyardRequests += r.sent;
      }
    }

    const samples: RunSample[] = [];
    let k = 0;
    for (let run = 1; run <= runs; run++) {
      for (const w of workloads) {
        for (const c of conns) {
          // Interleaved: every target once per (run, workload, conns), in a rotating order.
          const rotated = targets.map((_, i) => targets[(i + k) % targets.length]!);
          k++;
          for (const t of rotated) {
            const s = await measure(t, w, c, run);
            samples.push(s);
            console.log(
              `run ${run} ${w.padEnd(10)} c=${String(c).padEnd(3)} ${t.name.padEnd(16)} ${s.rps.toFixed(0).padStart(6)} req/s  p50 ${s.p50.toFixed(2)} ms  p99 ${s.p99.toFixed(2)} ms${s.ttfb50 !== null ? `  ttfb p50 ${s.ttfb50.toFixed(2)} ms` : ""}  cpu ${s.cpuMsPerReq.toFixed(3)} ms/req`,
            );
          }
        }
      }
    }

    const slow: SlowStreamSample[] = [];
    if (!args.has("skip-slow")) {
      for (const t of targets.filter((x) => x.name !== "direct")) {
        const s = await slowStreamTest(t, slowStreams);
        slow.push(s);
        console.log(`slow streams ${t.name}: ${s.ok}/${s.streams} ok, RSS ${s.idleRssMb.toFixed(0)} → ${s.peakRssMb.toFixed(0)} MB, ttfb p99 ${s.ttfb99.toFixed(1)} ms`);
      }
    }

    // Every request that reached Switchyard has exactly one ledger row once the writer flushed.
    let rows = 0;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      rows = Number((await sql.query<{ n: string }>("SELECT count(*) AS n FROM request_log WHERE api_key_id = $1", [key.id])).rows[0]!.n);
      if (rows >= switchyardRequests) break;
      await new Promise((r) => setTimeout(r, 250));
    }

    const table = aggregate(samples);
    const checks = verdicts(table, slow);
    const report = [
      `## Gateway benchmark — ${new Date().toISOString()}`,
      "",
      `${runs} run(s), medians; loopback; server CPU from /proc; load generator in its own process. Added = target − direct, same run.`,
      "",
      formatTable(table, order),
      "",
      slow.length > 0 ? formatSlowStreams(slow) : "",
      "",
      `Ledger: ${rows} rows for ${switchyardRequests} requests sent to Switchyard.`,
      "",
      "| check | target | measured | |",
      "|---|---|---:|---|",
      ...checks.map((c) => `| ${c.check} | ${c.target} | ${c.measured} | ${c.pass ? "pass" : "MISSED"} |`),
    ].join("\n");
    console.log("\n" + report);
    mkdirSync(resultsDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    writeFileSync(path.join(resultsDir, `gateway-${stamp}.md`), report + "\n");
    writeFileSync(path.join(resultsDir, `gateway-${stamp}.json`), JSON.stringify({ samples, table, slow, checks, ledger: { rows, requests: switchyardRequests } }, null, 2));
    console.log(`\nresults in bench/results/gateway-${stamp}.{md,json}`);
  } finally {
    await stopAll();
    await sql.end();
    await throwaway?.drop();
  }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void stopAll().finally(() => process.exit(130));
  });
}

await main();
