import { describe, expect, it } from "vitest";
import { LEDGER_LIMITS, ledgerRowSchema, normalizeTags, preparePayload, redactSecrets, toLedgerRow, toUuid } from "./ledger-row";
import { sampleEvent } from "./test-usage-events";

describe("toLedgerRow", () => {
  it("maps an event field by field, cost as a decimal string and time as ISO", () => {
    const row = toLedgerRow(sampleEvent());
    expect(row).toMatchObject({
      id: "6f1c2a52-8d0e-4f7e-9a51-0c1d2e3f4a5b",
      createdAt: "2026-12-04T10:15:30.123Z",
      costNanoUsd: "12345678901",
      tags: ["env:prod", "team:search"],
      requestBody: null,
      responseBody: null,
    });
    expect(ledgerRowSchema.parse(JSON.parse(JSON.stringify(row)))).toEqual(row);
  });

  it("keeps costs beyond 2^53 exact", () => {
    expect(toLedgerRow(sampleEvent({ costNanoUsd: 9_007_199_254_740_993n })).costNanoUsd).toBe("9007199254740993");
  });

  it("makes every value storable instead of letting one event fail its batch", () => {
    const row = toLedgerRow(
      sampleEvent({
        id: "not-a-uuid",
        apiKeyId: "env:master",
        createdAt: new Date(Number.NaN),
        model: "m\u0000odel" + "x".repeat(1000),
        errorMessage: "bad \ud800 surrogate",
        inputTokens: -5,
        outputTokens: Number.NaN,
        reasoningTokens: 1e12,
        latencyMs: 12.7,
        ttftMs: Infinity,
        tags: ["b", "a", "a", "bad\u001fsep", 7 as unknown as string, ""],
      }),
    );
    expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row.id).toBe(toUuid("not-a-uuid")); // stable: replays still deduplicate
    expect(row.apiKeyId).toBe(toUuid("env:master"));
    expect(Number.isNaN(Date.parse(row.createdAt))).toBe(false);
    expect(row.model.startsWith("model")).toBe(true);
    expect(row.model).toHaveLength(LEDGER_LIMITS.identifierChars);
    expect(row.errorMessage).toBe("bad \ufffd surrogate");
    expect([row.inputTokens, row.outputTokens, row.reasoningTokens, row.latencyMs, row.ttftMs]).toEqual([
      0, 0, 2_147_483_647, 12, 2_147_483_647,
    ]);
    expect(row.tags).toEqual(["a", "b", "badsep"]);
  });

  it("caps the tag set so the rollup key stays within PostgreSQL's index entry limit", () => {
    const tags = Array.from({ length: 100 }, (_, i) => `k${String(i).padStart(3, "0")}:${"v".repeat(60)}`);
    const kept = normalizeTags(tags);
    expect(Buffer.byteLength(kept.join("\u001f"))).toBeLessThanOrEqual(LEDGER_LIMITS.tagsKeyBytes);
    expect(kept).toEqual([...tags].sort().slice(0, kept.length));
    expect(kept.length).toBeGreaterThan(10);
  });
});

describe("preparePayload", () => {
  it("redacts credentials, omits inline data and cuts long strings", () => {
    const json = preparePayload({
      model: "gpt",
      api_key: "sk-secret",
      headers: { Authorization: "Bearer sk-secret" },
      messages: [
        { role: "user", content: [{ type: "image_url", image_url: { url: "data:image/png;base64," + "A".repeat(5000) } }] },
        { role: "user", content: "y".repeat(LEDGER_LIMITS.payloadStringChars + 10) },
      ],
      big: 10n,
      nul: "a\u0000b",
    });
    expect(json).not.toContain("sk-secret");
    expect(json).not.toContain("AAAA");
    const parsed = JSON.parse(json!);
    expect(parsed.api_key).toBe("[redacted]");
    expect(parsed.headers.Authorization).toBe("[redacted]");
    expect(parsed.messages[0].content[0].image_url.url).toMatch(/^\[image\/png data URL, \d+ chars omitted\]$/);
    expect(parsed.messages[1].content).toMatch(/…\[10 chars truncated\]$/);
    expect(parsed.big).toBe("10");
    expect(parsed.nul).toBe("ab");
  });

  it("bounds the work and the size for huge or circular bodies", () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    expect(JSON.parse(preparePayload(circular)!)).toEqual({ a: 1, self: "[circular]" });
    const huge = Array.from({ length: 50_000 }, (_, i) => ({ i }));
    const out = preparePayload(huge)!;
    expect(out.length).toBeLessThanOrEqual(LEDGER_LIMITS.payloadJsonChars);
    expect(JSON.parse(out).truncated).toBe(true);
    expect(preparePayload(undefined)).toBeNull();
  });
});

describe("redactSecrets", () => {
  it("removes credentials people paste into prompts and keeps the rest of the text", () => {
    const text = [
      "openai sk-proj-AbCdEf0123456789AbCdEf0123456789 and anthropic sk-ant-api03-AbCdEf0123456789AbCdEf01",
      "google AIzaSyA1234567890abcdefghijklmnopqrstuv and aws AKIAIOSFODNN7EXAMPLE",
      "gh ghp_abcdefghijklmnopqrstuvwxyz0123456789AB",
      "Authorization: Bearer abcdefghijklmnop.qrstuvwxyz",
      "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
      "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
      "the word skeleton and a short sk-1 stay",
    ].join("\n");
    const out = redactSecrets(text);
    for (const secret of ["sk-proj-AbCd", "sk-ant-api03", "AIzaSyA1234", "AKIAIOSFODNN7EXAMPLE", "ghp_abcdef", "abcdefghijklmnop.qrst", "eyJhbGci", "MIIEowIBAAKCAQEA"]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain("the word skeleton and a short sk-1 stay");
    expect(out).toContain("Authorization: Bearer [redacted]");
    expect(JSON.parse(preparePayload({ messages: [{ role: "user", content: "key sk-proj-AbCdEf0123456789AbCdEf0123456789" }] })!)).toEqual({
      messages: [{ role: "user", content: "key [redacted key]" }],
    });
  });
});
