"use client";

import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { colorAt } from "@/components/charts/palette";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Segmented } from "@/components/ui/segmented";
import { Skeleton } from "@/components/ui/skeleton";
import { StatCard } from "@/components/ui/stat-card";
import { formatBucket, formatCompact, formatDateTime, formatInteger, formatUsdAmount } from "@/lib/format";
import { useTRPC } from "@/trpc/react";
import { errorMessage } from "@/trpc/errors";
import { FilterBar } from "@/features/filters/filter-bar";
import type { BucketChoice } from "@/features/filters/filter-state";
import { useFilters } from "@/features/filters/use-filters";
import { TopKeysCard } from "./top-keys-card";
import { hasTraffic, prepareStatCards, prepareTimeSeries } from "./prepare-overview";

const bucketOptions = [
  { value: "auto", label: "Auto" },
  { value: "hour", label: "Hourly" },
  { value: "day", label: "Daily" },
] as const satisfies ReadonlyArray<{ value: BucketChoice; label: string }>;

export function OverviewView() {
  const trpc = useTRPC();
  const { state, query, tz, setFilters, now } = useFilters();
  const bucket = state.bucket === "auto" ? undefined : state.bucket;
  const summary = useQuery(trpc.usage.summary.queryOptions({ ...query, tz }));
  const series = useQuery(trpc.usage.timeseries.queryOptions({ ...query, tz, bucket }));

  const cards = summary.data ? prepareStatCards(summary.data.current, summary.data.previous) : null;
  const rows = useMemo(() => (series.data ? prepareTimeSeries(series.data.points, series.data.bucket, new Date(now)) : []), [series.data, now]);
  const b = series.data?.bucket ?? "hour";
  const xTick = (t: number) => formatBucket(new Date(t), b, "axis");
  const title = (t: number) => formatBucket(new Date(t), b, "tooltip");

  return (
    <div className="space-y-6">
      <PageHeader
        title="Overview"
        description={summary.data ? `${formatDateTime(summary.data.from)} – ${formatDateTime(summary.data.to)}, compared with the period before` : "Traffic, tokens and cost"}
      />
      <FilterBar />
      {summary.error && <Alert tone="danger">{errorMessage(summary.error)}</Alert>}
      {/* Volume and money on the first row, speed and reliability on the second. */}
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-6 lg:grid-cols-12" data-testid="stat-cards">
        {(cards ?? ["Requests", "Input tokens", "Output tokens", "Cost", "Avg latency", "p95 latency", "Error rate"].map((label) => ({ label, value: "", change: undefined }))).map((c, i) => (
          <div key={c.label} className={i < 4 ? "sm:col-span-3" : "sm:col-span-2 lg:col-span-4"}>
            <StatCard label={c.label} value={c.value} sub={"sub" in c ? c.sub : undefined} change={c.change} loading={!cards} />
          </div>
        ))}
      </div>
      <Card aria-labelledby="trend-title">
        <CardHeader
          id="trend-title"
          title="Trend"
          description={series.data ? `${series.data.bucket === "hour" ? "Hourly" : "Daily"} buckets${series.data.bucket === "day" ? ` (${series.data.tz})` : ""}` : undefined}
          actions={<Segmented label="Bucket size" options={bucketOptions} value={state.bucket} onChange={(v) => setFilters({ ...state, bucket: v })} />}
        />
        <CardBody>
          {series.error ? (
            <Alert tone="danger">{errorMessage(series.error)}</Alert>
          ) : series.isPending ? (
            <div className="grid gap-6 lg:grid-cols-3">
              {[0, 1, 2].map((i) => (
                <Skeleton key={i} className="h-56" />
              ))}
            </div>
          ) : !hasTraffic(rows) ? (
            <EmptyState title="No requests in this range">
              Send traffic through <code className="font-mono">/api/ai/v1</code> with a gateway key, or widen the time range and filters.
            </EmptyState>
          ) : (
            <div className="grid gap-6 lg:grid-cols-3" data-testid="trend-charts">
              <div>
                <h3 className="mb-2 text-xs font-medium text-zinc-500">Requests</h3>
                <TimeSeriesChart
                  ariaLabel="Requests and errors over time"
                  data={rows}
                  integerTicks
                  xTick={xTick}
                  tooltipTitle={title}
                  yTick={formatCompact}
                  series={[
                    { key: "requests", label: "Requests", color: colorAt(0), format: formatInteger },
                    { key: "errors", label: "Errors", color: colorAt(6), format: formatInteger },
                  ]}
                />
              </div>
              <div>
                <h3 className="mb-2 text-xs font-medium text-zinc-500">Tokens</h3>
                <TimeSeriesChart
                  ariaLabel="Input and output tokens over time"
                  data={rows}
                  integerTicks
                  stacked
                  xTick={xTick}
                  tooltipTitle={title}
                  yTick={formatCompact}
                  series={[
                    { key: "inputTokens", label: "Input", color: colorAt(4), format: formatInteger },
                    { key: "outputTokens", label: "Output", color: colorAt(1), format: formatInteger },
                  ]}
                />
              </div>
              <div>
                <h3 className="mb-2 text-xs font-medium text-zinc-500">Cost</h3>
                <TimeSeriesChart
                  ariaLabel="Cost over time"
                  data={rows}
                  xTick={xTick}
                  tooltipTitle={title}
                  yTick={(v) => formatUsdAmount(v, { compact: true })}
                  series={[{ key: "costUsd", label: "Cost", color: colorAt(2), format: (v) => formatUsdAmount(v) }]}
                />
              </div>
            </div>
          )}
        </CardBody>
      </Card>
      <TopKeysCard />
    </div>
  );
}
