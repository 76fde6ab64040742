import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname, "src") } },
  test: {
    include: ["src/**/*.test.ts", "scripts/**/*.test.ts"],
    environment: "node",
    // One production build (only when sources changed) for the suites that start the app.
    globalSetup: ["src/testing/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration suites each start their own app server on real PostgreSQL; keep them apart.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
