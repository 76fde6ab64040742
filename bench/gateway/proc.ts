import { readdirSync, readFileSync } from "node:fs";

/**
 * Reads CPU time and memory of a server from /proc, from outside the process: the servers under
 * test carry no measuring endpoint, and the numbers include everything the process does (GC,
 * timers, the ledger writer), not only what a JavaScript profiler would see.
 */

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat. 100 on every Linux build we run. */
const TICKS_PER_SECOND = 100;

interface Stat {
  ppid: number;
  /** utime + stime, in ticks. */
  ticks: number;
}

function readStat(pid: number): Stat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name (field 2) may contain spaces and parentheses: fields restart after the last ')'.
  const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // rest[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
}

/** The process and all its descendants (a server may run behind a wrapper process). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const st = readStat(pid);
    if (!st) continue;
    const list = children.get(st.ppid) ?? [];
    list.push(pid);
    children.set(st.ppid, list);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** CPU time (user + system) used so far by the given processes, in milliseconds. */
export function cpuMs(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) ticks += readStat(pid)?.ticks ?? 0;
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Resident set size of one process, in bytes (0 when it is gone). */
export function rssBytes(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The process of the tree with the largest RSS: the server itself, not its launcher. */
export function largestRss(pids: readonly number[]): { pid: number; bytes: number } {
  let best = { pid: pids[0] ?? 0, bytes: 0 };
  for (const pid of pids) {
    const bytes = rssBytes(pid);
    if (bytes > best.bytes) best = { pid, bytes };
  }
  return best;
}
