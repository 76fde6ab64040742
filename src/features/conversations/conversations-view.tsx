"use client";

import Link from "next/link";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingBlock } from "@/components/ui/skeleton";
import { TableWrap, Td, Th, Tr } from "@/components/ui/table";
import { formatCompact, formatDateTime, formatInteger, formatRelative, formatUsd } from "@/lib/format";
import { useTRPC } from "@/trpc/react";
import { errorMessage } from "@/trpc/errors";
import { FilterBar } from "@/features/filters/filter-bar";
import { serializeFilters } from "@/features/filters/filter-state";
import { useFilters } from "@/features/filters/use-filters";

export function ConversationsView() {
  const trpc = useTRPC();
  const { state, query } = useFilters();
  const input = { from: query.from, to: query.to, model: query.model, apiKeyId: query.apiKeyId, tags: query.tags, limit: 50 };
  const list = useInfiniteQuery(trpc.conversations.list.infiniteQueryOptions(input, { getNextPageParam: (p) => p.nextCursor ?? undefined }));
  const rows = list.data?.pages.flatMap((p) => p.rows) ?? [];
  const qs = serializeFilters(state).toString();

  return (
    <div className="space-y-6">
      <PageHeader title="Conversations" description="Requests grouped by the x-conversation-id header, most recently active first." />
      <FilterBar showProvider={false} />
      {list.error && <Alert tone="danger">{errorMessage(list.error)}</Alert>}
      <Card>
        {list.isPending ? (
          <LoadingBlock className="p-5" rows={6} />
        ) : rows.length === 0 ? (
          <EmptyState title="No conversations in this range">
            Send <code className="font-mono">x-conversation-id: &lt;your id&gt;</code> with each request of a chat to follow it turn by turn here.
          </EmptyState>
        ) : (
          <TableWrap label="Conversations">
            <thead>
              <tr>
                <Th>Conversation</Th>
                <Th align="right">Turns</Th>
                <Th>Models</Th>
                <Th align="right">Tokens in / out</Th>
                <Th align="right">Cost</Th>
                <Th>First</Th>
                <Th>Last</Th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <Tr key={c.conversationId}>
                  <Td className="max-w-72">
                    <Link
                      href={`/conversations/${encodeURIComponent(c.conversationId)}${qs ? `?${qs}` : ""}`}
                      className="block truncate font-mono text-xs font-medium text-accent-700 hover:underline dark:text-accent-400"
                    >
                      {c.conversationId}
                    </Link>
                    {c.tags.length > 0 && <span className="mt-0.5 block truncate text-[11px] text-zinc-500">{c.tags.join(" · ")}</span>}
                  </Td>
                  <Td align="right">
                    {formatInteger(c.requests)}
                    {c.errorRequests > 0 && (
                      <Badge tone="danger" className="ml-1.5">
                        {c.errorRequests} failed
                      </Badge>
                    )}
                  </Td>
                  <Td>
                    <div className="flex flex-wrap gap-1">
                      {c.models.map((m) => (
                        <Badge key={m}>{m}</Badge>
                      ))}
                    </div>
                  </Td>
                  <Td align="right">
                    {formatCompact(c.inputTokens)} / {formatCompact(c.outputTokens)}
                  </Td>
                  <Td align="right" className="font-medium">
                    {formatUsd(c.costNanoUsd)}
                  </Td>
                  <Td className="text-zinc-500">{formatDateTime(c.firstAt)}</Td>
                  <Td className="text-zinc-500">
                    <span title={formatDateTime(c.lastAt)}>{formatRelative(c.lastAt)}</span>
                  </Td>
                </Tr>
              ))}
            </tbody>
          </TableWrap>
        )}
        {list.hasNextPage && (
          <div className="border-t border-zinc-100 p-3 text-center dark:border-zinc-800">
            <Button size="sm" busy={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              Load more
            </Button>
          </div>
        )}
      </Card>
    </div>
  );
}
