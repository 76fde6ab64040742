import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { AuthFrame } from "@/features/auth/auth-frame";

export default function NotFound() {
  return (
    <AuthFrame>
      <div className="space-y-3 text-center">
        <h1 className="text-base font-semibold">Page not found</h1>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">There is nothing at this address.</p>
        <Link href="/overview" className={buttonClass("primary", "md")}>
          Go to the dashboard
        </Link>
      </div>
    </AuthFrame>
  );
}
