import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface EncryptedSecret {
  ciphertext: Buffer;
  iv: Buffer;
  authTag: Buffer;
}

/**
 * AES-256-GCM with a 96-bit random IV per secret. The provider id is bound in as associated data,
 * so a ciphertext moved to another provider's row fails to decrypt.
 */
export function encryptSecret(masterKey: Buffer, plaintext: string, aad: string): EncryptedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", masterKey, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { ciphertext, iv, authTag: cipher.getAuthTag() };
}

export function decryptSecret(masterKey: Buffer, secret: EncryptedSecret, aad: string): string {
  const decipher = createDecipheriv("aes-256-gcm", masterKey, secret.iv);
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(secret.authTag);
  return Buffer.concat([decipher.update(secret.ciphertext), decipher.final()]).toString("utf8");
}

/** Accepts 32 bytes as base64 (44 chars) or hex (64 chars). */
export function parseMasterKey(value: string): Buffer {
  const trimmed = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32) throw new Error("SWITCHYARD_MASTER_KEY must be 32 bytes, base64- or hex-encoded (e.g. `openssl rand -base64 32`).");
  return key;
}

/**
 * The master key from env, or (embedded default) one generated once into the data directory with
 * a warning: losing that file makes stored provider keys unreadable.
 */
export function loadMasterKey(envValue: string | undefined, dataDir: string, warn: (msg: string) => void): Buffer {
  if (envValue) return parseMasterKey(envValue);
  const file = path.join(dataDir, "master.key");
  if (existsSync(file)) return parseMasterKey(readFileSync(file, "utf8"));
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString("base64") + "\n", { mode: 0o600, flag: "wx" });
  warn(`SWITCHYARD_MASTER_KEY is not set: generated one into ${file}. Back it up, or set SWITCHYARD_MASTER_KEY in production — without it stored provider keys cannot be decrypted.`);
  return key;
}

/** "sk-proj-abc…wxyz" style display form; never enough to use the key. */
export function maskSecret(secret: string): string {
  if (secret.length <= 8) return "…" + secret.slice(-2);
  return `${secret.slice(0, Math.min(6, Math.floor(secret.length / 4)))}…${secret.slice(-4)}`;
}
