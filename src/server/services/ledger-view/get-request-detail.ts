import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import type { SessionUser } from "@/server/auth/session-user";
import { getRequest, getRequestInput } from "../usage/get-request";
import { requestDetailSchema, type RequestDetail } from "../usage/request-row";
import { canViewPayloads } from "./payload-access";

export const getRequestDetailInput = getRequestInput;
export const getRequestDetailOutput = requestDetailSchema
  .extend({
    /** True when bodies were logged but this viewer's role may not see them. */
    payloadsHidden: z.boolean(),
  })
  .nullable();

/** One ledger row for the detail view; bodies only for roles allowed to read them. */
export async function getRequestDetail(
  db: Queryable,
  viewer: SessionUser,
  input: z.input<typeof getRequestDetailInput>,
): Promise<(RequestDetail & { payloadsHidden: boolean }) | null> {
  const row = await getRequest(db, input);
  if (!row) return null;
  if (canViewPayloads(viewer.role)) return { ...row, payloadsHidden: false };
  const logged = row.requestBody !== null || row.responseBody !== null;
  return { ...row, requestBody: null, responseBody: null, payloadsHidden: logged };
}
