import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { toUserSummary, USER_COLUMNS, userSummarySchema, type UserRow, type UserSummary } from "./user-row";

export const listUsersOutput = z.array(userSummarySchema);

export async function listUsers(db: Queryable): Promise<UserSummary[]> {
  const res = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY created_at, email`);
  return res.rows.map(toUserSummary);
}
