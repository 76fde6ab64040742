/**
 * Switchyard CLI.
 *   npm run --silent cli -- keys create --name NAME --role read|execute|admin   (prints the key as the last line)
 *   npm run --silent cli -- keys list
 *   npm run --silent cli -- keys revoke ID
 *   npm run --silent cli -- users create --email E --password P --role admin
 *   npm run --silent cli -- migrate
 * Uses DATABASE_URL, or the embedded database in DATA_DIR (default ./.data), also while `npm start` runs.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { migrate, openDatabase } from "./lib/open-database";
import { createApiKey } from "../src/server/services/create-api-key";
import { listApiKeys } from "../src/server/services/list-api-keys";
import { revokeApiKey } from "../src/server/services/revoke-api-key";
import { hashPassword } from "../src/server/auth/password";
import { roleSchema } from "../src/server/keys/roles";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: "string" },
    role: { type: "string" },
    email: { type: "string" },
    password: { type: "string" },
    all: { type: "boolean", default: false },
  },
});

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(2);
}

const [group, action, arg] = positionals;
const root = path.resolve(import.meta.dirname, "..");
const db = await openDatabase({ dataDir: path.resolve(root, process.env.DATA_DIR ?? ".data"), databaseUrl: process.env.DATABASE_URL || undefined });
const client = new pg.Client({ connectionString: db.url });
try {
  // Every command runs against an up-to-date schema; `migrate` only reports what that applied.
  const applied = await migrate(db.url);
  await client.connect();
  if (group === "migrate") {
    console.log(applied.length > 0 ? `applied migrations: ${applied.join(", ")}` : "migrations are up to date");
  } else if (group === "keys" && action === "create") {
    if (!values.name) fail("keys create needs --name NAME");
    const role = roleSchema.safeParse(values.role ?? "execute");
    if (!role.success) fail("--role must be one of read, execute, admin");
    const created = await createApiKey(client, { name: values.name, role: role.data });
    console.log(`created ${created.role} key "${created.name}" (id ${created.id}); it is shown only once:`);
    console.log(created.key);
  } else if (group === "keys" && action === "list") {
    for (const k of await listApiKeys(client, { includeRevoked: values.all })) {
      console.log([k.id, k.prefix + "…", k.role, k.name, k.lastUsedAt?.toISOString() ?? "never used", k.revokedAt ? "revoked" : "active"].join("\t"));
    }
  } else if (group === "keys" && action === "revoke") {
    if (!arg) fail("keys revoke needs the key id");
    if (!(await revokeApiKey(client, { id: arg }))) fail(`no active key with id ${arg}`);
    console.log(`revoked ${arg}`);
  } else if (group === "users" && action === "create") {
    if (!values.email || !values.password) fail("users create needs --email and --password");
    if (values.password.length < 8) fail("the password must be at least 8 characters");
    const role = roleSchema.safeParse(values.role ?? "read");
    if (!role.success) fail("--role must be one of read, execute, admin");
    await client.query(`INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, $3, $4::role)`, [
      values.email.trim().toLowerCase(),
      values.email.split("@")[0],
      await hashPassword(values.password),
      role.data,
    ]);
    console.log(`created ${role.data} user ${values.email}`);
  } else {
    fail("usage: cli keys create --name N --role R | keys list [--all] | keys revoke ID | users create --email E --password P --role R | migrate");
  }
} finally {
  await client.end().catch(() => {});
  await db.close();
}
