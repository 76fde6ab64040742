import type { TargetName } from "./targets";

export type WorkloadName = "chat" | "stream" | "embeddings";

/** One load run against one target: its own percentiles, and the server's CPU during it. */
export interface RunSample {
  target: TargetName;
  workload: WorkloadName;
  connections: number;
  run: number;
  ok: number;
  failed: number;
  rps: number;
  p50: number;
  p99: number;
  ttfb50: number | null;
  ttfb99: number | null;
  cpuMsPerReq: number;
}

export interface SlowStreamSample {
  target: TargetName;
  streams: number;
  ok: number;
  idleRssMb: number;
  peakRssMb: number;
  ttfb50: number;
  ttfb99: number;
  durationS: number;
}

/** Nearest-rank percentile of a sorted array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function median(values: readonly number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

export interface Row {
  target: TargetName;
  workload: WorkloadName;
  connections: number;
  runs: number;
  failed: number;
  rps: number;
  p50: number;
  p99: number;
  /** Median over runs of (this target − direct) in the same run. */
  added50: number;
  added99: number;
  ttfb50: number | null;
  ttfb99: number | null;
  ttfbAdded50: number | null;
  ttfbAdded99: number | null;
  cpuMsPerReq: number;
}

/** Medians over runs; "added" is computed within each run (interleaved), then its median taken. */
export function aggregate(samples: readonly RunSample[]): Row[] {
  const rows: Row[] = [];
  const keys = new Set(samples.map((s) => `${s.workload}|${s.connections}|${s.target}`));
  for (const key of keys) {
    const [workload, conns, target] = key.split("|") as [WorkloadName, string, TargetName];
    const connections = Number(conns);
    const mine = samples.filter((s) => s.workload === workload && s.connections === connections && s.target === target);
    const direct = (run: number) => samples.find((s) => s.workload === workload && s.connections === connections && s.target === "direct" && s.run === run);
    const added = (f: (s: RunSample) => number | null) =>
      median(mine.map((s) => {
        const d = direct(s.run);
        const a = f(s);
        const b = d ? f(d) : null;
        return a === null || b === null ? NaN : a - b;
      }));
    const stream = mine.some((s) => s.ttfb50 !== null);
    rows.push({
      target,
      workload,
      connections,
      runs: mine.length,
      failed: mine.reduce((n, s) => n + s.failed, 0),
      rps: median(mine.map((s) => s.rps)),
      p50: median(mine.map((s) => s.p50)),
      p99: median(mine.map((s) => s.p99)),
      added50: added((s) => s.p50),
      added99: added((s) => s.p99),
      ttfb50: stream ? median(mine.map((s) => s.ttfb50 ?? NaN)) : null,
      ttfb99: stream ? median(mine.map((s) => s.ttfb99 ?? NaN)) : null,
      ttfbAdded50: stream ? added((s) => s.ttfb50) : null,
      ttfbAdded99: stream ? added((s) => s.ttfb99) : null,
      cpuMsPerReq: median(mine.map((s) => s.cpuMsPerReq)),
    });
  }
  return rows;
}

const f = (v: number | null, digits = 2) => (v === null || !Number.isFinite(v) ? "–" : v.toFixed(digits));
const ratio = (a: number | undefined, b: number | undefined) => (a && b ? `${(a / b).toFixed(2)}×` : "–");

