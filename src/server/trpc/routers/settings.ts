import { readSettings } from "@/server/settings/settings-cache";
import { settingsOutput, updateSettings, updateSettingsInput } from "@/server/services/settings/update-settings";
import { adminProcedure, createTRPCRouter, readProcedure } from "../init";

export const settingsRouter = createTRPCRouter({
  get: readProcedure.output(settingsOutput).query(({ ctx }) => readSettings(ctx.db)),

  update: adminProcedure
    .input(updateSettingsInput)
    .output(settingsOutput)
    .mutation(({ ctx, input }) => updateSettings(ctx.db, ctx.runtime.refreshSettings, input)),
});
