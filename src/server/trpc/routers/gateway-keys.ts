import { z } from "zod";
import { issueGatewayKey, issueGatewayKeyInput, issueGatewayKeyOutput } from "@/server/services/gateway-keys/issue-gateway-key";
import { gatewayKeySchema, listGatewayKeys, listGatewayKeysInput } from "@/server/services/gateway-keys/list-gateway-keys";
import { revokeGatewayKey, revokeGatewayKeyInput, revokeGatewayKeyOutput } from "@/server/services/gateway-keys/revoke-gateway-key";
import { createTRPCRouter, executeProcedure, readProcedure } from "../init";

export const gatewayKeysRouter = createTRPCRouter({
  list: readProcedure
    .input(listGatewayKeysInput)
    .output(z.array(gatewayKeySchema))
    .query(({ ctx, input }) => listGatewayKeys(ctx.db, input)),

  create: executeProcedure
    .input(issueGatewayKeyInput)
    .output(issueGatewayKeyOutput)
    .mutation(({ ctx, input }) => issueGatewayKey(ctx.db, ctx.session, input)),

  revoke: executeProcedure
    .input(revokeGatewayKeyInput)
    .output(revokeGatewayKeyOutput)
    .mutation(({ ctx, input }) => revokeGatewayKey(ctx.db, ctx.runtime.apiKeyCache, ctx.session, input)),
});
