"use client";

import { useCallback } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";

/**
 * View options (sort, metric, status) kept in the URL next to the filter, replaced without a
 * history entry. `update` changes several at once (two separate replaces would race).
 */
export function useViewParams() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const read = useCallback(<T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = params.get(name);
    return allowed.includes(raw as T) ? (raw as T) : fallback;
  }, [params]);
  const update = useCallback(
    (patch: Record<string, string | null>) => {
      const next = new URLSearchParams(params.toString());
      for (const [k, v] of Object.entries(patch)) {
        if (v === null) next.delete(k);
        else next.set(k, v);
      }
      next.delete("cursor");
      next.delete("page");
      const qs = next.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [params, router, pathname],
  );
  return { read, update };
}

/** One view option; `fallback` is left out of the URL. */
export function useViewParam<T extends string>(name: string, allowed: readonly T[], fallback: T): [T, (v: T) => void] {
  const { read, update } = useViewParams();
  return [read(name, allowed, fallback), (v: T) => update({ [name]: v === fallback ? null : v })];
}
