import { describeViewer, viewerSchema } from "@/server/auth/capabilities";
import { changePassword, changePasswordInput, changePasswordOutput } from "@/server/services/users/change-password";
import { createTRPCRouter, publicProcedure, readProcedure } from "../init";

export const meRouter = createTRPCRouter({
  /** The signed-in user (fresh from the database) and what their role allows, or null. */
  get: publicProcedure.output(viewerSchema.nullable()).query(({ ctx }) => describeViewer(ctx.session)),

  changePassword: readProcedure
    .input(changePasswordInput)
    .output(changePasswordOutput)
    .mutation(({ ctx, input }) => changePassword(ctx.db, ctx.session.id, input)),
});
