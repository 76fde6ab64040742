import type { Metadata } from "next";
import { KeysView } from "@/features/keys/keys-view";

export const metadata: Metadata = { title: "Keys" };

export default function KeysPage() {
  return <KeysView />;
}
