"use client";

import { useCallback, useMemo, useState } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useQueryClient } from "@tanstack/react-query";
import { parseFilters, serializeFilters, toUsageQuery, type FilterState } from "./filter-state";

/** The viewer's IANA time zone: day buckets start at their midnight. */
export function viewerTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/**
 * The shared filter from the URL, the services' input it means, and a setter that pushes a new
 * URL (so Back undoes a filter change and every state is a shareable link).
 */
export function useFilters() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const search = params.toString();
  const state = useMemo(() => parseFilters(new URLSearchParams(search)), [search]);
  const [now, setNow] = useState(() => Date.now());
  const query = useMemo(() => toUsageQuery(state, new Date(now)), [state, now]);
  const tz = useMemo(viewerTimeZone, []);
  const queryClient = useQueryClient();

  const setFilters = useCallback(
    (next: FilterState | ((cur: FilterState) => FilterState)) => {
      const value = typeof next === "function" ? next(state) : next;
      const qs = serializeFilters(value, new URLSearchParams(search)).toString();
      router.push(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [state, search, pathname, router],
  );

  /** Moves "now" forward (presets are relative to it) and refetches what is on screen. */
  const refresh = useCallback(() => {
    setNow(Date.now());
    void queryClient.invalidateQueries();
  }, [queryClient]);

  /** A link to another page with the same filter. */
  const hrefWith = useCallback((path: string) => {
    const qs = serializeFilters(state).toString();
    return qs ? `${path}?${qs}` : path;
  }, [state]);

  return { state, query, tz, setFilters, refresh, hrefWith, now };
}
