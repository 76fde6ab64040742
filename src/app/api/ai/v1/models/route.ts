import { handleGatewayRequest } from "@/server/http/api-handler";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = (request: Request) => handleGatewayRequest(request, "models");
