import type { ReactNode } from "react";

export interface TooltipRow {
  label: string;
  color: string;
  value: string;
}

/** The one tooltip look of every chart: a title and coloured rows of already formatted values. */
export function ChartTooltipBox({ title, rows }: { title: ReactNode; rows: TooltipRow[] }) {
  return (
    <div className="min-w-40 rounded-lg border border-zinc-200 bg-white/95 px-3 py-2 text-xs shadow-lg backdrop-blur dark:border-zinc-700 dark:bg-zinc-900/95">
      <p className="mb-1 font-medium text-zinc-900 dark:text-zinc-100">{title}</p>
      <ul className="space-y-0.5">
        {rows.map((r) => (
          <li key={r.label} className="flex items-center justify-between gap-4">
            <span className="flex items-center gap-1.5 text-zinc-600 dark:text-zinc-400">
              <span aria-hidden className="size-2 rounded-full" style={{ backgroundColor: r.color }} />
              {r.label}
            </span>
            <span className="tabular font-medium text-zinc-900 dark:text-zinc-100">{r.value}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
