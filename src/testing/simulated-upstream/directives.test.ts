/**
 * Every directive, per provider, over real sockets: what the README promises is what the wire shows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REASONING_TEXT, REASONING_TOKENS, TOOL_CALL_TOKENS } from "./plan";
import { startSimulatedUpstream } from "./server";
import type { SimProvider, SimulatedUpstream } from "./types";
import { drivers, KEY, sseToEvents, type ChatOptions, type ChatResult } from "./test-support";

let sim: SimulatedUpstream;
beforeAll(async () => {
  sim = await startSimulatedUpstream();
});
afterAll(() => sim.close());

const providers: SimProvider[] = ["openai", "xai", "anthropic", "gemini"];
const weatherTool = { name: "get_weather", schema: { type: "object", properties: { location: { type: "string" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } }, required: ["location"] } };
const timeTool = { name: "get_time", schema: { type: "object", properties: { city: { type: "string" }, utc: { type: "boolean" } }, required: ["city", "utc"] } };

interface Expected {
  prompt: number;
  completion: number;
  reasoning?: number;
  cached?: number;
}

/** Each provider's own usage semantics for the same token counts. */
// eslint-style looseness is fine here: usage objects are provider-native wire JSON.
function expectUsage(provider: SimProvider, u: Record<string, any>, e: Expected) {
  const reasoning = e.reasoning ?? 0;
  const cached = e.cached ?? 0;
  switch (provider) {
    case "openai":
      // Reasoning is part of completion_tokens; cached is part of prompt_tokens.
      expect(u).toMatchObject({
        prompt_tokens: e.prompt, completion_tokens: e.completion + reasoning, total_tokens: e.prompt + e.completion + reasoning,
        prompt_tokens_details: { cached_tokens: cached }, completion_tokens_details: { reasoning_tokens: reasoning },
      });
      break;
    case "xai":
      // Reasoning is outside completion_tokens but inside total_tokens.
      expect(u).toMatchObject({
        prompt_tokens: e.prompt, completion_tokens: e.completion, total_tokens: e.prompt + e.completion + reasoning,
        prompt_tokens_details: { cached_tokens: cached }, completion_tokens_details: { reasoning_tokens: reasoning },
      });
      break;
    case "anthropic": {
      // input_tokens excludes cache reads and writes; output_tokens includes thinking.
      const write = cached ? Math.floor(e.prompt / 4) : 0;
      expect(u).toMatchObject({ input_tokens: e.prompt - cached - write, cache_read_input_tokens: cached, cache_creation_input_tokens: write, output_tokens: e.completion + reasoning });
      break;
    }
    case "gemini":
      // Thoughts are outside candidatesTokenCount; cached is inside promptTokenCount.
      expect(u.promptTokenCount).toBe(e.prompt);
      expect(u.candidatesTokenCount).toBe(e.completion || undefined);
      expect(u.thoughtsTokenCount).toBe(reasoning || undefined);
      expect(u.cachedContentTokenCount).toBe(cached || undefined);
      expect(u.totalTokenCount).toBe(e.prompt + e.completion + reasoning);
      break;
  }
}

async function chat(provider: SimProvider, o: ChatOptions, history?: unknown[]): Promise<ChatResult> {
  const r = await drivers[provider].chat(sim, o, history);
  expect(r.status, r.raw).toBe(200);
  return r;
}

const TOOL_FINISH = { openai: "tool_calls", xai: "tool_calls", anthropic: "tool_use", gemini: "STOP" };
const LENGTH_FINISH = { openai: "length", xai: "length", anthropic: "max_tokens", gemini: "MAX_TOKENS" };
const STOP_FINISH = { openai: "stop", xai: "stop", anthropic: "end_turn", gemini: "STOP" };

