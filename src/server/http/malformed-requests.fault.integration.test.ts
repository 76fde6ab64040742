/**
 * 10,000 malformed requests against the app started as `npm start` does: fuzzed JSON, wrong types,
 * oversized and deeply nested bodies, invalid UTF-8, oversized and injected x-tags /
 * x-conversation-id, bad Authorization, plus malformed HTTP on raw sockets. Zero 5xx, zero
 * crashes (same server process throughout), every answer an OpenAI-shaped error, exactly one
 * ledger row for each authenticated call, and memory back near its baseline.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { Pool } from "undici";
import { checkLedger, isOpenAIError, newRequestId, startFaultApp, type FaultApp } from "@/testing/fault-harness";

const TOTAL = 10_000;
const MAX_BODY = 64 * 1024;

let f: FaultApp;
let pool: Pool;

beforeAll(async () => {
  f = await startFaultApp({ env: { MAX_BODY_BYTES: String(MAX_BODY) } });
  pool = new Pool(f.app.url, { connections: 16, pipelining: 1 });
}, 120_000);

afterAll(async () => {
  await pool?.close();
  await f?.close();
});

/** Deterministic PRNG (mulberry32): a failure replays with the same inputs. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  path: string;
  method: "POST" | "GET";
  headers: Record<string, string>;
  body?: Buffer | string;
  /** Carries the valid execute key: the gateway must write exactly one row for it. */
  authenticated: boolean;
}

const validChat = { model: "gpt-4.1-nano", messages: [{ role: "user", content: "hello" }] };
const validEmbed = { model: "text-embedding-3-small", input: "hello" };

const wrongValues: unknown[] = [null, 0, -1, 1.5, 1e309, "", "x", "hot", true, [], [1], {}, { a: 1 }, [null], [[]], "\u0000", "🦄".repeat(3)];
const chatFields = ["model", "messages", "temperature", "top_p", "max_tokens", "max_completion_tokens", "n", "stream", "stop", "tools", "tool_choice", "response_format", "stream_options", "seed", "logit_bias", "user", "reasoning_effort", "parallel_tool_calls", "presence_penalty"];
const badMessages: unknown[] = [
  [{}],
  [{ role: "user" }],
  [{ role: "robot", content: "x" }],
  [{ role: "user", content: 5 }],
  [{ role: "user", content: [{ type: "bogus" }] }],
  [{ role: "user", content: [{ type: "image_url", image_url: {} }] }],
  [{ role: "assistant", tool_calls: [{ id: 1 }] }],
  [{ role: "tool", content: "x" }],
  "hello",
  [],
];

function mutate(r: () => number, text: string): string {
  const chars = [...text];
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * chars.length);
    const op = r();
    if (op < 0.4) chars.splice(at, 1);
    else if (op < 0.8) chars.splice(at, 0, String.fromCharCode(32 + Math.floor(r() * 95)));
    else chars[at] = '"{}[],:'[Math.floor(r() * 7)]!;
  }
  return chars.join("");
}

