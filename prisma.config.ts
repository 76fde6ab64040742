import { defineConfig } from "prisma/config";

// Prisma 7 reads the datasource URL here, not from schema.prisma. `?? ""` keeps `prisma generate`
// (the postinstall) working in a fresh clone where DATABASE_URL is unset; the CLI does not read .env.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
