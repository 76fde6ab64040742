"use client";

import { Suspense, type ReactNode } from "react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/cn";
import type { Viewer } from "@/trpc/types";
import { useFilters } from "@/features/filters/use-filters";
import { navSections, type NavItem } from "./nav-items";
import { ThemeToggle } from "./theme-toggle";
import { ViewerProvider } from "./viewer-context";

function NavLinks({ viewer, orientation }: { viewer: Viewer; orientation: "vertical" | "horizontal" }) {
  const pathname = usePathname();
  const { hrefWith } = useFilters();
  const visible = (i: NavItem) => !i.adminOnly || viewer.can.manageUsers;
  const link = (i: NavItem) => {
    const active = pathname === i.href || pathname.startsWith(`${i.href}/`);
    return (
      <Link
        key={i.href}
        href={i.filtered ? hrefWith(i.href) : i.href}
        aria-current={active ? "page" : undefined}
        className={cn(
          "rounded-md px-2.5 py-1.5 text-sm font-medium whitespace-nowrap transition-colors",
          active
            ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
            : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100",
        )}
      >
        {i.label}
      </Link>
    );
  };
  if (orientation === "horizontal") {
    return <div className="flex gap-1 overflow-x-auto px-4 pb-2">{navSections.flatMap((s) => s.items.filter(visible).map(link))}</div>;
  }
  return (
    <div className="space-y-5">
      {navSections.map((s) => (
        <div key={s.title}>
          <p className="px-2.5 pb-1 text-[11px] font-semibold tracking-wider text-zinc-400 uppercase dark:text-zinc-500">{s.title}</p>
          <div className="flex flex-col gap-0.5">{s.items.filter(visible).map(link)}</div>
        </div>
      ))}
    </div>
  );
}

function Logo() {
  return (
    <Link href="/overview" className="flex items-center gap-2 font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">
      <span aria-hidden className="grid size-7 place-items-center rounded-lg bg-accent-600 text-sm text-white shadow-sm">
        ⇄
      </span>
      Switchyard
    </Link>
  );
}

const roleTone = { admin: "accent", execute: "success", read: "neutral" } as const;

/** Sidebar navigation, top bar (theme, user, sign out) and the page. */
export function AppShell({ viewer, children }: { viewer: Viewer; children: ReactNode }) {
  return (
    <ViewerProvider viewer={viewer}>
      <a href="#main" className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow">
        Skip to content
      </a>
      <div className="flex min-h-dvh">
        <div className="hidden w-56 shrink-0 border-r border-zinc-200 bg-white lg:block dark:border-zinc-800 dark:bg-zinc-900">
        <aside className="sticky top-0 flex h-dvh flex-col px-3 py-4">
          <div className="px-2.5 pb-6">
            <Logo />
          </div>
          <nav aria-label="Main" className="flex-1 overflow-y-auto">
            <Suspense>
              <NavLinks viewer={viewer} orientation="vertical" />
            </Suspense>
          </nav>
          <p className="px-2.5 text-[11px] text-zinc-400">OpenAI-compatible gateway</p>
        </aside>
        </div>
        <div className="flex min-w-0 flex-1 flex-col">
          <header className="sticky top-0 z-20 border-b border-zinc-200 bg-white/85 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/85">
            <div className="flex h-14 items-center justify-between gap-3 px-4 lg:px-8">
              <div className="lg:hidden">
                <Logo />
              </div>
              <div className="hidden lg:block" />
              <div className="flex items-center gap-2">
                <ThemeToggle />
                <div className="hidden text-right sm:block">
                  <p className="text-sm leading-tight font-medium text-zinc-900 dark:text-zinc-100">{viewer.user.name}</p>
                  <p className="text-xs leading-tight text-zinc-500">{viewer.user.email}</p>
                </div>
                <Badge tone={roleTone[viewer.user.role]}>{viewer.user.role}</Badge>
                <button
                  type="button"
                  // redirect: false — next-auth would build the target from NEXTAUTH_URL, which may be unset.
                  onClick={() => void signOut({ redirect: false }).then(() => window.location.assign("/sign-in"))}
                  className="h-8 rounded-md px-2.5 text-xs font-medium text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
                >
                  Sign out
                </button>
              </div>
            </div>
            <nav aria-label="Main (compact)" className="lg:hidden">
              <Suspense>
                <NavLinks viewer={viewer} orientation="horizontal" />
              </Suspense>
            </nav>
          </header>
          <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 lg:px-8">
            {children}
          </main>
        </div>
      </div>
    </ViewerProvider>
  );
}
