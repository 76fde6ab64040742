/**
 * Once per run: the production build (rebuilt only when sources changed), a throwaway database on
 * the local PostgreSQL, the simulated upstream providers, and the app started as `npm start` does
 * (scripts/start.ts: migrations, first admin from ADMIN_EMAIL/ADMIN_PASSWORD, `next start`).
 * What the specs need travels in E2E_* environment variables; the returned function tears down.
 */
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { ensureProductionBuild, projectRoot } from "../src/testing/build-once";
import { freePort } from "../src/testing/app-server";
import { createTestDatabase } from "../src/testing/test-database";
import { startSimulatedUpstream } from "../src/testing/simulated-upstream";

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.env.SWITCHYARD_SKIP_BUILD !== "1") ensureProductionBuild();
  const outDir = path.join(projectRoot, "e2e", "output");
  mkdirSync(outDir, { recursive: true });

  const db = await createTestDatabase("sy_e2e");
  const sim = await startSimulatedUpstream();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), "sy-e2e-"));
  const admin = { email: "admin@e2e.test", password: `pw-${randomBytes(8).toString("hex")}` };

  const log = createWriteStream(path.join(outDir, "app.log"));
  const app = spawn(process.execPath, [path.join(projectRoot, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/start.ts"], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      NEXTAUTH_URL: baseUrl,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      SWITCHYARD_MASTER_KEY: randomBytes(32).toString("base64"),
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      // OpenAI has no env key on purpose: the specs add one in the dashboard and watch it start working.
      OPENAI_BASE_URL: sim.baseUrls.openai,
      ANTHROPIC_BASE_URL: sim.baseUrls.anthropic,
      ANTHROPIC_API_KEY: "sk-sim-anthropic-env",
      GEMINI_BASE_URL: sim.baseUrls.gemini,
      GEMINI_API_KEY: "sk-sim-gemini-env",
      XAI_BASE_URL: sim.baseUrls.xai,
      XAI_API_KEY: "sk-sim-xai-env",
      LEDGER_FLUSH_INTERVAL_MS: "100",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  app.stdout.pipe(log);
  app.stderr.pipe(log);

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (app.exitCode !== null) throw new Error(`the app exited (${app.exitCode}); see e2e/output/app.log`);
    const status = await fetch(`${baseUrl}/api/ai/v1/models`).then((r) => r.status, () => 0);
    if (status === 401) break;
    if (Date.now() > deadline) throw new Error("the app did not answer within 120 s; see e2e/output/app.log");
    await new Promise((r) => setTimeout(r, 250));
  }

  Object.assign(process.env, {
    E2E_BASE_URL: baseUrl,
    E2E_DATABASE_URL: db.url,
    E2E_ADMIN_EMAIL: admin.email,
    E2E_ADMIN_PASSWORD: admin.password,
    E2E_OUTPUT_DIR: outDir,
  });

  return async () => {
    if (app.exitCode === null) {
      const exited = new Promise((r) => app.once("exit", r));
      app.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (app.exitCode === null) app.kill("SIGKILL");
    }
    log.end();
    await sim.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
