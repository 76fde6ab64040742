/**
 * Upstream faults over real sockets, the app started as `npm start` does: a provider that resets
 * the connection, and one that hangs at each stage (connect, first byte, between chunks). Every
 * call gets an OpenAI-shaped answer (504 / 502, or an SSE error event once the stream has started)
 * and exactly one ledger row saying what happened.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chat, checkLedger, isOpenAIError, startBlackhole, startFaultApp, type FaultApp } from "@/testing/fault-harness";

let f: FaultApp;
let blackhole: Awaited<ReturnType<typeof startBlackhole>>;

const TIMEOUT_MS = 1_000;

beforeAll(async () => {
  blackhole = await startBlackhole();
  f = await startFaultApp({
    env: {
      // xAI points at an address where connects hang.
      XAI_BASE_URL: `${blackhole.url}/v1`,
      UPSTREAM_CONNECT_TIMEOUT_MS: String(TIMEOUT_MS),
      UPSTREAM_FIRST_BYTE_TIMEOUT_MS: String(TIMEOUT_MS),
      UPSTREAM_IDLE_TIMEOUT_MS: String(TIMEOUT_MS),
    },
  });
}, 120_000);

afterAll(async () => {
  await f?.close();
  blackhole?.close();
});

interface Row {
  status: string;
  http_status: number;
  error_code: string | null;
  streamed: boolean;
  input_tokens: number;
  output_tokens: number;
  upstream_status: number | null;
}

async function rowOf(requestId: string): Promise<Row> {
  const check = await checkLedger(f.sql, f.keyId, [requestId]);
  expect(check.missing).toEqual([]);
  expect(check.duplicated).toEqual([]);
  const res = await f.sql.query<Row>(
    "SELECT status, http_status, error_code, streamed, input_tokens, output_tokens, upstream_status FROM request_log WHERE request_id = $1",
    [requestId],
  );
  expect(res.rows).toHaveLength(1);
  return res.rows[0]!;
}

/** The last data event of a stream is an OpenAI-shaped error (and no [DONE] follows it). */
function streamError(events: string[]): { code: string; type: string } {
  expect(events.at(-1)).not.toBe("[DONE]");
  const last = events.at(-1)!;
  expect(isOpenAIError(last)).toBe(true);
  return (JSON.parse(last) as { error: { code: string; type: string } }).error;
}

describe("upstream resets the connection", () => {
  it("mid-stream: the client gets an SSE error event; the row is an upstream error with the tokens seen", async () => {
    const r = await chat(f.app, f.key, { model: "claude-sonnet-4-6", content: "tell me a story #chunks=12 #reset", stream: true });
    expect(r.status).toBe(200);
    // Deltas arrived before the reset…
    expect(r.events.filter((e) => e.includes('"content"')).length).toBeGreaterThan(0);
    // …then an error event instead of [DONE].
    expect(streamError(r.events).type).toBe("server_error");
    const row = await rowOf(r.requestId);
    expect(row).toMatchObject({ status: "error", http_status: 200, streamed: true, error_code: "upstream_error" });
    // Anthropic reports the input tokens in message_start, before the reset.
    expect(row.input_tokens).toBeGreaterThan(0);
  });

  it("before the response: 502 in OpenAI's shape, row recorded", async () => {
    const r = await chat(f.app, f.key, { content: "hello #reset" });
    expect(r.status).toBe(502);
    expect(isOpenAIError(r.body)).toBe(true);
    expect(await rowOf(r.requestId)).toMatchObject({ status: "error", http_status: 502, streamed: false, error_code: "upstream_error" });
  });
});

describe("upstream hangs", () => {
  it("at connect: 504 after the connect timeout, row recorded", async () => {
    const started = Date.now();
    const r = await chat(f.app, f.key, { model: "grok-3-mini", content: "hello" });
    const took = Date.now() - started;
    expect(r.status).toBe(504);
    expect(isOpenAIError(r.body)).toBe(true);
    expect(JSON.parse(r.body).error.message).toMatch(/connecting/i);
    expect(took).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
    expect(took).toBeLessThan(TIMEOUT_MS + 3_000);
    expect(await rowOf(r.requestId)).toMatchObject({ status: "error", http_status: 504, error_code: "upstream_timeout" });
  });

  it("at connect, streaming: still a 504 (no byte was sent yet)", async () => {
    const r = await chat(f.app, f.key, { model: "grok-3-mini", content: "hello", stream: true });
    expect(r.status).toBe(504);
    expect(isOpenAIError(r.body)).toBe(true);
    expect(await rowOf(r.requestId)).toMatchObject({ status: "error", http_status: 504, streamed: true, error_code: "upstream_timeout" });
  });

  it("before the first byte: 504, row recorded", async () => {
    const r = await chat(f.app, f.key, { content: "hello #hang-headers", stream: true });
    expect(r.status).toBe(504);
    expect(isOpenAIError(r.body)).toBe(true);
    expect(await rowOf(r.requestId)).toMatchObject({ status: "error", http_status: 504, error_code: "upstream_timeout" });
  });

  it("between chunks of a stream: an SSE error event after the idle timeout, row recorded", async () => {
    const started = Date.now();
    const r = await chat(f.app, f.key, { model: "claude-sonnet-4-6", content: "hello #chunks=6 #hang-body", stream: true });
    expect(r.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
    const err = streamError(r.events);
    expect(err.type).toBe("timeout_error");
    const row = await rowOf(r.requestId);
    expect(row).toMatchObject({ status: "error", http_status: 200, streamed: true, error_code: "upstream_timeout" });
    expect(row.input_tokens).toBeGreaterThan(0);
  });

  it("in the middle of a non-streamed body: 504, row recorded", async () => {
    const r = await chat(f.app, f.key, { content: "hello #hang-body" });
    expect(r.status).toBe(504);
    expect(isOpenAIError(r.body)).toBe(true);
    expect(await rowOf(r.requestId)).toMatchObject({ status: "error", http_status: 504, error_code: "upstream_timeout" });
  });

  it("keeps serving healthy calls while others hang", async () => {
    const hung = chat(f.app, f.key, { content: "hello #hang-headers" });
    const ok = await chat(f.app, f.key, { content: "hello" });
    expect(ok.status).toBe(200);
    expect((await hung).status).toBe(504);
  });
});
