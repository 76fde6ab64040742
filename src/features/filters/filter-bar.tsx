"use client";

import { useQuery } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { Segmented } from "@/components/ui/segmented";
import { useTRPC } from "@/trpc/react";
import { activeFilterCount, emptyFilters, rangeLabels, rangePresets, toggleTag, type FilterState, type RangePreset } from "./filter-state";
import { TagPicker } from "./tag-picker";
import { useFilters } from "./use-filters";

function ymd(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

const selectClass = `${controlClass} h-8 w-auto max-w-48 py-1 text-xs`;

/** The one filter bar of the analytics pages: time range, tags, model, provider, key. */
export function FilterBar({ showKey = true, showProvider = true }: { showKey?: boolean; showProvider?: boolean }) {
  const { state, query, setFilters, refresh } = useFilters();
  const trpc = useTRPC();
  const options = useQuery(trpc.usage.filterOptions.queryOptions({ from: query.from, to: query.to }));
  const set = (patch: Partial<FilterState>) => setFilters({ ...state, ...patch });

  const onRange = (range: RangePreset) => {
    if (range === "custom") {
      set({ range, from: ymd(query.from), to: ymd(new Date(query.to.getTime() - 1)) });
    } else set({ range });
  };

  return (
    <div className="space-y-2" data-testid="filter-bar">
      <div className="flex flex-wrap items-center gap-2">
        <Segmented label="Time range" options={rangePresets.map((r) => ({ value: r, label: rangeLabels[r] }))} value={state.range} onChange={onRange} />
        {state.range === "custom" && (
          <div className="flex items-center gap-1.5 text-xs">
            <label htmlFor="range-from" className="text-zinc-500">
              From
            </label>
            <input
              id="range-from"
              type="date"
              className={`${controlClass} h-8 w-auto py-1 text-xs`}
              value={state.from ?? ""}
              max={state.to ?? undefined}
              onChange={(e) => e.target.value && set({ from: e.target.value })}
            />
            <label htmlFor="range-to" className="text-zinc-500">
              to
            </label>
            <input
              id="range-to"
              type="date"
              className={`${controlClass} h-8 w-auto py-1 text-xs`}
              value={state.to ?? ""}
              min={state.from ?? undefined}
              onChange={(e) => e.target.value && set({ to: e.target.value })}
            />
          </div>
        )}
        <Button size="sm" variant="ghost" onClick={refresh} title="Reload with the current time">
          <span aria-hidden>↻</span> Refresh
        </Button>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <TagPicker available={options.data?.tags ?? []} selected={state.tags} onToggle={(t) => setFilters(toggleTag(state, t))} />
        <label className="sr-only" htmlFor="filter-model">
          Model
        </label>
        <select id="filter-model" className={selectClass} value={state.model ?? ""} onChange={(e) => set({ model: e.target.value || null })}>
          <option value="">All models</option>
          {[...new Set([...(options.data?.models ?? []), ...(state.model ? [state.model] : [])])].map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        {showProvider && (
          <>
            <label className="sr-only" htmlFor="filter-provider">
              Provider
            </label>
            <select id="filter-provider" className={selectClass} value={state.provider ?? ""} onChange={(e) => set({ provider: e.target.value || null })}>
              <option value="">All providers</option>
              {(options.data?.providers ?? ["openai", "anthropic", "gemini", "xai"]).map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </>
        )}
        {showKey && (
          <>
            <label className="sr-only" htmlFor="filter-key">
              Gateway key
            </label>
            <select id="filter-key" className={selectClass} value={state.key ?? ""} onChange={(e) => set({ key: e.target.value || null })}>
              <option value="">All keys</option>
              {(options.data?.apiKeys ?? []).map((k) => (
                <option key={k.id} value={k.id}>
                  {k.name} ({k.prefix}…){k.revoked ? " — revoked" : ""}
                </option>
              ))}
            </select>
          </>
        )}
        {activeFilterCount(state) > 0 && (
          <Button size="sm" variant="ghost" onClick={() => setFilters({ ...emptyFilters, range: state.range, from: state.from, to: state.to, bucket: state.bucket })}>
            Clear filters
          </Button>
        )}
      </div>
      {state.tags.length > 0 && (
        <ul className="flex flex-wrap gap-1.5" aria-label="Selected tags">
          {state.tags.map((t) => (
            <li key={t}>
              <button
                type="button"
                onClick={() => setFilters(toggleTag(state, t))}
                className="inline-flex items-center gap-1 rounded-full bg-accent-50 px-2.5 py-0.5 font-mono text-xs text-accent-700 ring-1 ring-accent-100 ring-inset hover:bg-accent-100 dark:bg-accent-500/15 dark:text-accent-400 dark:ring-accent-500/30"
                aria-label={`Remove tag filter ${t}`}
              >
                {t} <span aria-hidden>×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
