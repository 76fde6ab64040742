import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { apiKeySummarySchema, listApiKeys, type ApiKeySummary } from "../list-api-keys";

export const listGatewayKeysInput = z.object({ includeRevoked: z.boolean().default(false) });
export const gatewayKeySchema = apiKeySummarySchema;
export type GatewayKey = ApiKeySummary;

export async function listGatewayKeys(db: Queryable, input: z.input<typeof listGatewayKeysInput>): Promise<GatewayKey[]> {
  return listApiKeys(db, listGatewayKeysInput.parse(input));
}
