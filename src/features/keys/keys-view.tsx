"use client";

import { PageHeader } from "@/components/ui/page-header";
import { GatewayKeysCard } from "./gateway-keys-card";
import { ProviderKeysCard } from "./provider-keys-card";

export function KeysView() {
  return (
    <div className="space-y-6">
      <PageHeader title="Keys" description="Who may call the gateway, and which credentials it uses upstream." />
      <GatewayKeysCard />
      <ProviderKeysCard />
    </div>
  );
}
