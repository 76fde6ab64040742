import type { Metadata } from "next";
import { RequestDetailView } from "@/features/requests/request-detail-view";

export const metadata: Metadata = { title: "Request" };

export default async function RequestPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ at?: string }> }) {
  const [{ id }, { at }] = await Promise.all([params, searchParams]);
  return <RequestDetailView id={id} at={at ?? null} />;
}
