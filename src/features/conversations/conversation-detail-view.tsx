"use client";

import Link from "next/link";
import { useMemo } from "react";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState } from "@/components/ui/empty-state";
import { LoadingBlock } from "@/components/ui/skeleton";
import { formatCompact, formatDateTime, formatDateTimePrecise, formatDuration, formatInteger, formatUsd } from "@/lib/format";
import { useTRPC } from "@/trpc/react";
import { errorMessage } from "@/trpc/errors";
import { serializeFilters } from "@/features/filters/filter-state";
import { useFilters } from "@/features/filters/use-filters";
import { StatusBadge } from "@/features/requests/status-badge";
import { useViewer } from "@/features/shell/viewer-context";
import { transcriptOf } from "./prepare-conversation";
import { Transcript } from "./transcript";

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="tabular mt-0.5 text-sm font-semibold">{children}</dd>
    </div>
  );
}

export function ConversationDetailView({ conversationId }: { conversationId: string }) {
  const trpc = useTRPC();
  const viewer = useViewer();
  const { state } = useFilters();
  const detail = useInfiniteQuery(
    trpc.conversations.get.infiniteQueryOptions({ conversationId, limit: 200 }, { getNextPageParam: (p) => p?.nextCursor ?? undefined }),
  );
  const conv = detail.data?.pages[0]?.conversation;
  const requests = useMemo(() => detail.data?.pages.flatMap((p) => p?.requests ?? []) ?? [], [detail.data]);
  const ids = requests.map((r) => r.id).slice(0, 1000);
  const payloads = useQuery(
    trpc.conversations.payloads.queryOptions({ conversationId, ids }, { enabled: viewer.can.viewPayloads && ids.length > 0 }),
  );
  const bodies = useMemo(() => new Map((payloads.data ?? []).map((p) => [p.id, p])), [payloads.data]);
  const back = `/conversations${serializeFilters(state).toString() ? `?${serializeFilters(state)}` : ""}`;

  return (
    <div className="space-y-6">
      <div>
        <Link href={back} className="text-sm text-zinc-500 hover:text-zinc-900 dark:hover:text-zinc-100">
          ← Conversations
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-2">
          <h1 className="font-mono text-lg font-semibold break-all">{conversationId}</h1>
          <CopyButton value={conversationId} label="Copy id" />
        </div>
      </div>
      {detail.error && <Alert tone="danger">{errorMessage(detail.error)}</Alert>}
      {detail.isPending ? (
        <LoadingBlock rows={8} />
      ) : !conv ? (
        <Card>
          <EmptyState title="Conversation not found">No request carried this conversation id (or its rows were removed by retention).</EmptyState>
        </Card>
      ) : (
        <>
          <Card>
            <CardBody>
              <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
                <Fact label="Turns">{formatInteger(conv.requests)}</Fact>
                <Fact label="Tokens in / out">
                  {formatCompact(conv.inputTokens)} / {formatCompact(conv.outputTokens)}
                </Fact>
                <Fact label="Cost">{formatUsd(conv.costNanoUsd)}</Fact>
                <Fact label="Errors">{formatInteger(conv.errorRequests)}</Fact>
                <Fact label="First request">{formatDateTime(conv.firstAt)}</Fact>
                <Fact label="Last request">{formatDateTime(conv.lastAt)}</Fact>
              </dl>
              <div className="mt-4 flex flex-wrap gap-1.5">
                {conv.models.map((m) => (
                  <Badge key={m} tone="accent">
                    {m}
                  </Badge>
                ))}
                {conv.tags.map((t) => (
                  <Badge key={t}>
                    <span className="font-mono">{t}</span>
                  </Badge>
                ))}
              </div>
            </CardBody>
          </Card>
          {!viewer.can.viewPayloads && <Alert tone="info">Message contents are visible to the execute and admin roles.</Alert>}
          {viewer.can.viewPayloads && payloads.isSuccess && bodies.size === 0 && (
            <Alert tone="info">
              No messages were logged for this conversation. {viewer.can.editSettings ? <Link className="underline" href="/settings">Turn on payload logging</Link> : "An admin can turn on payload logging"} to keep them for new requests.
            </Alert>
          )}
          <Card aria-labelledby="turns-title">
            <CardHeader id="turns-title" title="Turns" description="Every request of the conversation, oldest first." />
            <ol className="divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="conversation-turns">
              {requests.map((r, i) => {
                const body = bodies.get(r.id);
                return (
                  <li key={r.id} className="px-5 py-4">
                    <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
                      <span className="grid size-6 place-items-center rounded-full bg-zinc-900 text-xs font-semibold text-white dark:bg-zinc-100 dark:text-zinc-900">{i + 1}</span>
                      <span className="text-zinc-500" title={formatDateTimePrecise(r.createdAt)}>
                        {formatDateTime(r.createdAt)}
                      </span>
                      <span className="font-medium">{r.model}</span>
                      {r.provider && <span className="text-xs text-zinc-500">{r.provider}</span>}
                      <StatusBadge status={r.status} httpStatus={r.httpStatus} />
                      <span className="tabular text-zinc-600 dark:text-zinc-400">
                        {formatInteger(r.inputTokens)} in · {formatInteger(r.outputTokens)} out
                      </span>
                      <span className="tabular font-medium">{formatUsd(r.costNanoUsd)}</span>
                      <span className="tabular text-zinc-600 dark:text-zinc-400">{formatDuration(r.latencyMs)}</span>
                      {r.streamed && <Badge>stream</Badge>}
                      <Link
                        href={`/requests/${r.id}?at=${encodeURIComponent(r.createdAt.toISOString())}`}
                        className="ml-auto text-xs font-medium text-accent-600 hover:underline dark:text-accent-400"
                      >
                        Details<span className="sr-only"> of turn {i + 1}</span>
                      </Link>
                    </div>
                    {body && (
                      <div className="mt-3 sm:pl-10">
                        <Transcript t={transcriptOf(body.requestBody, body.responseBody)} streamed={r.streamed} />
                      </div>
                    )}
                  </li>
                );
              })}
            </ol>
            {detail.hasNextPage && (
              <div className="border-t border-zinc-100 p-3 text-center dark:border-zinc-800">
                <Button size="sm" busy={detail.isFetchingNextPage} onClick={() => void detail.fetchNextPage()}>
                  Load later turns
                </Button>
              </div>
            )}
          </Card>
        </>
      )}
    </div>
  );
}
