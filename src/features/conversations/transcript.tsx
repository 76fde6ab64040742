import { cn } from "@/lib/cn";
import type { TranscriptMessage, TurnTranscript } from "./prepare-conversation";

const roleStyle: Record<string, string> = {
  user: "bg-zinc-100 dark:bg-zinc-800",
  assistant: "bg-accent-50 ring-1 ring-accent-100 ring-inset dark:bg-accent-500/10 dark:ring-accent-500/20",
  system: "bg-amber-50 text-amber-900 dark:bg-amber-500/10 dark:text-amber-200",
  tool: "bg-emerald-50 dark:bg-emerald-500/10",
};

function Message({ m }: { m: TranscriptMessage }) {
  return (
    <div className={cn("rounded-lg px-3 py-2 text-sm", roleStyle[m.role] ?? roleStyle.user)}>
      <p className="mb-0.5 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase">{m.role}</p>
      {m.text && <p className="break-words whitespace-pre-wrap">{m.text}</p>}
      {m.toolCalls.map((c, i) => (
        <p key={i} className="mt-1 font-mono text-xs break-all">
          → {c}
        </p>
      ))}
    </div>
  );
}

export function Transcript({ t, streamed }: { t: TurnTranscript; streamed: boolean }) {
  return (
    <div className="space-y-2">
      {t.truncated && <p className="text-xs text-zinc-500">The request body was larger than the logging cap; only a preview was kept.</p>}
      {t.prompt.map((m, i) => (
        <Message key={i} m={m} />
      ))}
      {t.reply ? <Message m={t.reply} /> : <p className="text-xs text-zinc-500 italic">{streamed ? "Streamed reply: not kept in the log." : "No reply logged."}</p>}
    </div>
  );
}
