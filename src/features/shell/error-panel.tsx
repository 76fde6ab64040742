"use client";

import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

/** What a page shows when rendering failed: no stack, a way to retry. */
export function ErrorPanel({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <EmptyState
      title="This page could not be shown"
      action={
        <Button variant="primary" onClick={reset}>
          Try again
        </Button>
      }
    >
      Something went wrong while loading it.{error.digest ? ` Reference: ${error.digest}.` : ""}
    </EmptyState>
  );
}
