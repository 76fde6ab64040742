/**
 * Gateway keys and provider keys through the tRPC routers: real PostgreSQL, the real API-key
 * authenticator and provider key store, and the simulated upstream behind the gateway's own
 * upstream client for the live key check.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";
import { startSimulatedUpstream, type SimulatedUpstream } from "@/testing/simulated-upstream";
import { createUpstreamClient } from "@/server/http/upstream-client";
import { callerFor, createTestRuntime, insertUser, type TestRuntime } from "./trpc-test-support";
import type { SessionUser } from "@/server/auth/session-user";

let db: TestDatabase;
let pool: pg.Pool;
let sim: SimulatedUpstream;
let upstream: ReturnType<typeof createUpstreamClient>;
let runtime: TestRuntime;
let admin: SessionUser;
let exec: SessionUser;

beforeAll(async () => {
  db = await createTestDatabase("sy_keys");
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  sim = await startSimulatedUpstream();
  upstream = createUpstreamClient({ connectMs: 2_000, firstByteMs: 5_000, idleMs: 5_000 }, 8);
  runtime = createTestRuntime(pool, { upstream, baseUrls: sim.baseUrls });
  admin = await insertUser(pool, "admin");
  exec = await insertUser(pool, "execute");
});

afterAll(async () => {
  await runtime?.auth.close();
  await upstream?.close();
  await sim?.close();
  await pool?.end();
  await db?.drop();
});

describe("gateway keys", () => {
  it("shows a new key once, and revocation is immediate for the authenticator's cache", async () => {
    const api = callerFor(pool, runtime, exec);
    const created = await api.gatewayKeys.create({ name: "ci", role: "execute" });
    expect(created.key).toMatch(/^sy_/);
    expect(await runtime.auth.authenticate(created.key)).toMatchObject({ id: created.id, role: "execute" });
    const listed = await api.gatewayKeys.list({});
    const row = listed.find((k) => k.id === created.id)!;
    expect(row).toMatchObject({ name: "ci", role: "execute", createdBy: exec.email, prefix: created.key.slice(0, 12) });
    expect(JSON.stringify(listed)).not.toContain(created.key);

    await api.gatewayKeys.revoke({ id: created.id });
    // Without invalidation the cache would keep accepting the key for the TTL (60 s here).
    expect(await runtime.auth.authenticate(created.key)).toBeNull();
    expect((await api.gatewayKeys.list({})).some((k) => k.id === created.id)).toBe(false);
    expect((await api.gatewayKeys.list({ includeRevoked: true })).find((k) => k.id === created.id)?.revokedAt).toBeInstanceOf(Date);
  });

  it("caps the role of new keys at the creator's and lets only admins revoke others' keys", async () => {
    await expect(callerFor(pool, runtime, exec).gatewayKeys.create({ name: "x", role: "admin" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const adminKey = await callerFor(pool, runtime, admin).gatewayKeys.create({ name: "ops", role: "admin" });
    await expect(callerFor(pool, runtime, exec).gatewayKeys.revoke({ id: adminKey.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const execKey = await callerFor(pool, runtime, exec).gatewayKeys.create({ name: "svc", role: "read" });
    expect(await callerFor(pool, runtime, admin).gatewayKeys.revoke({ id: execKey.id })).toEqual({ revoked: true });
  });
});

describe("provider keys", () => {
  const plaintext = "sk-sim-" + "k3y".repeat(10);

  it("tests a key live against the configured base URL before saving, and stores only ciphertext", async () => {
    const api = callerFor(pool, runtime, admin);
    const check = await api.providerKeys.check({ provider: "openai", apiKey: plaintext });
    expect(check).toMatchObject({ ok: true, status: 200, baseUrl: sim.baseUrls.openai });
    expect(sim.requests.at(-1)).toMatchObject({ provider: "openai", method: "GET" });

    const saved = await api.providerKeys.add({ provider: "openai", name: "prod", apiKey: plaintext });
    expect(saved.masked).not.toContain(plaintext.slice(6, -4));
    // The request path picks it up at once (the store was refreshed).
    expect(runtime.store.credentials("openai").apiKey).toBe(plaintext);

    const raw = await pool.query<{ ciphertext: Buffer; masked: string; row: string }>("SELECT ciphertext, masked, row_to_json(p)::text AS row FROM provider_keys p");
    expect(raw.rows).toHaveLength(1);
    expect(raw.rows[0]!.row).not.toContain(plaintext);
    expect(raw.rows[0]!.ciphertext.toString("latin1")).not.toContain(plaintext);
    expect(raw.rows[0]!.ciphertext.toString("hex")).not.toContain(Buffer.from(plaintext).toString("hex"));

    const list = await api.providerKeys.list();
    expect(JSON.stringify(list)).not.toContain(plaintext);
    expect(list.providers.find((p) => p.provider === "openai")).toMatchObject({ source: "dashboard", baseUrl: sim.baseUrls.openai });
    expect(list.keys[0]).toMatchObject({ provider: "openai", name: "prod", active: true });
  });

  it("refuses to save a key the provider rejects, or one of the wrong format, and stores nothing", async () => {
    const api = callerFor(pool, runtime, admin);
    const before = (await pool.query("SELECT count(*)::int AS n FROM provider_keys")).rows[0]!.n as number;
    const bad = "sk-ant-" + "x".repeat(30); // right shape, not accepted by the simulator
    const rejected = await api.providerKeys.check({ provider: "anthropic", apiKey: bad });
    expect(rejected).toMatchObject({ ok: false, status: 401 });
    expect(rejected.message).not.toContain(bad);
    await expect(api.providerKeys.add({ provider: "anthropic", name: "bad", apiKey: bad })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.providerKeys.add({ provider: "anthropic", name: "shape", apiKey: plaintext })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("sk-ant-"),
    });
    // Unreachable base URL: a clear message, not a crash.
    const down = await api.providerKeys.check({ provider: "openai", apiKey: plaintext, baseUrl: "http://127.0.0.1:9/v1" });
    expect(down).toMatchObject({ ok: false, status: null });
    expect((await pool.query("SELECT count(*)::int AS n FROM provider_keys")).rows[0]!.n).toBe(before);
  });

  it("rotates after a passing check and deletes back to the fallback", async () => {
    const api = callerFor(pool, runtime, admin);
    const [key] = (await api.providerKeys.list()).keys;
    const next = "sk-sim-" + "n3w".repeat(10);
    await api.providerKeys.rotate({ id: key!.id, apiKey: next });
    expect(runtime.store.credentials("openai").apiKey).toBe(next);
    await expect(api.providerKeys.rotate({ id: key!.id, apiKey: "sk-" + "z".repeat(30) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(runtime.store.credentials("openai").apiKey).toBe(next);
    await api.providerKeys.remove({ id: key!.id });
    expect(runtime.store.credentials("openai").apiKey).toBeUndefined();
    expect((await api.providerKeys.list()).providers.find((p) => p.provider === "openai")?.source).toBe("none");
  });
});

describe("settings", () => {
  it("saves payload logging and retention and refreshes the gateway's cache", async () => {
    const api = callerFor(pool, runtime, admin);
    expect(await api.settings.get()).toEqual({ payloadLogging: false, retentionDays: 0 });
    expect(runtime.settings.get().payloadLogging).toBe(false);
    expect(await api.settings.update({ payloadLogging: true, retentionDays: 30 })).toEqual({ payloadLogging: true, retentionDays: 30 });
    expect(runtime.settings.get()).toEqual({ payloadLogging: true, retentionDays: 30 });
    expect(await api.settings.update({ retentionDays: 7 })).toEqual({ payloadLogging: true, retentionDays: 7 });
    await expect(api.settings.update({ retentionDays: -1 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
