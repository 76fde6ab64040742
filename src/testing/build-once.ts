import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

export const projectRoot = path.resolve(import.meta.dirname, "..", "..");

const inputs = ["src", "prisma/schema.prisma", "next.config.mjs", "postcss.config.mjs", "package-lock.json", "tsconfig.json", "public"];

function hashTree(hash: ReturnType<typeof createHash>, p: string): void {
  if (!existsSync(p)) return;
  const st = statSync(p);
  if (st.isDirectory()) {
    for (const name of readdirSync(p).sort()) {
      if (name === "node_modules" || name === "__snapshots__" || name.endsWith(".test.ts")) continue;
      hashTree(hash, path.join(p, name));
    }
  } else {
    hash.update(path.relative(projectRoot, p));
    hash.update(readFileSync(p));
  }
}

/** Hash of everything the production build depends on. */
export function sourceHash(): string {
  const hash = createHash("sha256");
  for (const i of inputs) hashTree(hash, path.join(projectRoot, i));
  return hash.digest("hex");
}

/**
 * Builds the production app unless `.next` already holds a build of exactly these sources, so
 * integration and e2e tests never run against a stale build.
 */
export function ensureProductionBuild(): void {
  const marker = path.join(projectRoot, ".next", "switchyard-source-hash");
  const want = sourceHash();
  if (existsSync(path.join(projectRoot, ".next", "BUILD_ID")) && existsSync(marker) && readFileSync(marker, "utf8") === want) return;
  const res = spawnSync(process.execPath, [path.join(projectRoot, "node_modules/next/dist/bin/next"), "build"], {
    cwd: projectRoot,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (res.status !== 0) throw new Error(`next build failed with exit code ${res.status}`);
  writeFileSync(marker, want);
}
