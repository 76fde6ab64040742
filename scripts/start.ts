/**
 * `npm start`: build when there is no build, open the database (embedded PGlite in DATA_DIR unless
 * DATABASE_URL is set), apply migrations, bootstrap the first admin when configured, then serve
 * the production build on PORT with the production server (src/server/http/node-server.ts: the
 * public API straight from node:http, everything else through Next). Signals are forwarded so the
 * server can drain (SHUTDOWN_GRACE_MS) and flush its ledger; this process exits with its code.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { migrate, openDatabase } from "./lib/open-database";
import { bootstrapAdmin } from "./lib/bootstrap-admin";

const root = path.resolve(import.meta.dirname, "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const port = env.PORT ?? "3000";
const dataDir = path.resolve(root, env.DATA_DIR ?? ".data");

if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.log("[switchyard] no production build found: running `next build` first");
  const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit", env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const db = await openDatabase({ dataDir, databaseUrl: env.DATABASE_URL || undefined, serve: true });
if (db.embedded) console.log(`[switchyard] embedded PostgreSQL (PGlite) in ${dataDir} — set DATABASE_URL to use your own PostgreSQL`);
const applied = await migrate(db.url);
if (applied.length > 0) console.log(`[switchyard] applied migrations: ${applied.join(", ")}`);
await bootstrapAdmin(db.url, env);

// A process of its own: the embedded database served from this one never shares its event loop.
const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "src", "server", "http", "node-server.ts")], {
  cwd: root,
  stdio: "inherit",
  env: { ...env, NODE_ENV: "production", PORT: port, DATABASE_URL: db.url, DATA_DIR: dataDir, SWITCHYARD_EMBEDDED_DB: db.embedded ? "1" : "0" },
});

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    child.kill(signal);
  });
}
child.on("exit", (code, signal) => {
  void db.close().finally(() => process.exit(code ?? (signal ? 0 : 1)));
});
