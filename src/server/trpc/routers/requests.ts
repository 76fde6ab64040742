import { listRequests, listRequestsInput, listRequestsOutput } from "@/server/services/usage/list-requests";
import { getRequestDetail, getRequestDetailInput, getRequestDetailOutput } from "@/server/services/ledger-view/get-request-detail";
import { createTRPCRouter, readProcedure } from "../init";

export const requestsRouter = createTRPCRouter({
  list: readProcedure
    .input(listRequestsInput)
    .output(listRequestsOutput)
    .query(({ ctx, input }) => listRequests(ctx.db, input)),

  /** Bodies are included only for roles allowed to see them. */
  get: readProcedure
    .input(getRequestDetailInput)
    .output(getRequestDetailOutput)
    .query(({ ctx, input }) => getRequestDetail(ctx.db, ctx.session, input)),
});
