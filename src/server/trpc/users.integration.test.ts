/** Users through the tRPC routers on real PostgreSQL: first-run setup, invitations, the last-admin rule. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";
import { verifyCredentials } from "@/server/services/users/verify-credentials";
import { findUserById } from "@/server/services/users/find-user";
import { callerFor, createTestRuntime, fixedUpstream, insertUser, type TestRuntime } from "./trpc-test-support";

let db: TestDatabase;
let pool: pg.Pool;
let runtime: TestRuntime;

beforeAll(async () => {
  db = await createTestDatabase("sy_users");
  pool = new pg.Pool({ connectionString: db.url, max: 8 });
  runtime = createTestRuntime(pool, { upstream: fixedUpstream() });
});

afterAll(async () => {
  await runtime?.auth.close();
  await pool?.end();
  await db?.drop();
});

describe("first-run setup", () => {
  it("creates exactly one admin when several browsers submit at once, then closes", async () => {
    const anon = callerFor(pool, runtime, null);
    expect(await anon.setup.status()).toEqual({ needsSetup: true });
    const attempts = await Promise.allSettled(
      ["a", "b", "c", "d"].map((n) => anon.setup.createAdmin({ email: `${n}@Example.test`, name: n, password: "first admin pw" })),
    );
    const won = attempts.filter((a) => a.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const a of attempts) if (a.status === "rejected") expect(a.reason).toMatchObject({ code: "PRECONDITION_FAILED" });
    const rows = await pool.query<{ email: string; role: string }>("SELECT email, role FROM users");
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]!.role).toBe("admin");
    expect(rows.rows[0]!.email).toMatch(/^[abcd]@example\.test$/); // stored lower-cased
    expect(await anon.setup.status()).toEqual({ needsSetup: false });
    // The new admin signs in with the password given (scrypt-verified).
    expect(await verifyCredentials(pool, { email: rows.rows[0]!.email.toUpperCase(), password: "first admin pw" })).toMatchObject({ role: "admin" });
    expect(await verifyCredentials(pool, { email: rows.rows[0]!.email, password: "wrong password" })).toBeNull();
  });
});

describe("user management", () => {
  it("invites with a one-time temporary password that signs in, and refuses a duplicate email", async () => {
    const admin = await insertUser(pool, "admin");
    const api = callerFor(pool, runtime, admin);
    const { user, temporaryPassword } = await api.users.invite({ email: "New.Person@example.test", role: "execute" });
    expect(user).toMatchObject({ email: "new.person@example.test", role: "execute", name: "new.person" });
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(16);
    const stored = await pool.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE id = $1", [user.id]);
    expect(stored.rows[0]!.password_hash).not.toContain(temporaryPassword);
    expect(await verifyCredentials(pool, { email: "new.person@example.test", password: temporaryPassword })).toMatchObject({ id: user.id });
    await expect(api.users.invite({ email: "new.person@example.test", role: "read" })).rejects.toMatchObject({ code: "CONFLICT" });

    // The invited user replaces the temporary password; the old one stops working.
    const self = callerFor(pool, runtime, { ...user });
    await self.me.changePassword({ currentPassword: temporaryPassword, newPassword: "my own password" });
    expect(await verifyCredentials(pool, { email: user.email, password: temporaryPassword })).toBeNull();
    expect(await verifyCredentials(pool, { email: user.email, password: "my own password" })).not.toBeNull();
  });

  it("never demotes or removes the last admin, even when two admins demote each other at once", async () => {
    await pool.query("DELETE FROM users");
    const a = await insertUser(pool, "admin");
    const b = await insertUser(pool, "admin");
    const results = await Promise.allSettled([
      callerFor(pool, runtime, a).users.changeRole({ id: b.id, role: "read" }),
      callerFor(pool, runtime, b).users.changeRole({ id: a.id, role: "read" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const admins = await pool.query("SELECT id FROM users WHERE role = 'admin'");
    expect(admins.rowCount).toBe(1);
    const last = admins.rows[0]!.id as string;
    const lastAdmin = (await findUserById(pool, last))!;
    const other = last === a.id ? b : a;
    // The demoted one is no longer an admin for the dashboard either (the context reads the role fresh).
    expect((await findUserById(pool, other.id))!.role).toBe("read");
    await expect(callerFor(pool, runtime, lastAdmin).users.changeRole({ id: last, role: "execute" })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(callerFor(pool, runtime, lastAdmin).users.remove({ id: last })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Another admin cannot remove the last one either once promoted back and demoted again.
    await callerFor(pool, runtime, lastAdmin).users.changeRole({ id: other.id, role: "admin" });
    await callerFor(pool, runtime, lastAdmin).users.remove({ id: other.id });
    expect(await findUserById(pool, other.id)).toBeNull();
    expect((await callerFor(pool, runtime, lastAdmin).users.list()).map((u) => u.id)).toEqual([last]);
  });
});
