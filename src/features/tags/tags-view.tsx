"use client";

import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { BarListChart } from "@/components/charts/bar-list-chart";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingBlock, Skeleton } from "@/components/ui/skeleton";
import { TableWrap, Td, Th, Tr } from "@/components/ui/table";
import { cn } from "@/lib/cn";
import { formatCompact, formatInteger, formatPercent, formatUsd, formatUsdAmount } from "@/lib/format";
import { useTRPC } from "@/trpc/react";
import { errorMessage } from "@/trpc/errors";
import { FilterBar } from "@/features/filters/filter-bar";
import { rangeLabels, toggleTag } from "@/features/filters/filter-state";
import { useFilters } from "@/features/filters/use-filters";
import { prepareTagGroups } from "./prepare-tags";

/** The answer to "what did these tags cost in this range", always visible above the breakdown. */
function SelectionSummary() {
  const trpc = useTRPC();
  const { state, query, tz } = useFilters();
  const summary = useQuery(trpc.usage.summary.queryOptions({ ...query, tz }));
  const label = state.tags.length > 0 ? state.tags.join(" + ") : "All requests";
  return (
    <div className="flex flex-wrap items-baseline gap-x-6 gap-y-2 rounded-xl border border-accent-100 bg-accent-50/60 px-5 py-4 dark:border-accent-500/20 dark:bg-accent-500/10" data-testid="tag-selection-summary">
      <div>
        <p className="text-xs font-medium text-accent-700 dark:text-accent-400">{rangeLabels[state.range]}</p>
        <p className="font-mono text-sm font-semibold">{label}</p>
      </div>
      {summary.data ? (
        <>
          <p className="text-sm">
            <span className="tabular text-2xl font-semibold" data-testid="selection-cost">
              {formatUsd(summary.data.current.costNanoUsd)}
            </span>{" "}
            <span className="text-zinc-500">cost</span>
          </p>
          <p className="text-sm">
            <span className="tabular text-lg font-semibold">{formatInteger(summary.data.current.requests)}</span> <span className="text-zinc-500">requests</span>
          </p>
          <p className="text-sm">
            <span className="tabular text-lg font-semibold">{formatCompact(summary.data.current.inputTokens + summary.data.current.outputTokens)}</span>{" "}
            <span className="text-zinc-500">tokens</span>
          </p>
        </>
      ) : (
        <Skeleton className="h-7 w-48" />
      )}
    </div>
  );
}

export function TagsView() {
  const trpc = useTRPC();
  const { state, query, tz, setFilters } = useFilters();
  const byTag = useQuery(trpc.usage.byTag.queryOptions({ ...query, tz }));
  const groups = useMemo(() => (byTag.data ? prepareTagGroups(byTag.data.groups) : []), [byTag.data]);

  return (
    <div className="space-y-6">
      <PageHeader
        title="Tags"
        description="Cost and requests per tag sent in x-tags. Select tags to filter every view; a request counts under each of its tags."
      />
      <FilterBar />
      <SelectionSummary />
      {byTag.error && <Alert tone="danger">{errorMessage(byTag.error)}</Alert>}
      {byTag.isPending ? (
        <LoadingBlock rows={6} />
      ) : groups.length === 0 ? (
        <Card>
          <EmptyState title="No tagged requests in this range">
            Send <code className="font-mono">x-tags: team:ml, feature:search</code> with requests to break costs down by team, feature or anything else.
          </EmptyState>
        </Card>
      ) : (
        groups.map((g) => (
          <Card key={g.tagKey} aria-labelledby={`tag-group-${g.tagKey || "bare"}`} data-testid={`tag-group-${g.tagKey || "bare"}`}>
            <CardHeader id={`tag-group-${g.tagKey || "bare"}`} title={<span className="font-mono">{g.label}</span>} description={`${formatInteger(g.requests)} tagged requests`} />
            <CardBody className="grid gap-6 lg:grid-cols-5">
              <div className="lg:col-span-2">
                {g.bars.length > 0 && <BarListChart data={g.bars} valueLabel="Cost" format={(v) => formatUsdAmount(v)} ariaLabel={`Cost per ${g.label}`} />}
              </div>
              <div className="lg:col-span-3">
                <TableWrap label={`Values of ${g.label}`}>
                  <thead>
                    <tr>
                      <Th>Tag</Th>
                      <Th align="right">Requests</Th>
                      <Th align="right">Tokens</Th>
                      <Th align="right">Errors</Th>
                      <Th align="right">Cost</Th>
                    </tr>
                  </thead>
                  <tbody>
                    {g.values.map((v) => {
                      const on = state.tags.includes(v.tag);
                      return (
                        <Tr key={v.tag} className={cn(on && "bg-accent-50/60 dark:bg-accent-500/10")}>
                          <Td>
                            <button
                              type="button"
                              aria-pressed={on}
                              onClick={() => setFilters(toggleTag(state, v.tag))}
                              className={cn(
                                "inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 font-mono text-xs ring-1 ring-inset",
                                on
                                  ? "bg-accent-600 text-white ring-accent-600"
                                  : "bg-white text-zinc-700 ring-zinc-300 hover:ring-accent-400 dark:bg-zinc-900 dark:text-zinc-200 dark:ring-zinc-700",
                              )}
                              title={on ? "Remove from filter" : "Filter by this tag"}
                            >
                              {v.tag}
                              <span aria-hidden>{on ? "✓" : "+"}</span>
                            </button>
                          </Td>
                          <Td align="right">{formatInteger(v.requests)}</Td>
                          <Td align="right">{formatCompact(v.inputTokens + v.outputTokens)}</Td>
                          <Td align="right">{formatPercent(v.errorRate)}</Td>
                          <Td align="right" className="font-medium">
                            {formatUsd(v.costNanoUsd)}
                          </Td>
                        </Tr>
                      );
                    })}
                  </tbody>
                </TableWrap>
              </div>
            </CardBody>
          </Card>
        ))
      )}
    </div>
  );
}
