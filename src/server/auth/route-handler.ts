import NextAuth from "next-auth";
import { getAuthOptions } from "./session";

interface NextAuthRouteContext {
  params: Promise<{ nextauth: string[] }>;
}

/** /api/auth/* — next-auth's sign-in, callback, session and sign-out endpoints. */
export async function handleAuthRequest(req: Request, ctx: NextAuthRouteContext): Promise<Response> {
  const handler = NextAuth(await getAuthOptions()) as (req: Request, ctx: NextAuthRouteContext) => Promise<Response>;
  return handler(req, ctx);
}