/** A Markdown table (pasteable into the README), one block per workload and connection count. */
export function formatTable(rows: readonly Row[], order: readonly TargetName[]): string {
  const lines: string[] = [];
  lines.push("| workload | conns | target | req/s | p50 ms | p99 ms | added p50 | added p99 | TTFB p50 | TTFB p99 | TTFB added p50 | TTFB added p99 | CPU ms/req |");
  lines.push("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  const groups = [...new Set(rows.map((r) => `${r.workload}|${r.connections}`))];
  const ratios: string[] = [];
  for (const g of groups) {
    const [workload, conns] = g.split("|") as [WorkloadName, string];
    const group = rows.filter((r) => r.workload === workload && r.connections === Number(conns)).sort((a, b) => order.indexOf(a.target) - order.indexOf(b.target));
    for (const r of group) {
      const direct = r.target === "direct";
      lines.push(
        `| ${r.workload} | ${r.connections} | ${r.target}${r.failed > 0 ? ` (${r.failed} failed)` : ""} | ${f(r.rps, 0)} | ${f(r.p50)} | ${f(r.p99)} | ${direct ? "" : f(r.added50)} | ${direct ? "" : f(r.added99)} | ${f(r.ttfb50)} | ${f(r.ttfb99)} | ${direct ? "" : f(r.ttfbAdded50)} | ${direct ? "" : f(r.ttfbAdded99)} | ${f(r.cpuMsPerReq, 3)} |`,
      );
    }
    const by = (t: TargetName) => group.find((r) => r.target === t);
    const sy = by("switchyard");
    ratios.push(
      `| ${workload} | ${conns} | ${ratio(sy?.rps, by("portkey")?.rps)} | ${ratio(sy?.rps, by("floor")?.rps)} | ${ratio(by("portkey")?.cpuMsPerReq, sy?.cpuMsPerReq)} |`,
    );
  }
  lines.push("", "| workload | conns | req/s Switchyard/Portkey | req/s Switchyard/floor | CPU per request Portkey/Switchyard |", "|---|---:|---:|---:|---:|", ...ratios);
  return lines.join("\n");
}

export function formatSlowStreams(samples: readonly SlowStreamSample[]): string {
  const lines = [
    "| target | streams | completed | idle RSS MB | peak RSS MB | TTFB p50 ms | TTFB p99 ms | wall s |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const s of samples) {
    lines.push(`| ${s.target} | ${s.streams} | ${s.ok} | ${f(s.idleRssMb, 0)} | ${f(s.peakRssMb, 0)} | ${f(s.ttfb50)} | ${f(s.ttfb99)} | ${f(s.durationS, 1)} |`);
  }
  return lines.join("\n");
}

export interface Verdict {
  check: string;
  target: string;
  measured: string;
  pass: boolean;
}

/** The issue's targets, checked against the medians. */
export function verdicts(rows: readonly Row[], slow: readonly SlowStreamSample[]): Verdict[] {
  const get = (t: TargetName, w: WorkloadName, c: number) => rows.find((r) => r.target === t && r.workload === w && r.connections === c);
  const out: Verdict[] = [];
  const push = (check: string, target: string, value: number | undefined, pass: (v: number) => boolean, unit: string) => {
    if (value === undefined || !Number.isFinite(value)) return;
    out.push({ check, target, measured: `${value.toFixed(2)}${unit}`, pass: pass(value) });
  };
  for (const w of ["chat", "embeddings"] as const) {
    push(`${w}, 1 conn: added p50`, "≤ 0.5 ms", get("switchyard", w, 1)?.added50, (v) => v <= 0.5, " ms");
    push(`${w}, 1 conn: added p99`, "≤ 2 ms", get("switchyard", w, 1)?.added99, (v) => v <= 2, " ms");
  }
  push("stream, 1 conn: added TTFB p50", "≤ 1 ms", get("switchyard", "stream", 1)?.ttfbAdded50 ?? undefined, (v) => v <= 1, " ms");
  for (const w of ["chat", "stream", "embeddings"] as const) {
    const sy = get("switchyard", w, 64)?.rps;
    const pk = get("portkey", w, 64)?.rps;
    const fl = get("floor", w, 64)?.rps;
    if (sy && pk) push(`${w}, 64 conns: req/s vs Portkey`, "≥ 2×", sy / pk, (v) => v >= 2, "×");
    if (sy && fl) push(`${w}, 64 conns: req/s vs floor`, "≥ 0.5×", sy / fl, (v) => v >= 0.5, "×");
  }
  const s = slow.find((x) => x.target === "switchyard");
  if (s) {
    push(`${s.streams} slow streams: peak RSS`, "< 400 MB", s.peakRssMb, (v) => v < 400, " MB");
    out.push({ check: `${s.streams} slow streams completed`, target: `${s.streams}`, measured: String(s.ok), pass: s.ok === s.streams });
  }
  return out;
}