function makeCase(i: number, key: string): Case {
  const r = rng(i + 1);
  const auth = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  const chat = (body: Buffer | string, extra: Record<string, string> = {}, authenticated = true): Case => ({
    path: "/api/ai/v1/chat/completions",
    method: "POST",
    headers: { ...auth, ...extra },
    body,
    authenticated,
  });
  switch (i % 14) {
    case 0: // fuzzed JSON: truncated
      return chat(JSON.stringify(validChat).slice(0, Math.floor(r() * 60)));
    case 1: // fuzzed JSON: characters inserted, removed, replaced (may stay valid: then a 200 is fine)
      return chat(mutate(r, JSON.stringify(validChat)));
    case 2: {
      // wrong type in one field
      const field = chatFields[Math.floor(r() * chatFields.length)]!;
      const value = field === "messages" ? badMessages[Math.floor(r() * badMessages.length)] : wrongValues[Math.floor(r() * wrongValues.length)];
      return chat(JSON.stringify({ ...validChat, [field]: value }));
    }
    case 3: {
      // huge body: declared, or streamed without a length
      const size = MAX_BODY + 1 + Math.floor(r() * MAX_BODY);
      return chat(JSON.stringify({ ...validChat, messages: [{ role: "user", content: "x".repeat(size) }] }));
    }
    case 4: {
      // deeply nested
      const depth = 65 + Math.floor(r() * 20_000);
      return chat(`{"model":"gpt-4.1-nano","messages":[{"role":"user","content":${"[".repeat(depth)}${"]".repeat(depth)}}]}`);
    }
    case 5: {
      // invalid UTF-8 inside a JSON string
      const bad = [[0xff], [0xc0, 0xaf], [0x80], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]][Math.floor(r() * 5)]!;
      return chat(Buffer.concat([Buffer.from('{"model":"gpt-4.1-nano","messages":[{"role":"user","content":"a'), Buffer.from(bad), Buffer.from('"}]}')]));
    }
    case 6: {
      // oversized or injected x-tags
      const tags = [
        "t".repeat(4097 + Math.floor(r() * 8000)),
        "team:ml, bad tag;drop table",
        "a:b:c:d<script>",
        Array.from({ length: 40 }, (_, k) => `k${k}:v`).join(","),
        "x".repeat(65),
        "team:ml,,tier: gold",
      ][Math.floor(r() * 6)]!;
      return chat(JSON.stringify(validChat), { "x-tags": tags });
    }
    case 7: {
      // oversized or injected x-conversation-id
      const conv = ["c".repeat(129 + Math.floor(r() * 4000)), "conv id with spaces", "conv;drop", "x\u00e9\u00ff'\"", "a/b\\c"][Math.floor(r() * 5)]!;
      return chat(JSON.stringify(validChat), { "x-conversation-id": conv });
    }
    case 8: {
      // bad Authorization
      const a = ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", `Bearer ${key}x`, "Bearer sy_" + "A".repeat(5000), "bearer a b c", "Bearer \u00ff\u00fe", `Token ${key}`][
        Math.floor(r() * 9)
      ]!;
      const c = chat(JSON.stringify(validChat), {}, false);
      if (a === "") delete c.headers.authorization;
      else c.headers.authorization = a;
      return c;
    }
    case 9: // wrong or exotic content type
      return chat("model=gpt&messages=1", { "content-type": ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/html", "image/png"][Math.floor(r() * 4)]! });
    case 10: // JSON that is not an object
      return chat(["", "null", "[]", "42", '"str"', "{}", "true", "[{}]"][Math.floor(r() * 8)]!);
    case 11: {
      // embeddings with wrong types
      const field = ["input", "model", "encoding_format", "dimensions", "user"][Math.floor(r() * 5)]!;
      return {
        path: "/api/ai/v1/embeddings",
        method: "POST",
        headers: auth,
        body: JSON.stringify({ ...validEmbed, [field]: field === "input" ? [5, { a: 1 }, [1, "a"]][Math.floor(r() * 3)] : wrongValues[Math.floor(r() * wrongValues.length)] }),
        authenticated: true,
      };
    }
    case 12: // a BYOK header that is not a token
      return chat(JSON.stringify({ ...validChat, temperature: "hot" }), { "x-provider-api-key": ["a b", "\u00ff".repeat(10), "k".repeat(1025)][Math.floor(r() * 3)]! });
    default: {
      // unknown paths and wrong methods under the API
      const path = ["/api/ai/v1/chat/complete", "/api/ai/v1/", "/api/ai/v1/models/../../x", "/api/ai/v1/chat/completions/extra", "/api/ai/v1/chat/completions", "/api/ai/v1/models"][
        Math.floor(r() * 6)
      ]!;
      // The two real routes are called with the other method (405).
      const method = path.endsWith("/completions") ? "GET" : path.endsWith("/models") ? "POST" : r() < 0.5 ? "GET" : "POST";
      return { path, method, headers: auth, body: method === "GET" ? undefined : "{}", authenticated: false };
    }
  }
}

interface Answer {
  /** The case number (`makeCase(index)` rebuilds the request). */
  index: number;
  status: number;
  body: string;
  requestId: string;
  echoed: string | null;
  authenticated: boolean;
}

async function send(index: number, c: Case, requestId: string): Promise<Answer> {
  const res = await pool.request({
    path: c.path,
    method: c.method,
    headers: { ...c.headers, "x-request-id": requestId },
    body: c.method === "GET" ? undefined : c.body,
  });
  const body = await res.body.text();
  const echoed = res.headers["x-request-id"];
  return { index, status: res.statusCode, body, requestId, echoed: typeof echoed === "string" ? echoed : null, authenticated: c.authenticated };
}

/** Malformed HTTP on a raw socket: the server's own parser rejects it before any handler. */
function rawHttp(payload: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const s = connect(f.app.port, "127.0.0.1");
    let data = "";
    s.setEncoding("latin1");
    s.on("data", (d: string) => (data += d));
    s.on("error", reject);
    s.on("close", () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      resolve({ status, body: data.slice(data.indexOf("\r\n\r\n") + 4) });
    });
    s.end(payload);
  });
}

