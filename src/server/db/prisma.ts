import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { PrismaClient } from "@/generated/prisma/client";

/**
 * Prisma over the shared pg pool through the driver adapter: no query-engine binary, and the same
 * connections (and limits) as the rest of the process. The caller owns the pool and ends it.
 */
export function createPrisma(pool: pg.Pool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}

export type { PrismaClient };