describe.each(providers)("%s", (provider) => {
  it.each([false, true])("echoes the last user message word by word with exact usage (stream: %s)", async (stream) => {
    const r = await chat(provider, { prompt: "hello   simulated world", stream });
    expect(r.text).toBe("Echo: hello simulated world");
    expect(r.finish).toBe(STOP_FINISH[provider]);
    if (stream) expect(r.deltas).toEqual(["Echo:", " hello", " simulated", " world"]);
    // prompt = 3 words + 3 per message; completion = 4 reply words.
    expectUsage(provider, r.usage, { prompt: 6, completion: 4 });
  });

  it("counts a system prompt as one more message and reads directives from the last user message only", async () => {
    const r = await chat(provider, { prompt: "hello simulated world", system: "Be brief #tool" });
    expect(r.text).toBe("Echo: hello simulated world");
    expectUsage(provider, r.usage, { prompt: 6 + 3 + 3, completion: 4 });
  });

  it("#chunks=n streams exactly n content deltas", async () => {
    const r = await chat(provider, { prompt: "alpha beta #chunks=7", stream: true });
    expect(r.deltas).toHaveLength(7);
    expect(r.text).toBe("Echo: alpha beta Echo: alpha beta Echo:");
    expectUsage(provider, r.usage, { prompt: 6, completion: 7 });
  });

  it("#slow=ms waits between stream events; #delay=ms waits before answering", async () => {
    let t = Date.now();
    const slow = await chat(provider, { prompt: "go #slow=40 #chunks=3", stream: true });
    const frames = slow.events!.length;
    expect(Date.now() - t).toBeGreaterThanOrEqual(40 * (frames - 1) - 5);
    t = Date.now();
    await chat(provider, { prompt: "go #delay=150" });
    expect(Date.now() - t).toBeGreaterThanOrEqual(145);
  });

  it("#linger=ms keeps a complete stream's body open after its last event", async () => {
    const t = Date.now();
    const r = await chat(provider, { prompt: "go #linger=200 #chunks=2", stream: true });
    expect(r.text).toBe("Echo: go");
    expect(Date.now() - t).toBeGreaterThanOrEqual(195);
  });

  it.each([false, true])("#tool calls the first tool with arguments built from its schema (stream: %s)", async (stream) => {
    const r = await chat(provider, { prompt: "weather in Paris? #tool", tools: [weatherTool, timeTool], stream });
    expect(r.finish).toBe(TOOL_FINISH[provider]);
    expect(r.toolCalls).toHaveLength(1);
    expect(r.toolCalls[0]).toMatchObject({ name: "get_weather", args: { location: "location" } });
    expect(r.text).toBe("");
    expectUsage(provider, r.usage, { prompt: 4 + 3, completion: TOOL_CALL_TOKENS });
    if (provider !== "gemini") expect(r.toolCalls[0]!.id).toMatch(provider === "anthropic" ? /^toolu_01/ : /^call_/);
    if (!stream) return;
    const pieces = r.toolCalls[0]!.pieces;
    if (provider === "anthropic") {
      expect(pieces[0]).toBe("");
      expect(pieces.length).toBeGreaterThan(2);
    } else if (provider === "openai") expect(pieces.length).toBeGreaterThan(1);
    else if (provider === "xai") expect(pieces).toHaveLength(1);
    else expect(r.events!.filter((e) => e.data.candidates[0].content.parts?.some((p: { functionCall?: unknown }) => p.functionCall))).toHaveLength(1);
  });

  it("#tools2 makes two parallel calls (first two tools, or the first one twice); none when parallel calls are off", async () => {
    const two = await chat(provider, { prompt: "both please #tools2", tools: [weatherTool, timeTool], stream: true });
    expect(two.toolCalls.map((c) => c.name)).toEqual(["get_weather", "get_time"]);
    expect(two.toolCalls[1]!.args).toEqual({ city: "city", utc: true });
    expectUsage(provider, two.usage, { prompt: 3 + 3, completion: 2 * TOOL_CALL_TOKENS });
    if (provider !== "gemini") expect(new Set(two.toolCalls.map((c) => c.id)).size).toBe(2);
    const twice = await chat(provider, { prompt: "both please #tools2", tools: [weatherTool] });
    expect(twice.toolCalls.map((c) => c.name)).toEqual(["get_weather", "get_weather"]);
    if (provider === "gemini") return;
    const serial = {
      openai: { parallel_tool_calls: false },
      xai: { parallel_tool_calls: false },
      anthropic: { tool_choice: { type: "auto", disable_parallel_tool_use: true } },
    }[provider];
    const one = await chat(provider, { prompt: "both please #tools2", tools: [weatherTool, timeTool], extra: serial });
    expect(one.toolCalls).toHaveLength(1);
  });

  it("answers with the tool results once they are in the conversation", async () => {
    const d = drivers[provider];
    const prompt = "both please #tools2";
    const first = await chat(provider, { prompt, tools: [weatherTool, timeTool] });
    const history = d.toolHistory(first, prompt, ["sunny, 21C", "14:05"]);
    const r = await chat(provider, { prompt, tools: [weatherTool, timeTool], stream: true }, history);
    expect(r.text).toBe("Tool results: sunny, 21C; 14:05");
    expect(r.toolCalls).toHaveLength(0);
    expect(r.finish).toBe(STOP_FINISH[provider]);
  });

  it("honours tool_choice: forced without a directive, disabled with #tool, or a named tool", async () => {
    const choice = {
      openai: { required: "required", none: "none", named: { type: "function", function: { name: "get_time" } } },
      xai: { required: "required", none: "none", named: { type: "function", function: { name: "get_time" } } },
      anthropic: { required: { type: "any" }, none: { type: "none" }, named: { type: "tool", name: "get_time" } },
      gemini: {
        required: { functionCallingConfig: { mode: "ANY" } },
        none: { functionCallingConfig: { mode: "NONE" } },
        named: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["get_time"] } },
      },
    }[provider];
    const field = provider === "gemini" ? "toolConfig" : "tool_choice";
    const tools = [weatherTool, timeTool];
    const forced = await chat(provider, { prompt: "hi", tools, extra: { [field]: choice.required } });
    expect(forced.toolCalls.map((c) => c.name)).toEqual(["get_weather"]);
    const none = await chat(provider, { prompt: "hi #tool", tools, extra: { [field]: choice.none } });
    expect(none.text).toBe("Tool use is disabled by tool_choice.");
    const named = await chat(provider, { prompt: "hi", tools, extra: { [field]: choice.named } });
    expect(named.toolCalls.map((c) => c.name)).toEqual(["get_time"]);
    const noTools = await chat(provider, { prompt: "hi #tool" });
    expect(noTools.text).toBe("No tools were provided.");
  });

  it.each([false, true])("emits reasoning the provider's way when the request enables it (stream: %s)", async (stream) => {
    const r = await chat(provider, { prompt: "hello simulated world", reasoning: true, stream });
    expect(r.text).toBe("Echo: hello simulated world");
    // OpenAI bills reasoning but never shows it; the others return the reasoning text.
    expect(r.reasoning).toBe(provider === "openai" ? "" : REASONING_TEXT);
    expectUsage(provider, r.usage, { prompt: 6, completion: 4, reasoning: REASONING_TOKENS });
    if (provider === "anthropic") {
      const thinking = (r.assistant.content as { type: string; signature?: string }[])[0]!;
      expect(thinking.type).toBe("thinking");
      expect(thinking.signature!.length).toBeGreaterThan(20);
      if (stream) expect(r.usage.output_tokens_details).toEqual({ thinking_tokens: REASONING_TOKENS });
    }
  });

  it("#cache reports cached prompt tokens", async () => {
    const r = await chat(provider, { prompt: "hello simulated world #cache" });
    // prompt = 4 words + 3 = 7; cached = ⌊7/2⌋ = 3 (Anthropic also writes ⌊7/4⌋ = 1).
    expectUsage(provider, r.usage, { prompt: 7, completion: 4, cached: 3 });
  });

  it.each([false, true])("#json returns a schema instance when JSON is requested (stream: %s)", async (stream) => {
    const schema = { type: "object", properties: { answer: { type: "string" }, score: { type: "number" }, tags: { type: "array", items: { type: "string" } } }, required: ["answer", "score", "tags"], additionalProperties: false };
    const r = await chat(provider, { prompt: "rate it #json", json: schema, stream });
    expect(JSON.parse(r.text)).toEqual({ answer: "answer", score: 1, tags: ["tags"] });
    if (stream) expect(r.deltas.length).toBeGreaterThan(1);
    const plain = await chat(provider, { prompt: "rate it #json" });
    expect(plain.text).toBe("No JSON format was requested.");
    if (provider === "anthropic") return; // Anthropic has no schema-less JSON mode.
    const loose = await chat(provider, { prompt: "rate it #json", json: true });
    expect(JSON.parse(loose.text)).toEqual({ echo: "Echo: rate it" });
  });

  it("#image describes how many images arrived and their kinds", async () => {
    const r = await chat(provider, { prompt: "what is this? #image", images: ["base64", "url"] });
    const kinds = provider === "gemini" ? "inlineData, fileData" : "base64, url";
    expect(r.text).toBe(`Received 2 images: ${kinds}.`);
    const none = await chat(provider, { prompt: "what is this? #image" });
    expect(none.text).toBe("Received 0 images.");
  });

  it.each([false, true])("#length and a small max-tokens limit finish with the provider's length reason (stream: %s)", async (stream) => {
    const r = await chat(provider, { prompt: "one two three four #length", stream });
    expect(r.text).toBe("Echo: one two");
    expect(r.finish).toBe(LENGTH_FINISH[provider]);
    expectUsage(provider, r.usage, { prompt: 5 + 3, completion: 3 });
    const limited = await chat(provider, { prompt: "one two three", maxTokens: 2, stream });
    expect(limited.text).toBe("Echo: one");
    expect(limited.finish).toBe(LENGTH_FINISH[provider]);
  });

  it("stops at a stop sequence", async () => {
    const r = await chat(provider, { prompt: "one two three four", stop: ["three"] });
    expect(r.text).toBe("Echo: one two");
    expect(r.finish).toBe(provider === "anthropic" ? "stop_sequence" : STOP_FINISH[provider]);
    if (provider === "anthropic") expect(r.body.stop_sequence).toBe("three");
  });

  it.each([false, true])("#refusal ends with the provider's refusal (stream: %s)", async (stream) => {
    const r = await chat(provider, { prompt: "something bad #refusal", stream });
    expect(r.finish).toBe({ openai: "content_filter", xai: "content_filter", anthropic: "refusal", gemini: "SAFETY" }[provider]);
    expect(r.text).toBe("");
    if (!stream && provider === "anthropic") expect(r.body).toMatchObject({ content: [], stop_details: { type: "refusal" } });
    if (!stream && provider === "gemini") expect(r.body.candidates[0].content).toEqual({});
    if (!stream && provider === "openai") expect(r.body.choices[0].message.content).toBeNull();
  });

  const errorClass = (r: ChatResult): string =>
    provider === "openai" ? `${r.body.error.type}/${r.body.error.code}` : provider === "xai" ? r.body.code : provider === "anthropic" ? r.body.error.type : r.body.error.status;
  const ERRORS: Record<SimProvider, [number, number, string][]> = {
    openai: [[429, 429, "requests/rate_limit_exceeded"], [529, 503, "server_error/null"], [503, 503, "server_error/null"], [500, 500, "server_error/null"], [400, 400, "invalid_request_error/null"], [401, 401, "invalid_request_error/invalid_api_key"], [403, 403, "request_forbidden/unsupported_country_region_territory"]],
    xai: [[429, 429, "Some resource has been exhausted"], [529, 503, "The service is currently unavailable"], [503, 503, "The service is currently unavailable"], [500, 500, "Internal error"], [400, 400, "Client specified an invalid argument"], [401, 401, "The request does not have valid authentication credentials for the operation"], [403, 403, "The caller does not have permission to execute the specified operation"]],
    anthropic: [[429, 429, "rate_limit_error"], [529, 529, "overloaded_error"], [503, 529, "overloaded_error"], [500, 500, "api_error"], [400, 400, "invalid_request_error"], [401, 401, "authentication_error"], [403, 403, "permission_error"]],
    gemini: [[429, 429, "RESOURCE_EXHAUSTED"], [529, 503, "UNAVAILABLE"], [503, 503, "UNAVAILABLE"], [500, 500, "INTERNAL"], [400, 400, "INVALID_ARGUMENT"], [401, 401, "UNAUTHENTICATED"], [403, 403, "PERMISSION_DENIED"]],
  };
  it.each(ERRORS[provider])("#error=%i answers %i with the provider's body (%s)", async (asked, status, cls) => {
    for (const stream of [false, true]) {
      const r = await drivers[provider].chat(sim, { prompt: `please fail #error=${asked}`, stream });
      expect(r.status).toBe(status);
      expect(errorClass(r)).toBe(cls);
      if (status === 429 && provider !== "gemini") expect(r.headers.get("retry-after")).toBe("7");
      if (status === 429 && provider === "gemini") {
        expect(r.body.error.details).toContainEqual({ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "6.2s" });
      }
    }
  });

  it("#midstream-error streams a few deltas, then the provider's error, then closes", async () => {
    const r = await chat(provider, { prompt: "start then fail #midstream-error", stream: true });
    expect(r.deltas.length).toBeGreaterThanOrEqual(1);
    expect(r.deltas.length).toBeLessThan(4);
    expect(r.headers.get("connection")).toBe("close");
    const last = r.events!.at(-1)!;
    if (provider === "anthropic") {
      expect(last.event).toBe("error");
      expect(last.data).toMatchObject({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
      expect(r.events!.some((e) => e.event === "message_stop")).toBe(false);
    } else {
      expect(last.data).toHaveProperty("error");
      expect(r.raw).not.toContain("[DONE]");
      if (provider === "gemini") expect(r.raw).not.toContain("finishReason");
    }
    const plain = await drivers[provider].chat(sim, { prompt: "start then fail #midstream-error" });
    expect(plain.status).toBe(provider === "anthropic" ? 529 : 503);
  });

  it("#reset sends a few deltas then resets the connection", async () => {
    const req = drivers[provider].chat(sim, { prompt: "reset me #reset", stream: true });
    await expect(req).rejects.toThrow();
    const rec = sim.requests.at(-1)!;
    expect(rec.status).toBe(200);
    await expect(drivers[provider].chat(sim, { prompt: "reset me #reset" })).rejects.toThrow();
    // The deltas did go out before the reset: read them with a raw reader.
    const { received, error } = await readUntilError(provider, "reset me #reset");
    expect(error).toBeTruthy();
    expect(received).toContain("reset");
  });
});