const rawCases = (key: string) => [
  // Headers larger than Node's 16 KiB limit.
  `POST /api/ai/v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${key}\r\nx-tags: ${"t".repeat(20_000)}\r\ncontent-length: 2\r\n\r\n{}`,
  // Control characters in a header value.
  `POST /api/ai/v1/chat/completions HTTP/1.1\r\nhost: x\r\nx-tags: a\x01b\r\ncontent-length: 2\r\n\r\n{}`,
  // A request line that is not HTTP.
  "GARBAGE\r\n\r\n",
  // Conflicting framing (request smuggling shape).
  `POST /api/ai/v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n`,
  // An invalid chunk size.
  `POST /api/ai/v1/chat/completions HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n`,
];

function rssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? 0) / 1024;
}

describe("10,000 malformed requests", () => {
  it("never answer 5xx, never crash, always answer in OpenAI's error shape, one row per authenticated call", async () => {
    const pid = f.app.serverPid()!;
    expect(pid).toBeGreaterThan(0);
    const answers: Answer[] = [];
    const run = async (from: number, to: number) => {
      let next = from;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < to) {
            const i = next++;
            answers.push(await send(i, makeCase(i, f.key), newRequestId("m")));
          }
        }),
      );
    };
    // Warm up (JIT, pools, caches) before taking the memory baseline.
    await run(0, 1_000);
    const baseline = rssMb(pid);
    await run(1_000, 5_500);
    const mid = rssMb(pid);
    await run(5_500, TOTAL - 100);
    for (let i = 0; i < 100; i++) {
      const raw = await rawHttp(rawCases(f.key)[i % 5]!);
      answers.push({ ...raw, index: TOTAL - 100 + i, requestId: "", echoed: null, authenticated: false });
    }
    expect(answers).toHaveLength(TOTAL);

    // Zero 5xx; every error answer is OpenAI-shaped; a rare fuzzed body that is still valid is a real completion.
    const fivexx = answers.filter((a) => a.status >= 500 || a.status === 0);
    expect(fivexx.map((a) => `${a.status} ${a.body.slice(0, 200)}`)).toEqual([]);
    const badShape = answers.filter((a) => a.status >= 400 && !isOpenAIError(a.body));
    expect(badShape.map((a) => `${a.status} ${a.body.slice(0, 200)}`)).toEqual([]);
    const ok = answers.filter((a) => a.status < 400);
    // Some draws are valid after all (`stream: true`, `seed: null`, `user: "x"`, a mutated model name
    // still routed to OpenAI as gpt-*): those are answered for real.
    for (const a of ok) {
      if (a.body.startsWith("data: ")) expect(a.body.trimEnd().endsWith("data: [DONE]")).toBe(true);
      else expect(["chat.completion", "list"]).toContain((JSON.parse(a.body) as { object: string }).object);
    }
    expect(ok.length).toBeLessThan(TOTAL / 10);
    const statuses = new Set(answers.map((a) => a.status));
    for (const s of [400, 401, 404, 405, 413, 415, 431]) expect(statuses).toContain(s);

    // Zero crashes: the same server process answered everything and still answers.
    expect(f.app.serverPid()).toBe(pid);
    expect((await fetch(`${f.app.url}/api/ai/v1/models`, { headers: { authorization: `Bearer ${f.key}` } })).status).toBe(200);

    // Exactly one row for each call that got past authentication (its x-request-id was echoed).
    const recorded = answers.filter((a) => a.authenticated && a.echoed === a.requestId && a.status !== 401);
    expect(recorded.length).toBeGreaterThan(TOTAL / 2);
    const check = await checkLedger(f.sql, f.keyId, recorded.map((a) => a.requestId), 30_000);
    expect(check.missing).toEqual([]);
    expect(check.duplicated).toEqual([]);
    expect(check.rows).toBe(recorded.length);

    // Memory: no growth per request (the second half adds nothing of note) and back near the baseline.
    const end = rssMb(pid);
    console.log(`server RSS: baseline ${baseline.toFixed(0)} MB, after 5,500 ${mid.toFixed(0)} MB, after ${TOTAL} ${end.toFixed(0)} MB`);
    expect(end - mid).toBeLessThan(40);
    expect(end - baseline).toBeLessThan(80);
  }, 180_000);
});
