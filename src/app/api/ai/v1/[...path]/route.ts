import { notFoundResponse } from "@/server/http/not-found";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = notFoundResponse;
export const POST = notFoundResponse;
export const PUT = notFoundResponse;
export const PATCH = notFoundResponse;
export const DELETE = notFoundResponse;
