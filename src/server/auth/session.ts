import { getServerSession, type NextAuthOptions } from "next-auth";
import { getGatewayRuntime } from "@/server/composition/gateway-runtime";
import { log } from "@/server/log";
import { findUserById } from "@/server/services/users/find-user";
import { buildAuthOptions } from "./auth-options";
import type { SessionUser } from "./session-user";

let options: Promise<NextAuthOptions> | undefined;

/** Built on first use (not at import), so `next build` needs neither a database nor a secret. */
export function getAuthOptions(): Promise<NextAuthOptions> {
  options ??= getGatewayRuntime()
    .then((rt) => buildAuthOptions(rt.env, rt.pool, (m) => log.warn(m)))
    .catch((e: unknown) => {
      options = undefined;
      throw e;
    });
  return options;
}

/** The signed-in user from the session cookie, re-read from the database (removed users are signed out). */
export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(await getAuthOptions());
  if (!session?.userId) return null;
  const rt = await getGatewayRuntime();
  return findUserById(rt.pool, session.userId);
}
