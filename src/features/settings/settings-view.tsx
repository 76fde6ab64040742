"use client";

import { useEffect, useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingBlock } from "@/components/ui/skeleton";
import { Switch } from "@/components/ui/switch";
import { useTRPC } from "@/trpc/react";
import { errorMessage, fieldError } from "@/trpc/errors";
import { useViewer } from "@/features/shell/viewer-context";

function GatewaySettings() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const viewer = useViewer();
  const settings = useQuery(trpc.settings.get.queryOptions());
  const [payloadLogging, setPayloadLogging] = useState(false);
  const [retention, setRetention] = useState("0");
  const update = useMutation(trpc.settings.update.mutationOptions({ onSuccess: (s) => qc.setQueryData(trpc.settings.get.queryKey(), s) }));
  useEffect(() => {
    if (settings.data) {
      setPayloadLogging(settings.data.payloadLogging);
      setRetention(String(settings.data.retentionDays));
    }
  }, [settings.data]);
  const editable = viewer.can.editSettings;
  const dirty = settings.data && (payloadLogging !== settings.data.payloadLogging || retention !== String(settings.data.retentionDays));

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    update.mutate({ payloadLogging, retentionDays: Number(retention) });
  }

  return (
    <Card aria-labelledby="gateway-settings">
      <CardHeader id="gateway-settings" title="Gateway" description={editable ? "Applied at once, without a restart." : "Only admins can change these."} />
      <CardBody>
        {settings.isPending ? (
          <LoadingBlock />
        ) : settings.error ? (
          <Alert tone="danger">{errorMessage(settings.error)}</Alert>
        ) : (
          <form onSubmit={onSubmit} className="max-w-xl space-y-6">
            <Switch
              label="Payload logging"
              description="Keep prompts and responses (size-capped, obvious secrets redacted) on each request row, to read conversations here. Off by default."
              checked={payloadLogging}
              onChange={setPayloadLogging}
              disabled={!editable}
            />
            <TextField
              label="Ledger retention (days)"
              type="number"
              inputMode="numeric"
              min={0}
              max={3650}
              className="max-w-48"
              value={retention}
              disabled={!editable}
              onChange={(e) => setRetention(e.target.value)}
              hint="Raw request rows older than this are deleted (checked hourly); hourly cost rollups are kept. 0 keeps everything (on TimescaleDB, the hypertable's 90-day policy applies)."
              error={fieldError(update.error, "retentionDays")}
            />
            {update.error && !fieldError(update.error, "retentionDays") && <Alert tone="danger">{errorMessage(update.error)}</Alert>}
            {update.isSuccess && !dirty && <Alert tone="success">Settings saved.</Alert>}
            {editable && (
              <Button type="submit" variant="primary" busy={update.isPending} disabled={!dirty}>
                Save settings
              </Button>
            )}
          </form>
        )}
      </CardBody>
    </Card>
  );
}

function ChangePassword() {
  const trpc = useTRPC();
  const [form, setForm] = useState({ currentPassword: "", newPassword: "" });
  const change = useMutation(trpc.me.changePassword.mutationOptions({ onSuccess: () => setForm({ currentPassword: "", newPassword: "" }) }));
  return (
    <Card aria-labelledby="account-settings">
      <CardHeader id="account-settings" title="Your password" description="Replace a temporary password from an invitation here." />
      <CardBody>
        <form
          className="max-w-xl space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            change.mutate(form);
          }}
        >
          <TextField
            label="Current password"
            type="password"
            autoComplete="current-password"
            value={form.currentPassword}
            onChange={(e) => setForm({ ...form, currentPassword: e.target.value })}
            error={fieldError(change.error, "currentPassword")}
          />
          <TextField
            label="New password"
            type="password"
            autoComplete="new-password"
            hint="At least 8 characters."
            value={form.newPassword}
            onChange={(e) => setForm({ ...form, newPassword: e.target.value })}
            error={fieldError(change.error, "newPassword")}
          />
          {change.isSuccess && <Alert tone="success">Password changed.</Alert>}
          <Button type="submit" busy={change.isPending} disabled={!form.currentPassword || !form.newPassword}>
            Change password
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}

export function SettingsView() {
  return (
    <div className="space-y-6">
      <PageHeader title="Settings" />
      <GatewaySettings />
      <ChangePassword />
    </div>
  );
}
