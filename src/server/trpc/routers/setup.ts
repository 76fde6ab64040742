import { z } from "zod";
import { createFirstAdmin, createFirstAdminInput, createFirstAdminOutput } from "@/server/services/users/create-first-admin";
import { needsSetup } from "@/server/services/users/needs-setup";
import { createTRPCRouter, publicProcedure } from "../init";

/** The one-time first-run flow; both procedures are public by nature and harmless once a user exists. */
export const setupRouter = createTRPCRouter({
  status: publicProcedure.output(z.object({ needsSetup: z.boolean() })).query(async ({ ctx }) => ({ needsSetup: await needsSetup(ctx.db) })),

  createAdmin: publicProcedure
    .input(createFirstAdminInput)
    .output(createFirstAdminOutput)
    .mutation(({ ctx, input }) => createFirstAdmin(ctx.db, input)),
});
