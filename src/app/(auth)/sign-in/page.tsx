import type { Metadata } from "next";
import { signInPageState } from "@/server/auth/pages";
import { SignInForm } from "@/features/auth/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const [{ providers }, { error }] = await Promise.all([signInPageState(), searchParams]);
  return <SignInForm providers={providers} error={error ?? null} />;
}
