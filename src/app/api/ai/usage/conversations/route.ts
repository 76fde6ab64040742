import { handleUsageApi } from "@/server/http/usage-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = (request: Request) => handleUsageApi(request, "conversations");
