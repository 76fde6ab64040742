import type { ReactNode } from "react";
import { ThemeToggle } from "@/features/shell/theme-toggle";

export function AuthFrame({ children }: { children: ReactNode }) {
  return (
    <div className="relative grid min-h-dvh place-items-center bg-gradient-to-b from-zinc-50 to-zinc-100 px-4 py-12 dark:from-zinc-950 dark:to-zinc-900">
      <div className="absolute top-3 right-3">
        <ThemeToggle />
      </div>
      <main className="w-full max-w-sm">
        <div className="mb-6 flex flex-col items-center gap-2 text-center">
          <span aria-hidden className="grid size-10 place-items-center rounded-xl bg-accent-600 text-lg text-white shadow">
            ⇄
          </span>
          <p className="text-lg font-semibold tracking-tight">Switchyard</p>
        </div>
        <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">{children}</div>
      </main>
    </div>
  );
}
