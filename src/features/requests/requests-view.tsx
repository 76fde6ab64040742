"use client";

import Link from "next/link";
import { useRouter, useSearchParams, usePathname } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Segmented } from "@/components/ui/segmented";
import { LoadingBlock } from "@/components/ui/skeleton";
import { TableWrap, Td, Th, Tr } from "@/components/ui/table";
import { formatDateTimePrecise, formatDuration, formatInteger, formatUsd } from "@/lib/format";
import { useTRPC } from "@/trpc/react";
import { errorMessage } from "@/trpc/errors";
import { FilterBar } from "@/features/filters/filter-bar";
import { csvExportParams } from "@/features/filters/filter-state";
import { useFilters } from "@/features/filters/use-filters";
import { useViewParam } from "@/features/breakdown/use-view-param";
import { StatusBadge } from "./status-badge";

const statuses = ["all", "success", "error", "cancelled"] as const;
type StatusChoice = (typeof statuses)[number];
const PAGE = 50;

export function RequestsView() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const { query } = useFilters();
  const [status, setStatus] = useViewParam<StatusChoice>("status", statuses, "all");
  const cursor = params.get("cursor") ?? undefined;
  const page = params.get("page") ? Math.max(1, Number(params.get("page")) || 1) : 1;
  const statusFilter = status === "all" ? [] : [status];
  const list = useQuery(trpc.requests.list.queryOptions({ ...query, status: statusFilter, cursor, limit: PAGE }, { placeholderData: (prev) => prev }));

  const goTo = (next: string | null, n: number) => {
    const p = new URLSearchParams(params.toString());
    if (next) p.set("cursor", next);
    else p.delete("cursor");
    if (n > 1) p.set("page", String(n));
    else p.delete("page");
    router.push(`${pathname}?${p}`, { scroll: false });
  };
  const csvHref = `/requests/export?${csvExportParams(query, { status: statusFilter })}`;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Requests"
        description="The request ledger: one row per call through the gateway, newest first."
        actions={
          <a href={csvHref} className={buttonClass("secondary", "sm")} download>
            Export CSV
          </a>
        }
      />
      <FilterBar />
      <Segmented label="Status" options={statuses.map((s) => ({ value: s, label: s === "all" ? "All statuses" : s[0]!.toUpperCase() + s.slice(1) }))} value={status} onChange={setStatus} />
      {list.error && <Alert tone="danger">{errorMessage(list.error)}</Alert>}
      <Card>
        {list.isPending ? (
          <LoadingBlock className="p-5" rows={8} />
        ) : !list.data || list.data.rows.length === 0 ? (
          <EmptyState title="No requests match">Widen the time range or clear filters.</EmptyState>
        ) : (
          <TableWrap label="Requests">
            <thead>
              <tr>
                <Th>Time</Th>
                <Th>Model</Th>
                <Th>Status</Th>
                <Th align="right">In</Th>
                <Th align="right">Out</Th>
                <Th align="right">Cost</Th>
                <Th align="right">Latency</Th>
                <Th>Tags</Th>
                <Th>Conversation</Th>
              </tr>
            </thead>
            <tbody className={list.isPlaceholderData ? "opacity-60" : undefined}>
              {list.data.rows.map((r) => (
                <Tr key={r.id}>
                  <Td className="whitespace-nowrap">
                    <Link href={`/requests/${r.id}?at=${encodeURIComponent(r.createdAt.toISOString())}`} className="tabular text-xs font-medium text-accent-700 hover:underline dark:text-accent-400">
                      {formatDateTimePrecise(r.createdAt)}
                    </Link>
                  </Td>
                  <Td>
                    <span className="font-medium">{r.model || "—"}</span>
                    <span className="block text-xs text-zinc-500">
                      {r.provider ?? "no provider"} · {r.endpoint}
                      {r.streamed ? " · stream" : ""}
                    </span>
                  </Td>
                  <Td>
                    <StatusBadge status={r.status} httpStatus={r.httpStatus} /> {r.byok && <Badge tone="warning">BYOK</Badge>}
                  </Td>
                  <Td align="right">{formatInteger(r.inputTokens)}</Td>
                  <Td align="right">{formatInteger(r.outputTokens)}</Td>
                  <Td align="right">{formatUsd(r.costNanoUsd)}</Td>
                  <Td align="right">{formatDuration(r.latencyMs)}</Td>
                  <Td className="max-w-48 truncate font-mono text-[11px] text-zinc-500">{r.tags.join(" ")}</Td>
                  <Td className="max-w-40 truncate font-mono text-[11px]">
                    {r.conversationId && (
                      <Link href={`/conversations/${encodeURIComponent(r.conversationId)}`} className="hover:underline">
                        {r.conversationId}
                      </Link>
                    )}
                  </Td>
                </Tr>
              ))}
            </tbody>
          </TableWrap>
        )}
        <nav aria-label="Pages" className="flex items-center justify-between gap-2 border-t border-zinc-100 px-4 py-3 text-sm dark:border-zinc-800">
          <span className="text-zinc-500">Page {page}</span>
          <div className="flex gap-2">
            <Button size="sm" disabled={!cursor} onClick={() => goTo(null, 1)}>
              Newest
            </Button>
            <Button size="sm" disabled={!cursor} onClick={() => router.back()}>
              ← Newer
            </Button>
            <Button size="sm" disabled={!list.data?.nextCursor} onClick={() => list.data?.nextCursor && goTo(list.data.nextCursor, page + 1)}>
              Older →
            </Button>
          </div>
        </nav>
      </Card>
    </div>
  );
}
