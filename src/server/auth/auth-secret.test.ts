import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadAuthSecret } from "./auth-secret";

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), "sy-secret-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("loadAuthSecret", () => {
  it("uses NEXTAUTH_SECRET when set and writes nothing", () => {
    const dir = tempDir();
    expect(loadAuthSecret("from-env", dir, () => {})).toBe("from-env");
    expect(() => statSync(path.join(dir, "nextauth.secret"))).toThrow();
  });

  it("generates one secret once, owner-only, with a warning, and reuses it afterwards", () => {
    const dir = path.join(tempDir(), "nested");
    const warnings: string[] = [];
    const first = loadAuthSecret(undefined, dir, (m) => warnings.push(m));
    expect(first.length).toBeGreaterThanOrEqual(43);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/NEXTAUTH_SECRET is not set/);
    const file = path.join(dir, "nextauth.secret");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8").trim()).toBe(first);
    expect(loadAuthSecret(undefined, dir, (m) => warnings.push(m))).toBe(first);
    expect(warnings).toHaveLength(1);
  });
});
