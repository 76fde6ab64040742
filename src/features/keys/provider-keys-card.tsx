"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { ConfirmDialog, Dialog, FormDialogFooter } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectField, TextField } from "@/components/ui/field";
import { LoadingBlock } from "@/components/ui/skeleton";
import { TableWrap, Td, Th, Tr } from "@/components/ui/table";
import { formatDateTime, formatDuration, formatRelative } from "@/lib/format";
import { useTRPC } from "@/trpc/react";
import { errorMessage, fieldError } from "@/trpc/errors";
import type { RouterInputs, RouterOutputs } from "@/trpc/types";
import { useViewer } from "@/features/shell/viewer-context";

type ProviderId = RouterInputs["providerKeys"]["add"]["provider"];
type Status = RouterOutputs["providerKeys"]["list"]["providers"][number];
type StoredKey = RouterOutputs["providerKeys"]["list"]["keys"][number];
type CheckResult = RouterOutputs["providerKeys"]["check"];

const sourceBadge: Record<Status["source"], { tone: "success" | "neutral" | "warning"; text: string }> = {
  dashboard: { tone: "success", text: "Dashboard key" },
  environment: { tone: "neutral", text: "Env variable" },
  none: { tone: "warning", text: "Not configured" },
};

function CheckOutcome({ result }: { result: CheckResult }) {
  return (
    <Alert tone={result.ok ? "success" : "danger"} title={result.ok ? "Connection works" : "Connection failed"}>
      {result.message} <span className="text-xs opacity-75">({result.baseUrl}, {formatDuration(result.latencyMs)})</span>
    </Alert>
  );
}

/** Add (provider, name, key, optional base URL) or rotate (a new secret for an existing key). */
function ProviderKeyDialog({ mode, providers, onClose }: { mode: { kind: "add" } | { kind: "rotate"; key: StoredKey } | null; providers: Status[]; onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const rotating = mode?.kind === "rotate" ? mode.key : null;
  const [provider, setProvider] = useState<ProviderId>("openai");
  const [name, setName] = useState("");
  const [apiKey, setApiKey] = useState("");
  const [baseUrl, setBaseUrl] = useState("");
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.providerKeys.list.queryKey() });
  const check = useMutation(trpc.providerKeys.check.mutationOptions());
  const add = useMutation(trpc.providerKeys.add.mutationOptions({ onSuccess: () => void invalidate().then(close) }));
  const rotate = useMutation(trpc.providerKeys.rotate.mutationOptions({ onSuccess: () => void invalidate().then(close) }));
  const save = rotating ? rotate : add;
  const effectiveProvider = rotating ? rotating.provider : provider;
  const status = providers.find((p) => p.provider === effectiveProvider);

  function close() {
    setApiKey("");
    setName("");
    setBaseUrl("");
    check.reset();
    add.reset();
    rotate.reset();
    onClose();
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (rotating) rotate.mutate({ id: rotating.id, apiKey });
    else add.mutate({ provider, name, apiKey, baseUrl });
  }

  const keyError = fieldError(save.error, "apiKey") ?? fieldError(check.error, "apiKey");
  return (
    <Dialog
      open={mode !== null}
      onClose={close}
      title={rotating ? `Rotate “${rotating.name}”` : "Add a provider key"}
      description="The key is tested against the provider before it is saved, then stored encrypted (AES-256-GCM). It is never shown again."
      footer={
        <FormDialogFooter onClose={close} form="provider-key-form" submitLabel={rotating ? "Test and rotate" : "Test and save"} busy={save.isPending} disabled={apiKey === ""}>
          {!rotating && (
            <Button busy={check.isPending} disabled={apiKey === ""} onClick={() => check.mutate({ provider, apiKey, baseUrl })}>
              Test connection
            </Button>
          )}
        </FormDialogFooter>
      }
    >
      <form id="provider-key-form" onSubmit={onSubmit} className="space-y-4" noValidate>
        {!rotating && (
          <>
            <SelectField label="Provider" value={provider} onChange={(e) => setProvider(e.target.value as ProviderId)}>
              {providers.map((p) => (
                <option key={p.provider} value={p.provider}>
                  {p.displayName}
                </option>
              ))}
            </SelectField>
            <TextField label="Name" placeholder="e.g. production" value={name} onChange={(e) => setName(e.target.value)} error={fieldError(save.error, "name")} />
          </>
        )}
        <TextField
          label="API key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder={status?.keyExample}
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
          error={keyError}
        />
        {!rotating && (
          <TextField
            label="Base URL (optional)"
            type="url"
            placeholder={status?.baseUrl}
            hint="Leave empty to use the configured one."
            value={baseUrl}
            onChange={(e) => setBaseUrl(e.target.value)}
            error={fieldError(save.error, "baseUrl") ?? fieldError(check.error, "baseUrl")}
          />
        )}
        {check.data && <CheckOutcome result={check.data} />}
        {check.error && !keyError && <Alert tone="danger">{errorMessage(check.error)}</Alert>}
        {save.error && !keyError && !fieldError(save.error, "name") && <Alert tone="danger">{errorMessage(save.error)}</Alert>}
      </form>
    </Dialog>
  );
}

