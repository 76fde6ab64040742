"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { useTRPC } from "@/trpc/react";
import { errorMessage, fieldError } from "@/trpc/errors";

/** First run: the first account, as admin. The page disappears once any user exists. */
export function SetupForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [form, setForm] = useState({ name: "", email: "", password: "", confirm: "" });
  const [mismatch, setMismatch] = useState(false);
  const create = useMutation(
    trpc.setup.createAdmin.mutationOptions({
      onSuccess: async () => {
        await signIn("credentials", { email: form.email, password: form.password, redirect: false });
        router.replace("/overview");
        router.refresh();
      },
    }),
  );

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (form.password !== form.confirm) return setMismatch(true);
    setMismatch(false);
    create.mutate({ name: form.name, email: form.email, password: form.password });
  }

  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.target.value });
  const generic = create.error && !fieldError(create.error, "email") && !fieldError(create.error, "password") && !fieldError(create.error, "name");

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-base font-semibold">Create the first admin</h1>
        <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
          Nobody has an account yet. This page is available once: the account you create here is the administrator.
        </p>
      </div>
      {generic && <Alert tone="danger">{errorMessage(create.error)}</Alert>}
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <TextField label="Your name" autoComplete="name" required value={form.name} onChange={set("name")} error={fieldError(create.error, "name")} />
        <TextField label="Email" type="email" autoComplete="username" required value={form.email} onChange={set("email")} error={fieldError(create.error, "email")} />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          hint="At least 8 characters."
          required
          value={form.password}
          onChange={set("password")}
          error={fieldError(create.error, "password")}
        />
        <TextField
          label="Repeat password"
          type="password"
          autoComplete="new-password"
          required
          value={form.confirm}
          onChange={set("confirm")}
          error={mismatch ? "The passwords differ." : undefined}
        />
        <Button type="submit" variant="primary" className="w-full" busy={create.isPending || create.isSuccess}>
          Create admin and sign in
        </Button>
      </form>
    </div>
  );
}
