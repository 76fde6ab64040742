"use client";

import { useEffect, useId, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";

/** Tags seen in the range, as checkboxes grouped by key ("feature", "team", …), with search. */
export function TagPicker({ available, selected, onToggle }: { available: string[]; selected: string[]; onToggle: (tag: string) => void }) {
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState("");
  const panelId = useId();
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!open) return;
    search.current?.focus();
    const onDown = (e: MouseEvent) => {
      if (wrap.current && !wrap.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [open]);

  const groups = useMemo(() => {
    const all = [...new Set([...available, ...selected])].filter((t) => t.toLowerCase().includes(q.trim().toLowerCase())).sort();
    const m = new Map<string, string[]>();
    for (const t of all) {
      const i = t.indexOf(":");
      const key = i > 0 ? t.slice(0, i) : "(no key)";
      m.set(key, [...(m.get(key) ?? []), t]);
    }
    return [...m.entries()];
  }, [available, selected, q]);

  return (
    <div
      ref={wrap}
      className="relative"
      onKeyDown={(e) => {
        if (e.key === "Escape" && open) {
          e.stopPropagation();
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <Button ref={button} size="sm" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((o) => !o)}>
        <span aria-hidden>#</span> Tags{selected.length > 0 ? ` (${selected.length})` : ""}
      </Button>
      {open && (
        <div
          id={panelId}
          role="group"
          aria-label="Filter by tags"
          className="absolute left-0 z-30 mt-1 w-72 rounded-lg border border-zinc-200 bg-white p-2 shadow-xl dark:border-zinc-700 dark:bg-zinc-900"
        >
          <label className="sr-only" htmlFor={`${panelId}-q`}>
            Search tags
          </label>
          <input ref={search} id={`${panelId}-q`} value={q} onChange={(e) => setQ(e.target.value)} placeholder="Search tags…" className={controlClass} />
          <div className="mt-2 max-h-72 overflow-y-auto">
            {groups.length === 0 && <p className="px-2 py-3 text-sm text-zinc-500">No tags in this range.</p>}
            {groups.map(([key, tags]) => (
              <fieldset key={key} className="mb-2">
                <legend className="px-2 py-1 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase">{key}</legend>
                {tags.map((t) => (
                  <label key={t} className="flex cursor-pointer items-center gap-2 rounded px-2 py-1 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800">
                    <input type="checkbox" checked={selected.includes(t)} onChange={() => onToggle(t)} className="size-4 accent-accent-600" />
                    <span className="truncate font-mono text-xs">{t}</span>
                  </label>
                ))}
              </fieldset>
            ))}
          </div>
          <p className="border-t border-zinc-100 px-2 pt-2 text-xs text-zinc-500 dark:border-zinc-800">Requests must carry every selected tag.</p>
        </div>
      )}
    </div>
  );
}
