import { handleUsageApi } from "@/server/http/usage-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = async (request: Request, ctx: { params: Promise<{ id: string }> }) => handleUsageApi(request, "conversation", (await ctx.params).id);
