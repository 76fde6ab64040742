import { notFoundResponse } from "@/server/http/not-found";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = notFoundResponse;
