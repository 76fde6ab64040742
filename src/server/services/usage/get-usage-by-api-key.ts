import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { NO_API_KEY_ID } from "@/server/ledger/ledger-row";
import { queryBreakdown, usageBreakdownInput } from "./usage-breakdown";
import { usageTotalsSchema } from "./usage-totals";

export const getUsageByApiKeyInput = usageBreakdownInput;

export const getUsageByApiKeyOutput = z.object({
  from: z.date(),
  to: z.date(),
  rows: z.array(
    usageTotalsSchema.extend({
      /** `null`: requests rejected before a key was authenticated. */
      apiKeyId: z.string().nullable(),
      /** Display name and prefix; `null` when the key was deleted since. */
      name: z.string().nullable(),
      prefix: z.string().nullable(),
      revoked: z.boolean(),
    }),
  ),
});
export type UsageByApiKey = z.infer<typeof getUsageByApiKeyOutput>;

export async function getUsageByApiKey(db: Queryable, input: z.input<typeof getUsageByApiKeyInput>): Promise<UsageByApiKey> {
  const f = getUsageByApiKeyInput.parse(input);
  const { range, rows } = await queryBreakdown<{ api_key_id: string; name: string | null; prefix: string | null; revoked: boolean }>(db, f, {
    columns: ["api_key_id"],
    keys: ["h.api_key_id", "k.name", "k.prefix", "(k.revoked_at IS NOT NULL) AS revoked"],
    join: "LEFT JOIN api_keys k ON k.id = h.api_key_id",
    groupBy: ["h.api_key_id", "k.id"],
    tieBreak: "h.api_key_id",
  });
  return {
    from: range.from,
    to: range.to,
    rows: rows.map(({ key, totals }) => ({
      apiKeyId: key.api_key_id === NO_API_KEY_ID ? null : key.api_key_id,
      name: key.name,
      prefix: key.prefix,
      revoked: key.revoked,
      ...totals,
    })),
  };
}