describe("OpenAI n", () => {
  it("answers n choices, interleaved in streams, with usage for all of them", async () => {
    const r = await chat("openai", { prompt: "hello simulated world", extra: { n: 2 } });
    expect(r.body.choices.map((c: { index: number }) => c.index)).toEqual([0, 1]);
    expectUsage("openai", r.usage, { prompt: 6, completion: 8 });
    const s = await chat("openai", { prompt: "hello simulated world", stream: true, extra: { n: 2 } });
    const indexes = s.events!.filter((e) => e.data !== "[DONE]" && e.data.choices[0]?.delta?.content).map((e) => e.data.choices[0].index);
    expect(indexes.slice(0, 4)).toEqual([0, 1, 0, 1]);
  });
});

describe("hung requests", () => {
  it("#hang-headers and #hang-body stay open until close() destroys them", async () => {
    const local = await startSimulatedUpstream();
    const post = (prompt: string, stream: boolean) =>
      fetch(`${local.baseUrls.openai}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ model: "gpt-4.1-nano", stream, messages: [{ role: "user", content: prompt }] }),
      });
    const noHeaders = post("wait #hang-headers", false);
    const noHeadersOutcome = noHeaders.then(() => "resolved", () => "rejected");
    const bodyRes = await post("wait for more #hang-body", true);
    expect(bodyRes.status).toBe(200);
    const reader = bodyRes.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(sseToEvents(first).some((e) => e.data !== "[DONE]" && e.data.choices?.[0]?.delta?.content === "Echo:")).toBe(true);
    const rest = reader.read().then(() => "resolved", () => "rejected");
    const jsonBody = await post("wait #hang-body", false);
    const jsonRest = jsonBody.text().then(() => "resolved", () => "rejected");
    await new Promise((r) => setTimeout(r, 150));
    expect(await Promise.race([noHeadersOutcome, new Promise((r) => setTimeout(() => r("pending"), 20))])).toBe("pending");
    const t = Date.now();
    await local.close();
    expect(Date.now() - t).toBeLessThan(2000);
    expect(await noHeadersOutcome).toBe("rejected");
    expect(await rest).toBe("rejected");
    expect(await jsonRest).toBe("rejected");
  });
});

async function readUntilError(provider: SimProvider, prompt: string): Promise<{ received: string; error: unknown }> {
  const o = { prompt, stream: true };
  const url = {
    openai: `${sim.baseUrls.openai}/chat/completions`,
    xai: `${sim.baseUrls.xai}/chat/completions`,
    anthropic: `${sim.baseUrls.anthropic}/v1/messages`,
    gemini: `${sim.baseUrls.gemini}/models/gemini-2.5-flash:streamGenerateContent?alt=sse`,
  }[provider];
  const body = {
    openai: { model: "gpt-4.1-nano", stream: true, messages: [{ role: "user", content: o.prompt }] },
    xai: { model: "grok-3-mini", stream: true, messages: [{ role: "user", content: o.prompt }] },
    anthropic: { model: "claude-sonnet-4-5", max_tokens: 100, stream: true, messages: [{ role: "user", content: o.prompt }] },
    gemini: { contents: [{ role: "user", parts: [{ text: o.prompt }] }] },
  }[provider];
  const headers: Record<string, string> = {
    openai: { authorization: `Bearer ${KEY}` },
    xai: { authorization: `Bearer ${KEY}` },
    anthropic: { "x-api-key": KEY, "anthropic-version": "2023-06-01" },
    gemini: { "x-goog-api-key": KEY },
  }[provider];
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let received = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { received, error: undefined };
      received += dec.decode(value, { stream: true });
    }
  } catch (error) {
    return { received, error };
  }
}
