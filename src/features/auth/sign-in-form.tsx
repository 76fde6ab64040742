"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";

const errorText: Record<string, string> = {
  NotInvited: "No Switchyard account uses that email. Ask an admin to invite you, then sign in again.",
  AccessDenied: "No Switchyard account uses that email. Ask an admin to invite you, then sign in again.",
  CredentialsSignin: "Wrong email or password.",
  SessionRequired: "Sign in to continue.",
};

export function SignInForm({ providers, error }: { providers: Array<{ id: string; name: string }>; error: string | null }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(error ? (errorText[error] ?? "Sign-in failed. Try again.") : null);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    const res = await signIn("credentials", { email, password, redirect: false }).catch(() => undefined);
    if (res?.ok && !res.error) {
      router.replace("/overview");
      router.refresh();
      return;
    }
    setBusy(false);
    setMessage(res?.error === "CredentialsSignin" || res?.status === 401 ? errorText.CredentialsSignin! : "Sign-in failed. Try again.");
  }

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-base font-semibold">Sign in</h1>
        <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">Use the account an admin created for you.</p>
      </div>
      {message && <Alert tone="danger">{message}</Alert>}
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <TextField label="Email" type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <Button type="submit" variant="primary" className="w-full" busy={busy}>
          Sign in
        </Button>
      </form>
      {providers.length > 0 && (
        <div className="space-y-2">
          <div className="flex items-center gap-3 text-xs text-zinc-400">
            <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" /> or <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
          </div>
          {providers.map((p) => (
            <Button key={p.id} className="w-full" onClick={() => void signIn(p.id, { callbackUrl: "/overview" })}>
              Continue with {p.name}
            </Button>
          ))}
          <p className="text-center text-xs text-zinc-500">Only for people an admin has invited, matched by email.</p>
        </div>
      )}
    </div>
  );
}
