import type { ReactNode } from "react";
import { cn } from "@/lib/cn";
import { Skeleton } from "./skeleton";

export interface StatChange {
  text: string;
  direction: "up" | "down" | "flat";
  /** Whether up is good (requests) or bad (cost, errors, latency): decides the colour only. */
  goodWhen: "up" | "down" | "neutral";
}

export function StatCard({ label, value, sub, change, loading }: { label: string; value: ReactNode; sub?: ReactNode; change?: StatChange; loading?: boolean }) {
  const good = change && change.direction !== "flat" && change.goodWhen !== "neutral" ? change.direction === change.goodWhen : null;
  return (
    <div className="h-full rounded-xl border border-zinc-200 bg-white p-4 shadow-xs dark:border-zinc-800 dark:bg-zinc-900">
      <p className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{label}</p>
      {loading ? (
        <Skeleton className="mt-2 h-7 w-24" />
      ) : (
        <p className="tabular mt-1 text-2xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50" data-testid={`stat-${label}`}>
          {value}
        </p>
      )}
      <div className="mt-1 flex min-h-5 items-center gap-2 text-xs">
        {change && !loading && (
          <span
            className={cn(
              "tabular inline-flex items-center gap-0.5 rounded px-1 py-0.5 font-medium",
              good === true && "bg-emerald-50 text-emerald-700 dark:bg-emerald-500/15 dark:text-emerald-400",
              good === false && "bg-red-50 text-red-700 dark:bg-red-500/15 dark:text-red-400",
              good === null && "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400",
            )}
            title="Change against the previous period of the same length"
          >
            <span aria-hidden>{change.direction === "up" ? "↑" : change.direction === "down" ? "↓" : "→"}</span>
            <span>{change.text}</span>
            <span className="sr-only">versus previous period</span>
          </span>
        )}
        {sub && <span className="text-zinc-500 dark:text-zinc-400">{sub}</span>}
      </div>
    </div>
  );
}
