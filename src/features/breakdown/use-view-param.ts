"use client";

import { useCallback } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";

/** A view option (sort, metric) kept in the URL next to the filter, replaced without a history entry. */
export function useViewParam<T extends string>(name: string, allowed: readonly T[], fallback: T): [T, (v: T) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const raw = params.get(name);
  const value = allowed.includes(raw as T) ? (raw as T) : fallback;
  const set = useCallback(
    (v: T) => {
      const next = new URLSearchParams(params.toString());
      if (v === fallback) next.delete(name);
      else next.set(name, v);
      const qs = next.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [params, router, pathname, name, fallback],
  );
  return [value, set];
}
