"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { ConfirmDialog, Dialog, FormDialogFooter } from "@/components/ui/dialog";
import { controlClass, SelectField, TextField } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingBlock } from "@/components/ui/skeleton";
import { TableWrap, Td, Th, Tr } from "@/components/ui/table";
import { formatDate } from "@/lib/format";
import { useTRPC } from "@/trpc/react";
import { errorMessage, fieldError } from "@/trpc/errors";
import type { Role, RouterOutputs } from "@/trpc/types";
import { useViewer } from "@/features/shell/viewer-context";

type User = RouterOutputs["users"]["list"][number];
type Invited = RouterOutputs["users"]["invite"];

export const roleDescriptions: Record<Role, string> = {
  read: "Sees costs, usage, conversations and request metadata.",
  execute: "Also creates gateway keys (read/execute) and reads logged messages.",
  admin: "Also manages users, provider keys and settings.",
};

function InviteDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [form, setForm] = useState<{ email: string; name: string; role: Role }>({ email: "", name: "", role: "read" });
  const [done, setDone] = useState<Invited | null>(null);
  const invite = useMutation(
    trpc.users.invite.mutationOptions({
      onSuccess: (r) => {
        setDone(r);
        void qc.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
      },
    }),
  );
  function close() {
    setDone(null);
    setForm({ email: "", name: "", role: "read" });
    invite.reset();
    onClose();
  }
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    invite.mutate(form);
  }
  return (
    <Dialog
      open={open}
      onClose={close}
      title={done ? `${done.user.email} can sign in` : "Invite a user"}
      description={done ? "Pass on this temporary password securely; it is shown only once." : "They sign in with email and password, or with GitHub/SSO when configured."}
      footer={<FormDialogFooter done={done !== null} onClose={close} form="invite-form" submitLabel="Invite" busy={invite.isPending} />}
    >
      {done ? (
        <div className="flex items-center gap-2">
          <code data-testid="temporary-password" className="flex-1 rounded-md bg-zinc-100 px-3 py-2 font-mono text-sm dark:bg-zinc-800">
            {done.temporaryPassword}
          </code>
          <CopyButton value={done.temporaryPassword} />
        </div>
      ) : (
        <form id="invite-form" onSubmit={onSubmit} className="space-y-4" noValidate>
          {invite.error && !fieldError(invite.error, "email") && <Alert tone="danger">{errorMessage(invite.error)}</Alert>}
          <TextField label="Email" type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} error={fieldError(invite.error, "email")} />
          <TextField label="Name (optional)" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          <SelectField label="Role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })} hint={roleDescriptions[form.role]}>
            <option value="read">read</option>
            <option value="execute">execute</option>
            <option value="admin">admin</option>
          </SelectField>
        </form>
      )}
    </Dialog>
  );
}

export function UsersView() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const viewer = useViewer();
  const users = useQuery(trpc.users.list.queryOptions(undefined, { enabled: viewer.can.manageUsers }));
  const [inviting, setInviting] = useState(false);
  const [removing, setRemoving] = useState<User | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const changeRole = useMutation(trpc.users.changeRole.mutationOptions({ onSettled: () => void refresh() }));
  const remove = useMutation(
    trpc.users.remove.mutationOptions({
      onSuccess: () => {
        void refresh();
        setRemoving(null);
      },
    }),
  );

  if (!viewer.can.manageUsers) {
    return <Alert tone="warning" title="Admins only">Ask an admin to change users and roles.</Alert>;
  }

  return (
    <div className="space-y-6">
      <PageHeader
        title="Users"
        description="People who can sign in to this dashboard."
        actions={
          <Button variant="primary" onClick={() => setInviting(true)}>
            Invite user
          </Button>
        }
      />
      <dl className="grid gap-3 sm:grid-cols-3">
        {(["read", "execute", "admin"] as const).map((r) => (
          <div key={r} className="rounded-lg border border-zinc-200 bg-white px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900">
            <dt>
              <Badge tone={r === "admin" ? "accent" : r === "execute" ? "success" : "neutral"}>{r}</Badge>
            </dt>
            <dd className="mt-1.5 text-sm text-zinc-600 dark:text-zinc-400">{roleDescriptions[r]}</dd>
          </div>
        ))}
      </dl>
      {changeRole.error && <Alert tone="danger">{errorMessage(changeRole.error)}</Alert>}
      <Card>
        <CardHeader title="Members" />
        {users.isPending ? (
          <LoadingBlock className="p-5" />
        ) : users.error ? (
          <Alert tone="danger" className="m-5">
            {errorMessage(users.error)}
          </Alert>
        ) : (
          <TableWrap label="Users">
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Email</Th>
                <Th>Role</Th>
                <Th>Since</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((u) => (
                <Tr key={u.id}>
                  <Td className="font-medium">
                    {u.name} {u.id === viewer.user.id && <Badge>you</Badge>}
                  </Td>
                  <Td className="text-zinc-600 dark:text-zinc-400">{u.email}</Td>
                  <Td>
                    <label className="sr-only" htmlFor={`role-${u.id}`}>
                      Role of {u.email}
                    </label>
                    <select
                      id={`role-${u.id}`}
                      className={`${controlClass} h-8 w-32 py-1 text-xs`}
                      value={u.role}
                      disabled={changeRole.isPending}
                      onChange={(e) => changeRole.mutate({ id: u.id, role: e.target.value as Role })}
                    >
                      <option value="read">read</option>
                      <option value="execute">execute</option>
                      <option value="admin">admin</option>
                    </select>
                  </Td>
                  <Td className="text-zinc-500">{formatDate(u.createdAt)}</Td>
                  <Td align="right">
                    {u.id !== viewer.user.id && (
                      <Button size="sm" variant="ghost" className="text-red-600 dark:text-red-400" onClick={() => setRemoving(u)} aria-label={`Remove ${u.email}`}>
                        Remove
                      </Button>
                    )}
                  </Td>
                </Tr>
              ))}
            </tbody>
          </TableWrap>
        )}
      </Card>
      <InviteDialog open={inviting} onClose={() => setInviting(false)} />
      <ConfirmDialog
        open={removing !== null}
        onClose={() => {
          remove.reset();
          setRemoving(null);
        }}
        title={`Remove ${removing?.email ?? ""}?`}
        description="They are signed out at once. Gateway keys they created keep working."
        confirmLabel="Remove user"
        busy={remove.isPending}
        onConfirm={() => removing && remove.mutate({ id: removing.id })}
        error={remove.error ? errorMessage(remove.error) : null}
      >
        <p className="text-sm">{removing?.name}</p>
      </ConfirmDialog>
    </div>
  );
}
