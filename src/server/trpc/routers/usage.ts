import { getUsageByApiKey, getUsageByApiKeyInput, getUsageByApiKeyOutput } from "@/server/services/usage/get-usage-by-api-key";
import { getUsageByModel, getUsageByModelInput, getUsageByModelOutput } from "@/server/services/usage/get-usage-by-model";
import { getUsageByProvider, getUsageByProviderInput, getUsageByProviderOutput } from "@/server/services/usage/get-usage-by-provider";
import { getUsageByTag, getUsageByTagInput, getUsageByTagOutput } from "@/server/services/usage/get-usage-by-tag";
import { getUsageSummary, getUsageSummaryInput, getUsageSummaryOutput } from "@/server/services/usage/get-usage-summary";
import { getUsageTimeseries, getUsageTimeseriesInput, getUsageTimeseriesOutput } from "@/server/services/usage/get-usage-timeseries";
import { filterOptionsSchema, listFilterOptions, listFilterOptionsInput } from "@/server/services/ledger-view/list-filter-options";
import { createTRPCRouter, readProcedure } from "../init";

/** Cost analytics over the hourly rollups; every procedure takes the shared filter. */
export const usageRouter = createTRPCRouter({
  summary: readProcedure
    .input(getUsageSummaryInput)
    .output(getUsageSummaryOutput)
    .query(({ ctx, input }) => getUsageSummary(ctx.db, input)),

  timeseries: readProcedure
    .input(getUsageTimeseriesInput)
    .output(getUsageTimeseriesOutput)
    .query(({ ctx, input }) => getUsageTimeseries(ctx.db, input)),

  byModel: readProcedure
    .input(getUsageByModelInput)
    .output(getUsageByModelOutput)
    .query(({ ctx, input }) => getUsageByModel(ctx.db, input)),

  byProvider: readProcedure
    .input(getUsageByProviderInput)
    .output(getUsageByProviderOutput)
    .query(({ ctx, input }) => getUsageByProvider(ctx.db, input)),

  byApiKey: readProcedure
    .input(getUsageByApiKeyInput)
    .output(getUsageByApiKeyOutput)
    .query(({ ctx, input }) => getUsageByApiKey(ctx.db, input)),

  byTag: readProcedure
    .input(getUsageByTagInput)
    .output(getUsageByTagOutput)
    .query(({ ctx, input }) => getUsageByTag(ctx.db, input)),

  filterOptions: readProcedure
    .input(listFilterOptionsInput)
    .output(filterOptionsSchema)
    .query(({ ctx, input }) => listFilterOptions(ctx.db, input)),
});
