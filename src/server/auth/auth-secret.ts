import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * NEXTAUTH_SECRET from env, or (embedded default) one generated once into the data directory with
 * a warning, like the master key: every process of the installation must sign sessions alike.
 */
export function loadAuthSecret(envValue: string | undefined, dataDir: string, warn: (msg: string) => void): string {
  if (envValue) return envValue;
  const file = path.join(dataDir, "nextauth.secret");
  const read = () => readFileSync(file, "utf8").trim();
  try {
    return read();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  try {
    writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
  } catch (e) {
    // Another process created it between our read and write: use theirs.
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return read();
    throw e;
  }
  warn(`NEXTAUTH_SECRET is not set: generated one into ${file}. Set NEXTAUTH_SECRET in production; without this file every session is signed out.`);
  return secret;
}
