/**
 * Every tRPC procedure, called as each role and signed out, on a real PostgreSQL database: the
 * allow/deny matrix of the dashboard. A procedure added without a row here fails the first test.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { TRPCError } from "@trpc/server";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";
import type { SessionUser } from "@/server/auth/session-user";
import { createApiKey } from "@/server/services/create-api-key";
import { addProviderKey } from "@/server/services/provider-keys/add-provider-key";
import { appRouter } from "./root";
import { callerFor, createTestRuntime, fixedUpstream, insertUser, type TestRuntime } from "./trpc-test-support";

type Access = "public" | "read" | "execute" | "admin";
type Actor = "signed-out" | "read" | "execute" | "admin";

let db: TestDatabase;
let pool: pg.Pool;
let runtime: TestRuntime;
const users: Record<Exclude<Actor, "signed-out">, SessionUser> = {} as never;

const simKey = () => `sk-sim-${randomUUID().replaceAll("-", "")}`;
const range = () => ({ from: new Date(Date.now() - 86_400_000), to: new Date() });

/** Minimum access per procedure, and a valid input (built per call, as the given actor). */
const matrix: Record<string, { access: Access; input?: (actor: SessionUser | null) => unknown; refusal?: string }> = {
  "me.get": { access: "public" },
  "me.changePassword": { access: "read", input: () => ({ currentPassword: "not-the-password", newPassword: "another password" }), refusal: "BAD_REQUEST" },
  "setup.status": { access: "public" },
  "setup.createAdmin": { access: "public", input: () => ({ email: `late-${randomUUID()}@example.test`, name: "Late", password: "long enough" }), refusal: "PRECONDITION_FAILED" },
  "users.list": { access: "admin" },
  "users.invite": { access: "admin", input: () => ({ email: `inv-${randomUUID()}@example.test`, role: "read" }) },
  "users.changeRole": { access: "admin", input: async () => ({ id: (await insertUser(pool, "read")).id, role: "execute" }) },
  "users.remove": { access: "admin", input: async () => ({ id: (await insertUser(pool, "read")).id }) },
  "gatewayKeys.list": { access: "read", input: () => ({}) },
  "gatewayKeys.create": { access: "execute", input: () => ({ name: "matrix", role: "read" }) },
  "gatewayKeys.revoke": {
    access: "execute",
    // A key of the caller's own, so an allowed caller is allowed by the ownership rule too.
    input: async (actor) => ({ id: (await createApiKey(pool, { name: "own", role: "read", createdByUserId: (actor ?? users.admin).id })).id }),
  },
  "providerKeys.list": { access: "read" },
  "providerKeys.check": { access: "admin", input: () => ({ provider: "openai", apiKey: simKey() }) },
  "providerKeys.add": { access: "admin", input: () => ({ provider: "openai", name: "matrix", apiKey: simKey() }) },
  "providerKeys.rotate": {
    access: "admin",
    input: async () => ({ id: (await addProviderKey(pool, runtime.providerKeys, { provider: "xai", name: "r", apiKey: "xai-" + "a".repeat(20) })).id, apiKey: "xai-" + "b".repeat(20) }),
  },
  "providerKeys.remove": { access: "admin", input: () => ({ id: randomUUID() }) },
  "settings.get": { access: "read" },
  "settings.update": { access: "admin", input: () => ({ retentionDays: 0 }) },
  "usage.summary": { access: "read", input: range },
  "usage.timeseries": { access: "read", input: range },
  "usage.byModel": { access: "read", input: range },
  "usage.byProvider": { access: "read", input: range },
  "usage.byApiKey": { access: "read", input: range },
  "usage.byTag": { access: "read", input: () => ({ ...range(), tags: ["team:ml"] }) },
  "usage.filterOptions": { access: "read", input: range },
  "conversations.list": { access: "read", input: range },
  "conversations.get": { access: "read", input: () => ({ conversationId: "no-such-conversation" }) },
  "conversations.payloads": { access: "execute", input: () => ({ conversationId: "c", ids: [randomUUID()] }) },
  "requests.list": { access: "read", input: () => ({ ...range(), tags: ["a:b"], limit: 10 }) },
  "requests.get": { access: "read", input: () => ({ id: randomUUID() }) },
};

const rank: Record<Actor, number> = { "signed-out": -1, read: 0, execute: 1, admin: 2 };
const need: Record<Access, number> = { public: -1, read: 0, execute: 1, admin: 2 };
const actors: Actor[] = ["signed-out", "read", "execute", "admin"];

beforeAll(async () => {
  db = await createTestDatabase("sy_trpc");
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  runtime = createTestRuntime(pool, { upstream: fixedUpstream(200) });
  users.read = await insertUser(pool, "read");
  users.execute = await insertUser(pool, "execute");
  users.admin = await insertUser(pool, "admin");
});

afterAll(async () => {
  await runtime?.auth.close();
  await pool?.end();
  await db?.drop();
});

async function call(actor: Actor, path: string): Promise<{ ok: true } | { ok: false; code: string }> {
  const session = actor === "signed-out" ? null : users[actor];
  const caller = callerFor(pool, runtime, session) as unknown as Record<string, Record<string, (input?: unknown) => Promise<unknown>>>;
  const [ns, name] = path.split(".") as [string, string];
  const input = await matrix[path]!.input?.(session);
  try {
    await caller[ns]![name]!(input);
    return { ok: true };
  } catch (e) {
    if (e instanceof TRPCError) return { ok: false, code: e.code };
    throw e;
  }
}

describe("tRPC access matrix", () => {
  it("covers every procedure of the app router", () => {
    expect(Object.keys(appRouter._def.procedures).sort()).toEqual(Object.keys(matrix).sort());
  });

  for (const path of Object.keys(matrix)) {
    for (const actor of actors) {
      const allowed = rank[actor] >= need[matrix[path]!.access];
      it(`${path} as ${actor}: ${allowed ? "allowed" : "denied"}`, async () => {
        const res = await call(actor, path);
        if (allowed) {
          // Allowed means the procedure ran: it may still refuse on business grounds (409, 412…).
          if (!res.ok && process.env.DEBUG_MATRIX) console.log(path, actor, res.code);
          if (!res.ok) expect(["UNAUTHORIZED", "FORBIDDEN", "INTERNAL_SERVER_ERROR"]).not.toContain(res.code);
        } else {
          expect(res).toEqual({ ok: false, code: actor === "signed-out" ? "UNAUTHORIZED" : "FORBIDDEN" });
        }
      });
    }
  }

  it("a denied mutation has no effect", async () => {
    const victim = await insertUser(pool, "read");
    expect(await call("execute", "users.list")).toEqual({ ok: false, code: "FORBIDDEN" });
    await expect(callerFor(pool, runtime, users.execute).users.remove({ id: victim.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const still = await pool.query("SELECT 1 FROM users WHERE id = $1", [victim.id]);
    expect(still.rowCount).toBe(1);
  });
});
