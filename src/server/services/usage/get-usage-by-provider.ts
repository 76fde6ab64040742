import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { queryBreakdown, usageBreakdownInput } from "./usage-breakdown";
import { usageTotalsSchema } from "./usage-totals";

export const getUsageByProviderInput = usageBreakdownInput;

export const getUsageByProviderOutput = z.object({
  from: z.date(),
  to: z.date(),
  rows: z.array(
    usageTotalsSchema.extend({
      /** `null`: requests that failed before a provider was chosen (unknown model, bad request). */
      provider: z.string().nullable(),
    }),
  ),
});
export type UsageByProvider = z.infer<typeof getUsageByProviderOutput>;

export async function getUsageByProvider(db: Queryable, input: z.input<typeof getUsageByProviderInput>): Promise<UsageByProvider> {
  const f = getUsageByProviderInput.parse(input);
  const { range, rows } = await queryBreakdown<{ provider: string }>(db, f, {
    columns: ["provider"],
    keys: ["h.provider"],
    groupBy: ["h.provider"],
    tieBreak: "h.provider",
  });
  // The rollup stores "no provider" as '' (see NO_PROVIDER in the ledger).
  return { from: range.from, to: range.to, rows: rows.map(({ key, totals }) => ({ provider: key.provider === "" ? null : key.provider, ...totals })) };
}
