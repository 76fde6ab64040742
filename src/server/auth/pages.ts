import { redirect } from "next/navigation";
import { getGatewayRuntime } from "@/server/composition/gateway-runtime";
import { needsSetup } from "@/server/services/users/needs-setup";
import { oauthProviderInfo, type OAuthProviderInfo } from "./auth-options";
import { describeViewer, type Viewer } from "./capabilities";
import { getSessionUser } from "./session";

/** The dashboard's gate (its layout): the viewer, or off to /setup (no user yet) or /sign-in. */
export async function requireViewer(): Promise<Viewer> {
  const user = await getSessionUser();
  if (user) return describeViewer(user)!;
  const rt = await getGatewayRuntime();
  redirect((await needsSetup(rt.pool)) ? "/setup" : "/sign-in");
}

/** /sign-in: signed-in users go to the dashboard, a fresh install to /setup; otherwise the providers to offer. */
export async function signInPageState(): Promise<{ providers: OAuthProviderInfo[] }> {
  if (await getSessionUser()) redirect("/overview");
  const rt = await getGatewayRuntime();
  if (await needsSetup(rt.pool)) redirect("/setup");
  return { providers: oauthProviderInfo(rt.env) };
}

/** /setup exists only while there is no user at all. */
export async function setupAvailable(): Promise<boolean> {
  const rt = await getGatewayRuntime();
  return needsSetup(rt.pool);
}
