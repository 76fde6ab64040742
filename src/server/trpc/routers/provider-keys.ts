import { addProviderKey, addProviderKeyInput, savedProviderKeySchema } from "@/server/services/provider-keys/add-provider-key";
import { checkProviderKey, checkProviderKeyInput, keyCheckResultSchema } from "@/server/services/provider-keys/check-provider-key";
import { deleteProviderKey, deleteProviderKeyInput, deleteProviderKeyOutput } from "@/server/services/provider-keys/delete-provider-key";
import { listProviderKeys, listProviderKeysOutput } from "@/server/services/provider-keys/list-provider-keys";
import { rotateProviderKey, rotateProviderKeyInput } from "@/server/services/provider-keys/rotate-provider-key";
import { adminProcedure, createTRPCRouter, readProcedure } from "../init";

export const providerKeysRouter = createTRPCRouter({
  /** Masked keys and each provider's source; no secret ever leaves the server. */
  list: readProcedure.output(listProviderKeysOutput).query(({ ctx }) => listProviderKeys(ctx.db, ctx.runtime.providerKeys)),

  /** The live connectivity test, without saving (the form's "Test" button). */
  check: adminProcedure
    .input(checkProviderKeyInput)
    .output(keyCheckResultSchema)
    .mutation(({ ctx, input }) => checkProviderKey(ctx.runtime.providerKeys, input)),

  add: adminProcedure
    .input(addProviderKeyInput)
    .output(savedProviderKeySchema)
    .mutation(({ ctx, input }) => addProviderKey(ctx.db, ctx.runtime.providerKeys, input)),

  rotate: adminProcedure
    .input(rotateProviderKeyInput)
    .output(savedProviderKeySchema)
    .mutation(({ ctx, input }) => rotateProviderKey(ctx.db, ctx.runtime.providerKeys, input)),

  remove: adminProcedure
    .input(deleteProviderKeyInput)
    .output(deleteProviderKeyOutput)
    .mutation(({ ctx, input }) => deleteProviderKey(ctx.db, ctx.runtime.providerKeys, input)),
});
