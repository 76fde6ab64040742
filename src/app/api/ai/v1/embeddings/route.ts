import { handleGatewayRequest } from "@/server/http/api-handler";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = (request: Request) => handleGatewayRequest(request, "embeddings");
