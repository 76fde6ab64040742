import { exportRequestsCsvForSession } from "@/server/trpc/csv-export-handler";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = exportRequestsCsvForSession;