export function ProviderKeysCard() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const viewer = useViewer();
  const list = useQuery(trpc.providerKeys.list.queryOptions());
  const [dialog, setDialog] = useState<{ kind: "add" } | { kind: "rotate"; key: StoredKey } | null>(null);
  const [deleting, setDeleting] = useState<StoredKey | null>(null);
  const remove = useMutation(
    trpc.providerKeys.remove.mutationOptions({
      onSuccess: () => {
        void qc.invalidateQueries({ queryKey: trpc.providerKeys.list.queryKey() });
        setDeleting(null);
      },
    }),
  );
  const manage = viewer.can.manageProviderKeys;

  return (
    <Card aria-labelledby="provider-keys-title">
      <CardHeader
        id="provider-keys-title"
        title="Provider keys"
        description="Upstream credentials. A key saved here takes precedence over the provider's environment variable."
        actions={
          manage && (
            <Button variant="primary" size="sm" onClick={() => setDialog({ kind: "add" })}>
              Add provider key
            </Button>
          )
        }
      />
      {list.isPending ? (
        <LoadingBlock className="p-5" />
      ) : list.error ? (
        <Alert tone="danger" className="m-5">
          {errorMessage(list.error)}
        </Alert>
      ) : (
        <>
          <ul className="grid gap-3 p-5 sm:grid-cols-2 xl:grid-cols-4" aria-label="Provider status">
            {list.data.providers.map((p) => (
              <li key={p.provider} className="rounded-lg border border-zinc-200 px-3 py-2.5 dark:border-zinc-800" data-testid={`provider-status-${p.provider}`}>
                <div className="flex items-center justify-between gap-2">
                  <span className="text-sm font-medium">{p.displayName}</span>
                  <Badge tone={sourceBadge[p.source].tone}>{sourceBadge[p.source].text}</Badge>
                </div>
                <p className="mt-1 truncate font-mono text-[11px] text-zinc-500" title={p.baseUrl}>
                  {p.baseUrl}
                </p>
              </li>
            ))}
          </ul>
          {list.data.keys.length === 0 ? (
            <EmptyState title="No keys stored in the dashboard" className="border-t border-zinc-100 dark:border-zinc-800">
              Providers use their environment variables until you add a key here.
            </EmptyState>
          ) : (
            <TableWrap label="Stored provider keys">
              <thead>
                <tr>
                  <Th>Provider</Th>
                  <Th>Name</Th>
                  <Th>Key</Th>
                  <Th>Base URL</Th>
                  <Th>Updated</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {list.data.keys.map((k) => (
                  <Tr key={k.id} data-testid={`provider-key-${k.name}`}>
                    <Td>
                      {k.provider} {k.active && <Badge tone="success">in use</Badge>}
                    </Td>
                    <Td className="font-medium">{k.name}</Td>
                    <Td className="font-mono text-xs">{k.masked}</Td>
                    <Td className="max-w-56 truncate font-mono text-xs text-zinc-500">{k.baseUrl ?? "configured default"}</Td>
                    <Td className="text-zinc-500">
                      <span title={formatDateTime(k.updatedAt)}>{formatRelative(k.updatedAt)}</span>
                    </Td>
                    <Td align="right">
                      {manage && (
                        <div className="flex justify-end gap-1">
                          <Button size="sm" variant="ghost" onClick={() => setDialog({ kind: "rotate", key: k })} aria-label={`Rotate ${k.name}`}>
                            Rotate
                          </Button>
                          <Button size="sm" variant="ghost" className="text-red-600 dark:text-red-400" onClick={() => setDeleting(k)} aria-label={`Delete ${k.name}`}>
                            Delete
                          </Button>
                        </div>
                      )}
                    </Td>
                  </Tr>
                ))}
              </tbody>
            </TableWrap>
          )}
        </>
      )}
      <ProviderKeyDialog mode={dialog} providers={list.data?.providers ?? []} onClose={() => setDialog(null)} />
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => {
          remove.reset();
          setDeleting(null);
        }}
        title={`Delete “${deleting?.name ?? ""}”?`}
        description="The provider falls back to an older dashboard key or its environment variable."
        confirmLabel="Delete key"
        busy={remove.isPending}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
        error={remove.error ? errorMessage(remove.error) : null}
      >
        <p className="font-mono text-sm">{deleting?.masked}</p>
      </ConfirmDialog>
    </Card>
  );
}
