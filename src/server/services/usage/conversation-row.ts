import { z } from "zod";
import { moneyFields, money, microUsd } from "./usage-totals";

/** A `conversations` rollup row (one per conversation id, maintained by the ledger writer). */
export const conversationSchema = z.object({
  conversationId: z.string(),
  firstAt: z.date(),
  lastAt: z.date(),
  requests: z.number().int(),
  errorRequests: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  ...moneyFields,
  unpricedRequests: z.number().int(),
  models: z.array(z.string()),
  apiKeyIds: z.array(z.string()),
  tags: z.array(z.string()),
});
export type ConversationSummary = z.infer<typeof conversationSchema>;

export const CONVERSATION_COLUMNS = `c.conversation_id, c.first_at, c.last_at, c.requests::text AS requests,
       c.error_requests::text AS error_requests, c.input_tokens::text AS input_tokens,
       c.output_tokens::text AS output_tokens, c.cost_nano_usd::text AS cost_nano_usd,
       c.unpriced_requests::text AS unpriced_requests, c.models, c.api_key_ids::text[] AS api_key_ids, c.tags`;

export type ConversationDbRow = {
  conversation_id: string;
  first_at: Date;
  last_at: Date;
  requests: string;
  error_requests: string;
  input_tokens: string;
  output_tokens: string;
  cost_nano_usd: string;
  unpriced_requests: string;
  models: string[] | null;
  api_key_ids: string[] | null;
  tags: string[] | null;
};

export function toConversation(r: ConversationDbRow): ConversationSummary {
  return {
    conversationId: r.conversation_id,
    firstAt: r.first_at,
    lastAt: r.last_at,
    requests: Number(r.requests),
    errorRequests: Number(r.error_requests),
    inputTokens: Number(r.input_tokens),
    outputTokens: Number(r.output_tokens),
    ...money(BigInt(r.cost_nano_usd)),
    unpricedRequests: Number(r.unpriced_requests),
    models: r.models ?? [],
    apiKeyIds: r.api_key_ids ?? [],
    tags: r.tags ?? [],
  };
}

/** REST form: the table's own column names (plus `cost_micro_usd`, `cost_usd` as on request rows). */
export function toConversationColumns(c: ConversationSummary): Record<string, unknown> {
  return {
    conversation_id: c.conversationId,
    first_at: c.firstAt.toISOString(),
    last_at: c.lastAt.toISOString(),
    requests: c.requests,
    error_requests: c.errorRequests,
    input_tokens: c.inputTokens,
    output_tokens: c.outputTokens,
    cost_micro_usd: microUsd(BigInt(c.costNanoUsd)),
    cost_nano_usd: c.costNanoUsd,
    cost_usd: c.costUsd,
    unpriced_requests: c.unpricedRequests,
    models: c.models,
    api_key_ids: c.apiKeyIds,
    tags: c.tags,
  };
}
