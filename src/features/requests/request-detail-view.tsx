"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState } from "@/components/ui/empty-state";
import { LoadingBlock } from "@/components/ui/skeleton";
import { formatDateTimePrecise, formatDuration, formatInteger, formatUsd } from "@/lib/format";
import { useTRPC } from "@/trpc/react";
import { errorMessage } from "@/trpc/errors";
import { StatusBadge } from "./status-badge";

function Row({ label, children, mono }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <div className="grid grid-cols-3 gap-3 py-2 text-sm">
      <dt className="text-zinc-500">{label}</dt>
      <dd className={`col-span-2 break-all ${mono ? "font-mono text-xs" : ""}`}>{children ?? <span className="text-zinc-400">—</span>}</dd>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card>
      <CardHeader title={title} />
      <CardBody className="py-2">
        <dl className="divide-y divide-zinc-100 dark:divide-zinc-800">{children}</dl>
      </CardBody>
    </Card>
  );
}

function Json({ title, value }: { title: string; value: unknown }) {
  const text = JSON.stringify(value, null, 2);
  return (
    <Card>
      <CardHeader title={title} actions={<CopyButton value={text} label="Copy JSON" />} />
      <pre className="max-h-[32rem] overflow-auto px-5 py-4 font-mono text-xs leading-relaxed">{text}</pre>
    </Card>
  );
}

/** Every ledger column of one request. Bodies only when they were logged and the role may read them. */
export function RequestDetailView({ id, at }: { id: string; at: string | null }) {
  const trpc = useTRPC();
  const validAt = at && !Number.isNaN(Date.parse(at)) ? new Date(at) : undefined;
  const req = useQuery(trpc.requests.get.queryOptions({ id, createdAt: validAt }));
  const r = req.data;
  return (
    <div className="space-y-6">
      <div>
        <Link href="/requests" className="text-sm text-zinc-500 hover:text-zinc-900 dark:hover:text-zinc-100">
          ← Requests
        </Link>
        <h1 className="mt-2 flex flex-wrap items-center gap-2 text-lg font-semibold">
          Request <span className="font-mono text-sm font-normal text-zinc-500">{id}</span>
          {r && <StatusBadge status={r.status} httpStatus={r.httpStatus} />}
          {r?.byok && <Badge tone="warning">BYOK</Badge>}
        </h1>
      </div>
      {req.error && <Alert tone="danger">{errorMessage(req.error)}</Alert>}
      {req.isPending ? (
        <LoadingBlock rows={10} />
      ) : !r ? (
        <Card>
          <EmptyState title="Request not found">It may have been removed by the ledger's retention setting.</EmptyState>
        </Card>
      ) : (
        <>
          {r.errorMessage && (
            <Alert tone="danger" title={r.errorCode ?? "Error"}>
              <span data-testid="request-error-message">{r.errorMessage}</span>
              {r.upstreamStatus !== null && <span className="block text-xs opacity-75">Upstream answered HTTP {r.upstreamStatus}.</span>}
            </Alert>
          )}
          <div className="grid gap-6 lg:grid-cols-2">
            <Section title="Request">
              <Row label="Time">{formatDateTimePrecise(r.createdAt)}</Row>
              <Row label="Endpoint">{r.endpoint}</Row>
              <Row label="Model">{r.model}</Row>
              <Row label="Provider">{r.provider}</Row>
              <Row label="Streamed">{r.streamed ? "yes" : "no"}</Row>
              <Row label="BYOK">{r.byok ? "yes — the caller's own provider key (never stored)" : "no"}</Row>
              <Row label="HTTP status">{r.httpStatus}</Row>
              <Row label="Error code">{r.errorCode}</Row>
              <Row label="Upstream status">{r.upstreamStatus}</Row>
            </Section>
            <Section title="Usage and cost">
              <Row label="Input tokens">{formatInteger(r.inputTokens)}</Row>
              <Row label="Cached input">{formatInteger(r.cachedInputTokens)}</Row>
              <Row label="Cache write">{formatInteger(r.cacheWriteTokens)}</Row>
              <Row label="Output tokens">{formatInteger(r.outputTokens)}</Row>
              <Row label="Reasoning tokens">{formatInteger(r.reasoningTokens)}</Row>
              <Row label="Cost">
                {formatUsd(r.costNanoUsd)} {r.costUsd && <span className="font-mono text-xs text-zinc-500">(${r.costUsd})</span>}
              </Row>
              <Row label="Pricing">
                {r.pricingStatus}
                {r.priceVersion ? ` · ${r.priceVersion}` : ""}
              </Row>
              <Row label="Latency">{formatDuration(r.latencyMs)}</Row>
              <Row label="Time to first token">{r.ttftMs === null ? null : formatDuration(r.ttftMs)}</Row>
            </Section>
            <Section title="Identity">
              <Row label="Request id" mono>
                {r.requestId}
              </Row>
              <Row label="Trace id" mono>
                {r.traceId}
              </Row>
              <Row label="Gateway key id" mono>
                {r.apiKeyId}
              </Row>
              <Row label="Conversation" mono>
                {r.conversationId && (
                  <Link className="text-accent-700 hover:underline dark:text-accent-400" href={`/conversations/${encodeURIComponent(r.conversationId)}`}>
                    {r.conversationId}
                  </Link>
                )}
              </Row>
              <Row label="Tags" mono>
                {r.tags.length > 0 ? r.tags.join(", ") : null}
              </Row>
            </Section>
          </div>
          {r.payloadsHidden && <Alert tone="info">Messages were logged for this request; they are visible to the execute and admin roles.</Alert>}
          {r.requestBody !== null && <Json title="Request body" value={r.requestBody} />}
          {r.responseBody !== null && <Json title="Response body" value={r.responseBody} />}
        </>
      )}
    </div>
  );
}
