import { z } from "zod";
import { roleSchema } from "@/server/keys/roles";

/** The signed-in dashboard user, read fresh from the database on every request (roles apply at once). */
export const sessionUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
});
export type SessionUser = z.infer<typeof sessionUserSchema>;
