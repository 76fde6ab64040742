import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { queryBreakdown, usageBreakdownInput } from "./usage-breakdown";
import { usageTotalsSchema } from "./usage-totals";

export const getUsageByModelInput = usageBreakdownInput;

export const getUsageByModelOutput = z.object({
  from: z.date(),
  to: z.date(),
  rows: z.array(
    usageTotalsSchema.extend({
      /** The model as clients requested it. */
      model: z.string(),
      /** Providers that served it in the range (usually one). */
      providers: z.array(z.string()),
    }),
  ),
});
export type UsageByModel = z.infer<typeof getUsageByModelOutput>;

export async function getUsageByModel(db: Queryable, input: z.input<typeof getUsageByModelInput>): Promise<UsageByModel> {
  const f = getUsageByModelInput.parse(input);
  const { range, rows } = await queryBreakdown<{ model: string; providers: string[] }>(db, f, {
    columns: ["model", "provider"],
    keys: ["h.model", "array_remove(array_agg(DISTINCT h.provider ORDER BY h.provider), '') AS providers"],
    groupBy: ["h.model"],
    tieBreak: "h.model",
    // (model, provider) first: the DISTINCT provider list then sorts a few rows, not the range.
    preGroupBy: ["model", "provider"],
  });
  return { from: range.from, to: range.to, rows: rows.map(({ key, totals }) => ({ model: key.model, providers: key.providers, ...totals })) };
}
