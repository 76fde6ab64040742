"use client";

import Link from "next/link";
import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { BarListChart } from "@/components/charts/bar-list-chart";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Segmented } from "@/components/ui/segmented";
import { LoadingBlock, Skeleton } from "@/components/ui/skeleton";
import { SortTh, TableWrap, Td, Th, Tr } from "@/components/ui/table";
import { formatCompact, formatDuration, formatInteger, formatPercent, formatUsd, formatUsdAmount } from "@/lib/format";
import { useTRPC } from "@/trpc/react";
import { errorMessage } from "@/trpc/errors";
import { FilterBar } from "@/features/filters/filter-bar";
import { serializeFilters } from "@/features/filters/filter-state";
import { useFilters } from "@/features/filters/use-filters";
import { metricLabels, metrics, sortBreakdown, topBars, type BreakdownRow, type Metric, type SortKey } from "./prepare-breakdown";
import { useViewParam, useViewParams } from "./use-view-param";

const sortKeys = ["label", "requests", "inputTokens", "outputTokens", "cost", "avgLatency", "p95Latency", "errorRate", "tokens"] as const satisfies readonly SortKey[];
const dirs = ["desc", "asc"] as const;

const metricFormat: Record<Metric, (v: number) => string> = {
  cost: (v) => formatUsdAmount(v),
  tokens: formatCompact,
  requests: formatInteger,
  avgLatency: formatDuration,
  p95Latency: formatDuration,
  errorRate: formatPercent,
};

interface Props {
  kind: "model" | "provider";
}

const copy = {
  model: { title: "Models", description: "Cost, tokens, latency and errors per model as clients requested it.", column: "Model" },
  provider: { title: "Providers", description: "The same, per upstream provider.", column: "Provider" },
};

export function BreakdownView({ kind }: Props) {
  const trpc = useTRPC();
  const { state, query, tz } = useFilters();
  const [metric, setMetric] = useViewParam<Metric>("metric", metrics, "cost");
  const view = useViewParams();
  const sort = view.read<SortKey>("sort", sortKeys, "cost");
  const dir = view.read("dir", dirs, "desc");
  const byModel = useQuery(trpc.usage.byModel.queryOptions({ ...query, tz }, { enabled: kind === "model" }));
  const byProvider = useQuery(trpc.usage.byProvider.queryOptions({ ...query, tz }, { enabled: kind === "provider" }));
  const source = kind === "model" ? byModel : byProvider;

  const rows: BreakdownRow[] = useMemo(() => {
    if (kind === "model") return (byModel.data?.rows ?? []).map((r) => ({ id: r.model, label: r.model, sub: r.providers.join(", "), totals: r }));
    return (byProvider.data?.rows ?? []).map((r) => ({ id: r.provider ?? "", label: r.provider ?? "(none: rejected before routing)", totals: r }));
  }, [kind, byModel.data, byProvider.data]);
  const sorted = useMemo(() => sortBreakdown(rows, sort, dir), [rows, sort, dir]);
  const chart = useMemo(() => topBars(rows, metric), [rows, metric]);

  const onSort = (key: SortKey) => {
    const nextDir = key === sort ? (dir === "desc" ? "asc" : "desc") : key === "label" ? "asc" : "desc";
    view.update({ sort: key === "cost" ? null : key, dir: nextDir === "desc" ? null : nextDir });
  };
  const th = (key: SortKey, label: string, align: "left" | "right" = "right") => (
    <SortTh label={label} active={sort === key} direction={dir} onSort={() => onSort(key)} align={align} />
  );
  const drill = (r: BreakdownRow) =>
    `/overview?${serializeFilters(kind === "model" ? { ...state, model: r.id } : { ...state, provider: r.id || null })}`;

  return (
    <div className="space-y-6">
      <PageHeader title={copy[kind].title} description={copy[kind].description} />
      <FilterBar />
      {source.error && <Alert tone="danger">{errorMessage(source.error)}</Alert>}
      <Card aria-labelledby="breakdown-chart">
        <CardHeader
          id="breakdown-chart"
          title={`${metricLabels[metric]} by ${kind}`}
          actions={<Segmented label="Chart metric" options={metrics.map((m) => ({ value: m, label: metricLabels[m] }))} value={metric} onChange={setMetric} />}
        />
        <CardBody>
          {source.isPending ? (
            <Skeleton className="h-48" />
          ) : chart.bars.length === 0 ? (
            <EmptyState title="No data for this chart" />
          ) : (
            <>
              <BarListChart data={chart.bars} valueLabel={metricLabels[metric]} format={metricFormat[metric]} ariaLabel={`${metricLabels[metric]} by ${kind}`} />
              {chart.hidden > 0 && <p className="mt-2 text-xs text-zinc-500">{chart.hidden} more not shown.</p>}
            </>
          )}
        </CardBody>
      </Card>
      <Card>
        {source.isPending ? (
          <LoadingBlock className="p-5" />
        ) : sorted.length === 0 ? (
          <EmptyState title={`No ${kind} usage in this range`}>Widen the time range or clear filters.</EmptyState>
        ) : (
          <TableWrap label={`${copy[kind].title} table`}>
            <thead>
              <tr>
                {th("label", copy[kind].column, "left")}
                {th("requests", "Requests")}
                {th("inputTokens", "Input tokens")}
                {th("outputTokens", "Output tokens")}
                {th("cost", "Cost")}
                {th("avgLatency", "Avg latency")}
                {th("p95Latency", "p95")}
                {th("errorRate", "Errors")}
                <Th>
                  <span className="sr-only">Drill down</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((r) => (
                <Tr key={r.id}>
                  <Td>
                    <span className="font-medium">{r.label}</span>
                    {r.sub && <span className="block text-xs text-zinc-500">via {r.sub}</span>}
                  </Td>
                  <Td align="right">{formatInteger(r.totals.requests)}</Td>
                  <Td align="right">{formatCompact(r.totals.inputTokens)}</Td>
                  <Td align="right">{formatCompact(r.totals.outputTokens)}</Td>
                  <Td align="right" className="font-medium">
                    {formatUsd(r.totals.costNanoUsd)}
                  </Td>
                  <Td align="right">{formatDuration(r.totals.avgLatencyMs)}</Td>
                  <Td align="right">{formatDuration(r.totals.p95LatencyMs)}</Td>
                  <Td align="right">{formatPercent(r.totals.errorRate)}</Td>
                  <Td align="right">
                    {r.id && (
                      <Link href={drill(r)} className="text-xs font-medium text-accent-600 hover:underline dark:text-accent-400">
                        Filter<span className="sr-only"> overview by {r.label}</span>
                      </Link>
                    )}
                  </Td>
                </Tr>
              ))}
            </tbody>
          </TableWrap>
        )}
      </Card>
    </div>
  );
}
