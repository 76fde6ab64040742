"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { ConfirmDialog, Dialog, FormDialogFooter } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectField, TextField } from "@/components/ui/field";
import { LoadingBlock } from "@/components/ui/skeleton";
import { TableWrap, Td, Th, Tr } from "@/components/ui/table";
import { formatDateTime, formatRelative } from "@/lib/format";
import { useTRPC } from "@/trpc/react";
import { errorMessage, fieldError } from "@/trpc/errors";
import type { Role, RouterOutputs } from "@/trpc/types";
import { useViewer } from "@/features/shell/viewer-context";

type Created = RouterOutputs["gatewayKeys"]["create"];
type KeyRow = RouterOutputs["gatewayKeys"]["list"][number];

const roles: Role[] = ["read", "execute", "admin"];
const roleRank: Record<Role, number> = { read: 0, execute: 1, admin: 2 };
const roleHelp: Record<Role, string> = {
  read: "List models only.",
  execute: "Chat completions and embeddings.",
  admin: "Everything, including the usage API.",
};
const roleTone = { admin: "accent", execute: "success", read: "neutral" } as const;

function CreateKeyDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const viewer = useViewer();
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("execute");
  const [created, setCreated] = useState<Created | null>(null);
  const create = useMutation(
    trpc.gatewayKeys.create.mutationOptions({
      onSuccess: (k) => {
        setCreated(k);
        void qc.invalidateQueries({ queryKey: trpc.gatewayKeys.list.queryKey() });
      },
    }),
  );
  const allowed = roles.filter((r) => roleRank[r] <= roleRank[viewer.can.maxKeyRole]);

  function close() {
    setCreated(null);
    setName("");
    create.reset();
    onClose();
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ name, role });
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      title={created ? "Your new gateway key" : "Create a gateway key"}
      description={created ? "Copy it now: it is shown only once and Switchyard stores only its hash." : "Applications send it as their OpenAI API key."}
      footer={<FormDialogFooter done={created !== null} onClose={close} form="create-key-form" submitLabel="Create key" busy={create.isPending} />}
    >
      {created ? (
        <div className="space-y-4">
          <div className="flex items-center gap-2">
            <code data-testid="new-key" className="min-w-0 flex-1 overflow-x-auto rounded-md bg-zinc-100 px-3 py-2 font-mono text-xs whitespace-nowrap dark:bg-zinc-800">
              {created.key}
            </code>
            <CopyButton value={created.key} />
          </div>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            <strong>{created.name}</strong> · role <Badge tone={roleTone[created.role]}>{created.role}</Badge> — {roleHelp[created.role]}
          </p>
          <pre className="overflow-x-auto rounded-md bg-zinc-950 p-3 font-mono text-[11px] leading-relaxed text-zinc-100">{`import OpenAI from "openai";
const client = new OpenAI({
  apiKey: process.env.SWITCHYARD_KEY,
  baseURL: "${typeof window === "undefined" ? "" : window.location.origin}/api/ai/v1",
  defaultHeaders: { "x-tags": "team:ml,feature:search" },
});`}</pre>
        </div>
      ) : (
        <form id="create-key-form" onSubmit={onSubmit} className="space-y-4" noValidate>
          {create.error && !fieldError(create.error, "name") && <Alert tone="danger">{errorMessage(create.error)}</Alert>}
          <TextField label="Name" placeholder="e.g. checkout-service" required value={name} onChange={(e) => setName(e.target.value)} error={fieldError(create.error, "name")} />
          <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)} hint={roleHelp[role]}>
            {allowed.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </SelectField>
        </form>
      )}
    </Dialog>
  );
}

function RevokeDialog({ target, onClose }: { target: KeyRow | null; onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const revoke = useMutation(
    trpc.gatewayKeys.revoke.mutationOptions({
      onSuccess: () => {
        void qc.invalidateQueries({ queryKey: trpc.gatewayKeys.list.queryKey() });
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog
      open={target !== null}
      onClose={() => {
        revoke.reset();
        onClose();
      }}
      title={`Revoke “${target?.name ?? ""}”?`}
      description="Requests with this key are refused immediately. This cannot be undone."
      confirmLabel="Revoke key"
      busy={revoke.isPending}
      onConfirm={() => target && revoke.mutate({ id: target.id })}
      error={revoke.error ? errorMessage(revoke.error) : null}
    >
      <p className="font-mono text-sm">{target?.prefix}…</p>
    </ConfirmDialog>
  );
}

export function GatewayKeysCard() {
  const trpc = useTRPC();
  const viewer = useViewer();
  const [showRevoked, setShowRevoked] = useState(false);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<KeyRow | null>(null);
  const list = useQuery(trpc.gatewayKeys.list.queryOptions({ includeRevoked: showRevoked }));
  const canRevoke = (k: KeyRow) => !k.revokedAt && (viewer.can.revokeAnyKey || (viewer.can.createKeys && k.createdByUserId === viewer.user.id));

  return (
    <Card aria-labelledby="gateway-keys-title">
      <CardHeader
        id="gateway-keys-title"
        title="Gateway keys"
        description="Keys your applications use to call Switchyard's OpenAI-compatible API."
        actions={
          <>
            <label className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
              <input type="checkbox" className="size-4 accent-accent-600" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} />
              Show revoked
            </label>
            {viewer.can.createKeys && (
              <Button variant="primary" size="sm" onClick={() => setCreating(true)}>
                Create key
              </Button>
            )}
          </>
        }
      />
      {list.isPending ? (
        <LoadingBlock className="p-5" />
      ) : list.error ? (
        <Alert tone="danger" className="m-5">
          {errorMessage(list.error)}
        </Alert>
      ) : list.data.length === 0 ? (
        <EmptyState
          title="No gateway keys yet"
          action={
            viewer.can.createKeys && (
              <Button variant="primary" size="sm" onClick={() => setCreating(true)}>
                Create your first key
              </Button>
            )
          }
        >
          Create a key, then point the OpenAI SDK at <code className="font-mono">/api/ai/v1</code> with it.
        </EmptyState>
      ) : (
        <TableWrap label="Gateway keys">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Key</Th>
              <Th>Role</Th>
              <Th>Created</Th>
              <Th>Last used</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((k) => (
              <Tr key={k.id} data-testid={`gateway-key-${k.name}`}>
                <Td className="font-medium">
                  {k.name} {k.revokedAt && <Badge tone="danger">revoked</Badge>}
                </Td>
                <Td className="font-mono text-xs text-zinc-500">{k.prefix}…</Td>
                <Td>
                  <Badge tone={roleTone[k.role]}>{k.role}</Badge>
                </Td>
                <Td className="text-zinc-500">
                  <span title={formatDateTime(k.createdAt)}>{formatRelative(k.createdAt)}</span>
                  {k.createdBy && <span className="block text-xs">by {k.createdBy}</span>}
                </Td>
                <Td className="text-zinc-500">
                  <span title={k.lastUsedAt ? formatDateTime(k.lastUsedAt) : undefined}>{formatRelative(k.lastUsedAt)}</span>
                </Td>
                <Td align="right">
                  {canRevoke(k) && (
                    <Button size="sm" variant="ghost" className="text-red-600 dark:text-red-400" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name}`}>
                      Revoke
                    </Button>
                  )}
                </Td>
              </Tr>
            ))}
          </tbody>
        </TableWrap>
      )}
      <CreateKeyDialog open={creating} onClose={() => setCreating(false)} />
      <RevokeDialog target={revoking} onClose={() => setRevoking(null)} />
    </Card>
  );
}
