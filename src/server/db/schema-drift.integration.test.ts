import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";

/**
 * The migrations are hand-written (no schema engine offline), so this checks them against
 * prisma/schema.prisma the way `prisma migrate diff` would: every model's table, column type,
 * nullability, default, primary key, unique and index, and nothing the schema does not describe
 * except the SQL-only objects listed below.
 */
const SQL_ONLY_INDEXES = new Set(["request_log_conversation_id_created_at_idx", "conversations_active_range_idx"]);

interface ColumnSpec {
  column: string;
  type: string;
  nullable: boolean;
  hasDefault: boolean;
}
interface IndexSpec {
  columns: string[];
  method: string;
  unique: boolean;
}
interface TableSpec {
  table: string;
  columns: Map<string, ColumnSpec>;
  primaryKey: string[];
  indexes: IndexSpec[];
}

const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Boolean: "boolean",
  Json: "jsonb",
  Bytes: "bytea",
  DateTime: "timestamp(3) without time zone",
};
const NATIVE_TYPES: Record<string, string> = {
  Uuid: "uuid",
  "Timestamptz(3)": "timestamp(3) with time zone",
};

/** A deliberately small parser for the subset of the Prisma language this schema uses. */
function parseSchema(source: string): TableSpec[] {
  const enums = new Map<string, string>();
  for (const m of source.matchAll(/enum (\w+) \{([^}]*)\}/g)) {
    const mapped = /@@map\("([^"]+)"\)/.exec(m[2] ?? "")?.[1];
    enums.set(m[1]!, mapped ?? m[1]!);
  }
  const models = [...source.matchAll(/model (\w+) \{([^}]*)\}/g)];
  const modelNames = new Set(models.map((m) => m[1]!));
  return models.map((m) => {
    const body = (m[2] ?? "").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("//"));
    const table = /@@map\("([^"]+)"\)/.exec(m[2] ?? "")?.[1] ?? m[1]!;
    const fieldToColumn = new Map<string, string>();
    const columns = new Map<string, ColumnSpec>();
    const indexes: IndexSpec[] = [];
    let primaryKey: string[] = [];
    for (const line of body) {
      if (line.startsWith("@@")) continue;
      const f = /^(\w+)\s+(\w+)(\?|\[\])?\s*(.*)$/.exec(line);
      if (!f) continue;
      const [, name, type, modifier, attrs = ""] = f as unknown as [string, string, string, string | undefined, string];
      if (modelNames.has(type)) continue; // relation field, no column
      const column = /@map\("([^"]+)"\)/.exec(attrs)?.[1] ?? name;
      fieldToColumn.set(name, column);
      const native = /@db\.(\w+(?:\(\d+\))?)/.exec(attrs)?.[1];
      let base = native ? NATIVE_TYPES[native] : enums.has(type) ? enums.get(type) : SCALAR_TYPES[type];
      if (!base) throw new Error(`drift test: unmapped type ${type} ${native ?? ""}`);
      if (modifier === "[]") base = `${base}[]`;
      columns.set(column, {
        column,
        type: base,
        nullable: modifier === "?" || modifier === "[]", // Prisma never puts NOT NULL on lists
        hasDefault: attrs.includes("@default("),
      });
      if (/@id\b/.test(attrs)) primaryKey = [column];
      if (/@unique\b/.test(attrs)) indexes.push({ columns: [column], method: "btree", unique: true });
    }
    const cols = (list: string) =>
      list.split(",").map((s) => {
        const field = s.trim().replace(/\(.*\)$/, "");
        return fieldToColumn.get(field) ?? field;
      });
    for (const line of body) {
      const id = /^@@id\(\[([^\]]+)\]\)/.exec(line);
      if (id) primaryKey = cols(id[1]!);
      const idx = /^@@(index|unique)\(\[([^\]]+)\](?:,\s*type:\s*(\w+))?\)/.exec(line);
      if (idx) indexes.push({ columns: cols(idx[2]!), method: (idx[3] ?? "btree").toLowerCase(), unique: idx[1] === "unique" });
    }
    return { table, columns, primaryKey, indexes };
  });
}

describe("migrations match prisma/schema.prisma", () => {
  let db: TestDatabase;
  let client: pg.Client;
  const spec = parseSchema(readFileSync(path.join(import.meta.dirname, "../../../prisma/schema.prisma"), "utf8"));

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it("parses every model of the schema", () => {
    expect(spec.map((t) => t.table).sort()).toEqual([
      "api_keys", "conversations", "provider_keys", "request_log", "settings", "usage_daily", "usage_daily_tag", "usage_hourly", "usage_hourly_provider", "usage_hourly_tag",
      "users",
    ]);
  });

  it("has exactly the tables of the schema (plus Prisma's bookkeeping table)", async () => {
    const { rows } = await client.query<{ relname: string }>(
      `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') ORDER BY relname`,
    );
    expect(rows.map((r) => r.relname)).toEqual(["_prisma_migrations", ...spec.map((t) => t.table).sort()]);
  });

  it("has exactly the columns of each model, with their types, nullability and defaults", async () => {
    for (const t of spec) {
      const { rows } = await client.query<{ attname: string; type: string; notnull: boolean; hasdef: boolean }>(
        `SELECT attname, format_type(atttypid, atttypmod) AS type, attnotnull AS notnull, atthasdef AS hasdef
           FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
        [t.table],
      );
      const actual = rows.map((r) => ({ column: r.attname, type: r.type, nullable: !r.notnull, hasDefault: r.hasdef }));
      expect(actual, t.table).toEqual([...t.columns.values()]);
    }
  });

  it("has the primary keys, uniques and indexes of the schema, and only the documented SQL-only extras", async () => {
    for (const t of spec) {
      const { rows } = await client.query<{ name: string; primary: boolean; unique: boolean; method: string; columns: string[] }>(
        `SELECT i.relname AS name, x.indisprimary AS primary, x.indisunique AS unique, am.amname AS method,
                ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum ORDER BY k.ord)::TEXT[] AS columns
           FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam
          WHERE x.indrelid = $1::regclass`,
        [t.table],
      );
      const pk = rows.find((r) => r.primary);
      expect(pk?.columns, `${t.table} primary key`).toEqual(t.primaryKey);
      expect(pk?.name).toBe(`${t.table}_pkey`);
      const others = rows.filter((r) => !r.primary && !SQL_ONLY_INDEXES.has(r.name));
      const describe = (i: IndexSpec) => `${i.unique ? "unique " : ""}${i.method}(${i.columns.join(",")})`;
      expect(others.map((r) => describe({ columns: r.columns, method: r.method, unique: r.unique })).sort(), t.table).toEqual(
        t.indexes.map(describe).sort(),
      );
    }
  });

  it("has the role enum and the api_keys → users foreign key (ON DELETE SET NULL)", async () => {
    const labels = await client.query<{ l: string }>(
      `SELECT enumlabel AS l FROM pg_enum WHERE enumtypid = 'role'::regtype ORDER BY enumsortorder`,
    );
    expect(labels.rows.map((r) => r.l)).toEqual(["read", "execute", "admin"]);
    const fk = await client.query<{ def: string }>(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'api_keys_created_by_user_id_fkey'`,
    );
    expect(fk.rows[0]?.def).toBe("FOREIGN KEY (created_by_user_id) REFERENCES users(id) ON UPDATE CASCADE ON DELETE SET NULL");
  });
});
