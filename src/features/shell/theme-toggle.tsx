"use client";

import { useEffect, useState } from "react";
import { applyTheme, readTheme, saveTheme, type ThemeChoice } from "./theme";

const next: Record<ThemeChoice, ThemeChoice> = { system: "light", light: "dark", dark: "system" };
const labels: Record<ThemeChoice, string> = { system: "System theme", light: "Light theme", dark: "Dark theme" };
const icons: Record<ThemeChoice, string> = { system: "◐", light: "☀", dark: "☾" };

/** Cycles system → light → dark; "system" follows prefers-color-scheme live. */
export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>("system");
  useEffect(() => setChoice(readTheme()), []);
  useEffect(() => {
    applyTheme(choice);
    if (choice !== "system") return;
    const mq = window.matchMedia("(prefers-color-scheme: dark)");
    const onChange = () => applyTheme("system");
    mq.addEventListener("change", onChange);
    return () => mq.removeEventListener("change", onChange);
  }, [choice]);
  return (
    <button
      type="button"
      onClick={() => {
        const n = next[choice];
        saveTheme(n);
        setChoice(n);
      }}
      className="inline-flex h-8 items-center gap-1.5 rounded-md px-2 text-xs font-medium text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
      aria-label={`${labels[choice]} (click to change)`}
      title={labels[choice]}
    >
      <span aria-hidden className="text-sm">
        {icons[choice]}
      </span>
      <span className="hidden sm:inline">{labels[choice].replace(" theme", "")}</span>
    </button>
  );
}
