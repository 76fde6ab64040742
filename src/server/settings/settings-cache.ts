import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";

export const settingsSchema = z.object({
  /** Keep prompts and responses (size-capped, obvious secrets redacted) on ledger rows. Off by default. */
  payloadLogging: z.boolean().default(false),
  /** Raw ledger rows older than this many days are deleted (rollups are kept). 0 keeps everything. */
  retentionDays: z.number().int().min(0).max(3650).default(0),
});
export type Settings = z.infer<typeof settingsSchema>;

export async function readSettings(db: Queryable): Promise<Settings> {
  const res = await db.query<{ key: string; value: unknown }>("SELECT key, value FROM settings");
  const raw: Record<string, unknown> = {};
  for (const row of res.rows) raw[row.key] = row.value;
  const parsed = settingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : settingsSchema.parse({});
}

/** Settings the request path reads, held in memory and refreshed in the background. */
export class SettingsCache {
  private current: Settings = settingsSchema.parse({});
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly db: Queryable) {}

  get(): Settings {
    return this.current;
  }

  async refresh(): Promise<void> {
    this.current = await readSettings(this.db);
  }

  startBackgroundRefresh(ms = 15_000): void {
    this.timer = setInterval(() => void this.refresh().catch(() => {}), ms);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
