import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";

type ErrorData = { data?: { httpStatus?: number; code?: string } } | null;

/** 4xx from tRPC (auth, validation, not found): retrying cannot help. */
function isClientError(err: unknown): boolean {
  const status = (err as ErrorData)?.data?.httpStatus;
  return typeof status === "number" && status >= 400 && status < 500;
}

/** The session ended (expired, user removed): back to sign-in instead of error boxes everywhere. */
function onError(err: unknown): void {
  if ((err as ErrorData)?.data?.code === "UNAUTHORIZED" && typeof window !== "undefined") window.location.assign("/sign-in");
}

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        // Dashboards are read a lot and change at ledger-flush pace: half a minute is fresh enough.
        staleTime: 30_000,
        retry: (count, err) => count < 2 && !isClientError(err),
        refetchOnWindowFocus: true,
      },
    },
  });
}
