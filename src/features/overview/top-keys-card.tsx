"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { LoadingBlock } from "@/components/ui/skeleton";
import { TableWrap, Td, Th, Tr } from "@/components/ui/table";
import { formatCompact, formatInteger, formatPercent, formatUsd } from "@/lib/format";
import { useTRPC } from "@/trpc/react";
import { errorMessage } from "@/trpc/errors";
import { serializeFilters } from "@/features/filters/filter-state";
import { useFilters } from "@/features/filters/use-filters";

const TOP = 10;

/** Spend per gateway key; a row narrows every view to that key. */
export function TopKeysCard() {
  const trpc = useTRPC();
  const { state, query, tz } = useFilters();
  const keys = useQuery(trpc.usage.byApiKey.queryOptions({ ...query, tz }));
  return (
    <Card aria-labelledby="top-keys">
      <CardHeader id="top-keys" title="Gateway keys by cost" description={`Top ${TOP} in the selected range`} />
      {keys.isPending ? (
        <LoadingBlock className="p-5" />
      ) : keys.error ? (
        <Alert tone="danger" className="m-5">
          {errorMessage(keys.error)}
        </Alert>
      ) : keys.data.rows.length === 0 ? (
        <EmptyState title="No key usage in this range" />
      ) : (
        <TableWrap label="Gateway keys by cost">
          <thead>
            <tr>
              <Th>Key</Th>
              <Th align="right">Requests</Th>
              <Th align="right">Tokens in / out</Th>
              <Th align="right">Error rate</Th>
              <Th align="right">Cost</Th>
            </tr>
          </thead>
          <tbody>
            {keys.data.rows.slice(0, TOP).map((r) => (
              <Tr key={r.apiKeyId ?? "none"}>
                <Td>
                  {r.apiKeyId ? (
                    <Link className="font-medium hover:underline" href={`/overview?${serializeFilters({ ...state, key: r.apiKeyId })}`}>
                      {r.name ?? "deleted key"}
                    </Link>
                  ) : (
                    <span className="text-zinc-500">No key (rejected before authentication)</span>
                  )}{" "}
                  {r.prefix && <span className="font-mono text-xs text-zinc-500">{r.prefix}…</span>} {r.revoked && <Badge tone="danger">revoked</Badge>}
                </Td>
                <Td align="right">{formatInteger(r.requests)}</Td>
                <Td align="right">
                  {formatCompact(r.inputTokens)} / {formatCompact(r.outputTokens)}
                </Td>
                <Td align="right">{formatPercent(r.errorRate)}</Td>
                <Td align="right" className="font-medium">
                  {formatUsd(r.costNanoUsd)}
                </Td>
              </Tr>
            ))}
          </tbody>
        </TableWrap>
      )}
    </Card>
  );
}
