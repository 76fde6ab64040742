import type { NextAuthOptions } from "next-auth";
import type { OAuthConfig, Provider } from "next-auth/providers/index";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import type { Env } from "@/server/env";
import type { Queryable } from "@/server/db/queryable";
import { findUserByEmail } from "@/server/services/users/find-user";
import { verifyCredentials } from "@/server/services/users/verify-credentials";
import { loadAuthSecret } from "./auth-secret";

export interface OAuthProviderInfo {
  id: string;
  name: string;
}

interface OidcProfile {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
}

/** GitHub and generic OIDC sign-in exist only when their env vars are all set. */
export function oauthProviders(env: Env): Provider[] {
  const providers: Provider[] = [];
  if (env.GITHUB_ID && env.GITHUB_SECRET) {
    providers.push(GitHubProvider({ clientId: env.GITHUB_ID, clientSecret: env.GITHUB_SECRET }));
  }
  if (env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET) {
    const oidc: OAuthConfig<OidcProfile> = {
      id: "oidc",
      name: "Single sign-on",
      type: "oauth",
      wellKnown: `${env.OIDC_ISSUER.replace(/\/+$/, "")}/.well-known/openid-configuration`,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile: (p) => ({ id: p.sub, email: p.email_verified === false ? null : (p.email ?? null), name: p.name ?? p.preferred_username ?? null }),
    };
    providers.push(oidc);
  }
  return providers;
}

export function oauthProviderInfo(env: Env): OAuthProviderInfo[] {
  return oauthProviders(env).map((p) => ({ id: p.id, name: p.name }));
}

/**
 * next-auth: email + password (scrypt) for everyone, plus GitHub/OIDC for people an admin already
 * invited (matched by verified email; nobody signs up by OAuth). JWT sessions carrying only the
 * user id — role and existence are checked against the database on every request.
 */
export function buildAuthOptions(env: Env, db: Queryable, warn: (m: string) => void): NextAuthOptions {
  return {
    secret: loadAuthSecret(env.NEXTAUTH_SECRET, env.dataDir, warn),
    session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials) {
          const user = await verifyCredentials(db, credentials);
          return user ? { id: user.id, email: user.email, name: user.name } : null;
        },
      }),
      ...oauthProviders(env),
    ],
    callbacks: {
      async signIn({ user, account }) {
        if (!account || account.provider === "credentials") return true;
        const invited = user.email ? await findUserByEmail(db, user.email) : null;
        return invited ? true : "/sign-in?error=NotInvited";
      },
      async jwt({ token, user, account }) {
        if (user && account) {
          token.uid = account.provider === "credentials" ? user.id : ((user.email && (await findUserByEmail(db, user.email))?.id) ?? undefined);
        }
        return token;
      },
      session({ session, token }) {
        // Nothing but the id: the dashboard loads the user itself.
        return { expires: session.expires, userId: token.uid };
      },
    },
  };
}
