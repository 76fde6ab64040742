import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { readSettings, settingsSchema, type Settings } from "@/server/settings/settings-cache";

export const settingsOutput = settingsSchema;
export const updateSettingsInput = z.object({
  payloadLogging: z.boolean().optional(),
  retentionDays: z.number().int().min(0, "Use 0 to keep everything.").max(3650, "At most 3650 days (10 years).").optional(),
});

/**
 * Writes the given settings (one `settings` row per key, JSON value), then reloads the request
 * path's cache so the gateway applies them immediately in this process.
 */
export async function updateSettings(
  db: Queryable,
  refresh: () => Promise<void>,
  input: z.input<typeof updateSettingsInput>,
): Promise<Settings> {
  const changes = Object.entries(updateSettingsInput.parse(input)).filter(([, v]) => v !== undefined);
  if (changes.length > 0) {
    await db.query(
      `INSERT INTO settings (key, value, updated_at)
       SELECT k, v, now() FROM unnest($1::text[], $2::jsonb[]) AS t(k, v)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [changes.map(([k]) => k), changes.map(([, v]) => JSON.stringify(v))],
    );
  }
  await refresh();
  return readSettings(db);
}
