import { getConversation, getConversationInput, getConversationOutput } from "@/server/services/usage/get-conversation";
import { listConversations, listConversationsInput, listConversationsOutput } from "@/server/services/usage/list-conversations";
import {
  conversationPayloadsOutput,
  getConversationPayloads,
  getConversationPayloadsInput,
} from "@/server/services/ledger-view/get-conversation-payloads";
import { createTRPCRouter, executeProcedure, readProcedure } from "../init";

export const conversationsRouter = createTRPCRouter({
  list: readProcedure
    .input(listConversationsInput)
    .output(listConversationsOutput)
    .query(({ ctx, input }) => listConversations(ctx.db, input)),

  get: readProcedure
    .input(getConversationInput)
    .output(getConversationOutput)
    .query(({ ctx, input }) => getConversation(ctx.db, input)),

  /** Logged messages are for execute and admin (see payload-access.ts). */
  payloads: executeProcedure
    .input(getConversationPayloadsInput)
    .output(conversationPayloadsOutput)
    .query(({ ctx, input }) => getConversationPayloads(ctx.db, input)),
});
