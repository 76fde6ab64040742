import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end tests in real Chromium (Debian's /usr/bin/chromium: `npx playwright install` cannot
 * download browsers here) against the production build started like `npm start`, on a throwaway
 * PostgreSQL database, with the simulated upstream providers. See e2e/global-setup.ts.
 */
export default defineConfig({
  testDir: "e2e",
  outputDir: "e2e/output/test-results",
  globalSetup: "./e2e/global-setup.ts",
  // One app, one database: the specs build on each other's state in order.
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"], ["html", { outputFolder: "e2e/output/report", open: "never" }]],
  use: {
    ...devices["Desktop Chrome"],
    viewport: { width: 1440, height: 900 },
    baseURL: process.env.E2E_BASE_URL,
    headless: true,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
});
