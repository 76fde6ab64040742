import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { setupAvailable } from "@/server/auth/pages";
import { SetupForm } from "@/features/auth/setup-form";

export const metadata: Metadata = { title: "Set up" };

/** One-time: a 404 as soon as any user exists. */
export default async function SetupPage() {
  if (!(await setupAvailable())) notFound();
  return <SetupForm />;
}
