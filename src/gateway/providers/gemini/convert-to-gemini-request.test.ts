import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors";
import { chatCompletionRequestSchema, type ChatCompletionRequest } from "../../openai/chat-request";
import type { GeminiContent, GeminiGenerateContentRequest } from "./gemini-api";
import {
  GEMINI_THINKING_BUDGETS,
  GEMINI_THINKING_LEVELS,
  SKIP_THOUGHT_SIGNATURE_VALIDATOR,
  convertToGeminiRequest,
  toolResponseObject,
} from "./convert-to-gemini-request";
import { GeminiStreamTransformer } from "./gemini-stream-transformer";
import { collect, fixtureJson, testContext } from "./gemini-test-support";

/** Validates like the gateway's front door does, so tests only send requests clients can send. */
const chat = (body: Record<string, unknown>): ChatCompletionRequest => chatCompletionRequestSchema.parse({ model: "m", ...body });

const userHi = [{ role: "user", content: "Hi" }];

/** The recorded requests use snake_case part keys in places; the API accepts both spellings. */
function camelParts(contents: Array<{ role: string; parts: Array<Record<string, unknown>> }>): GeminiContent[] {
  const rename: Record<string, string> = { function_call: "functionCall", function_response: "functionResponse" };
  return contents.map((c) => ({
    role: c.role as GeminiContent["role"],
    parts: c.parts.map((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [rename[k] ?? k, v]))) as GeminiContent["parts"],
  }));
}

interface RecordedRequest {
  contents: Array<{ role: string; parts: Array<Record<string, unknown>> }>;
  systemInstruction?: { parts: Array<{ text: string }> };
  tools: Array<{ functionDeclarations: Array<{ name: string; description: string | null; parameters: Record<string, unknown> }> }>;
  generationConfig: { thinkingConfig: { includeThoughts: boolean } };
}

/** Google's OpenAPI-subset schemas spell types in capitals ("OBJECT"); JSON Schema uses lowercase. */
function lowerTypes(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(lowerTypes);
  if (schema && typeof schema === "object") {
    return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === "type" && typeof v === "string" ? v.toLowerCase() : lowerTypes(v)]));
  }
  return schema;
}

describe("outbound request vs recorded Gemini requests", () => {
  it("thought-stream.request.json: systemInstruction, contents, tools, thinkingConfig", async () => {
    const recorded = fixtureJson<RecordedRequest>("thought-stream.request.json");
    const body = await convertToGeminiRequest(
      chat({
        model: "gemini-2.5-pro",
        messages: [
          { role: "system", content: "You are a helpful assistant." },
          { role: "user", content: "How do I cross the street?" },
        ],
        tools: [{ type: "function", function: { name: "dummy", description: "", parameters: { type: "object", properties: {} } } }],
        reasoning_effort: "medium",
      }),
      testContext("gemini-2.5-pro"),
    );
    // The recording carries role "user" inside systemInstruction, which the API ignores.
    expect(body.systemInstruction?.parts).toEqual(recorded.systemInstruction?.parts);
    expect(body.contents).toEqual(camelParts(recorded.contents));

    const decl = recorded.tools[0]!.functionDeclarations[0]!;
    const ours = body.tools![0]!.functionDeclarations[0]!;
    expect([ours.name, ours.description]).toEqual([decl.name, decl.description]);
    // We send full JSON Schema as parametersJsonSchema; the recording used the OpenAPI subset.
    expect(ours.parametersJsonSchema).toEqual(lowerTypes(decl.parameters));
    expect(ours).not.toHaveProperty("parameters");

    expect(body.generationConfig?.thinkingConfig).toEqual({
      ...recorded.generationConfig.thinkingConfig,
      thinkingBudget: GEMINI_THINKING_BUDGETS.medium,
    });
    expect(body.generationConfig?.thinkingConfig?.includeThoughts).toBe(true);
  });

  it("thought-function-call-stream.request.json: contents, tools, thinkingConfig", async () => {
    const recorded = fixtureJson<RecordedRequest & { safetySettings: unknown }>("thought-function-call-stream.request.json");
    const body = await convertToGeminiRequest(
      chat({
        model: "gemini-2.5-flash",
        messages: [{ role: "user", content: "Two names for a pet pelican" }],
        tools: [{ type: "function", function: { name: "pelican_name_generator", parameters: { properties: {}, type: "object" } } }],
        reasoning_effort: "low",
      }),
      testContext("gemini-2.5-flash"),
    );
    expect(body.contents).toEqual(camelParts(recorded.contents));
    const decl = recorded.tools[0]!.functionDeclarations[0]!;
    // The recording sent description: null; an absent description is the same to the API.
    expect(body.tools).toEqual([{ functionDeclarations: [{ name: decl.name, parametersJsonSchema: decl.parameters }] }]);
    expect(body.generationConfig?.thinkingConfig).toEqual({ includeThoughts: recorded.generationConfig.thinkingConfig.includeThoughts, thinkingBudget: 1024 });
    // The recording client chose safetySettings itself; OpenAI has no such field, so none is sent.
    expect(body).not.toHaveProperty("safetySettings");
    expect(body).not.toHaveProperty("systemInstruction");
  });

  describe("function-response-followup.request.json: the round trip of a recorded tool call", () => {
    const recorded = fixtureJson<RecordedRequest>("function-response-followup.request.json");
    const recordedId = "call_27db36357f594e73b557ec8f70da9e87";

    /** Replays the recorded first turn; the gateway's synthesized id is made equal to the recording's. */
    function firstTurn() {
      const ctx = testContext("gemini-2.5-flash", { newId: () => "27db36357f594e73b557ec8f70da9e87" });
      const t = new GeminiStreamTransformer(ctx);
      const elements = fixtureJson<unknown[]>("thought-function-call-stream.json-array.txt");
      const chunks = [...elements.flatMap((e) => t.push({ data: JSON.stringify(e) })), ...t.end()];
      return { ctx, call: collect(chunks).toolCalls[0]! };
    }

    const followUp = (toolCall: Record<string, unknown>) =>
      chat({
        model: "gemini-2.5-flash",
        messages: [
          { role: "user", content: "Two names for a pet pelican" },
          { role: "assistant", content: null, tool_calls: [toolCall] },
          { role: "tool", tool_call_id: recordedId, content: "Charles" },
        ],
        tools: [{ type: "function", function: { name: "pelican_name_generator", parameters: { properties: {}, type: "object" } } }],
        reasoning_effort: "low",
      });

    it("the client echoes extra_content: contents match the recording (functionCall + thoughtSignature, functionResponse name/response)", async () => {
      const { ctx, call } = firstTurn();
      expect(call.id).toBe(recordedId);
      const body = await convertToGeminiRequest(
        followUp({ id: call.id, type: "function", function: { name: call.name, arguments: call.arguments }, extra_content: call.extra }),
        { ...ctx, reasoningState: { get: () => undefined, set: () => undefined } },
      );
      expect(body.contents).toEqual(camelParts(recorded.contents));
      expect(body.generationConfig?.thinkingConfig?.includeThoughts).toBe(recorded.generationConfig.thinkingConfig.includeThoughts);
    });

    it("the client drops extra_content: the signature kept under the call id is re-attached", async () => {
      const { ctx, call } = firstTurn();
      const body = await convertToGeminiRequest(followUp({ id: call.id, type: "function", function: { name: call.name, arguments: call.arguments } }), ctx);
      expect(body.contents).toEqual(camelParts(recorded.contents));
    });
  });
});

describe("messages", () => {
  it("system and developer messages are concatenated into systemInstruction; roles are user/model", async () => {
    const body = await convertToGeminiRequest(
      chat({
        messages: [
          { role: "system", content: "Be brief." },
          { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Salut" },
          { role: "user", content: "Bye" },
        ],
      }),
      testContext(),
    );
    expect(body.systemInstruction).toEqual({ parts: [{ text: "Be brief.\n\nAnswer in French." }] });
    expect(body.contents).toEqual([
      { role: "user", parts: [{ text: "Hi" }] },
      { role: "model", parts: [{ text: "Salut" }] },
      { role: "user", parts: [{ text: "Bye" }] },
    ]);
  });

  it("consecutive same-role messages are merged into one content", async () => {
    const body = await convertToGeminiRequest(
      chat({
        messages: [
          { role: "user", content: "one" },
          { role: "user", content: [{ type: "text", text: "two" }] },
          { role: "assistant", content: "three" },
          { role: "assistant", content: "four" },
        ],
      }),
      testContext(),
    );
    expect(body.contents).toEqual([
      { role: "user", parts: [{ text: "one" }, { text: "two" }] },
      { role: "model", parts: [{ text: "three" }, { text: "four" }] },
    ]);
  });

  it("images: data URI → inlineData, http(s) URL → downloaded via fetchAsset and inlined, Files API URI → fileData", async () => {
    const ctx = testContext();
    const body = await convertToGeminiRequest(
      chat({
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "Compare" },
              { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
              { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
              { type: "image_url", image_url: { url: "https://generativelanguage.googleapis.com/v1beta/files/abc123" } },
            ],
          },
        ],
      }),
      ctx,
    );
    expect(body.contents[0]!.parts).toEqual([
      { text: "Compare" },
      { inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } },
      { inlineData: { mimeType: "image/jpeg", data: "/9j/ZmFrZQ==" } },
      { fileData: { fileUri: "https://generativelanguage.googleapis.com/v1beta/files/abc123" } },
    ]);
    expect(ctx.fetchedUrls).toEqual(["https://example.com/cat.jpg"]);
  });

  it("a failing download surfaces fetchAsset's GatewayError", async () => {
    const ctx = testContext("gemini-2.5-flash", {
      fetchAsset: async () => {
        throw new GatewayError("invalid_request", "could not fetch", { param: "messages" });
      },
    });
    await expect(
      convertToGeminiRequest(chat({ messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "https://x.test/a.png" } }] }] }), ctx),
    ).rejects.toMatchObject({ status: 400, param: "messages" });
  });

  it("image detail low/high → generationConfig.mediaResolution; mixing them → 400", async () => {
    const img = (detail: string) => ({ type: "image_url", image_url: { url: "data:image/png;base64,AA==", detail } });
    const low = await convertToGeminiRequest(chat({ messages: [{ role: "user", content: [img("low"), img("auto")] }] }), testContext());
    expect(low.generationConfig?.mediaResolution).toBe("MEDIA_RESOLUTION_LOW");
    const auto = await convertToGeminiRequest(chat({ messages: [{ role: "user", content: [img("auto")] }] }), testContext());
    expect(auto.generationConfig).toBeUndefined();
    await expect(convertToGeminiRequest(chat({ messages: [{ role: "user", content: [img("low"), img("high")] }] }), testContext())).rejects.toMatchObject({
      param: "messages",
      status: 400,
    });
  });

  it("file data URIs and input_audio are inlined; file ids and non-base64 data URIs are refused", async () => {
    const body = await convertToGeminiRequest(
      chat({
        messages: [
          {
            role: "user",
            content: [
              { type: "file", file: { file_data: "data:application/pdf;base64,JVBERi0=", filename: "a.pdf" } },
              { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } },
            ],
          },
        ],
      }),
      testContext(),
    );
    expect(body.contents[0]!.parts).toEqual([
      { inlineData: { mimeType: "application/pdf", data: "JVBERi0=" } },
      { inlineData: { mimeType: "audio/wav", data: "UklGRg==" } },
    ]);
    await expect(convertToGeminiRequest(chat({ messages: [{ role: "user", content: [{ type: "file", file: { file_id: "file-1" } }] }] }), testContext())).rejects.toMatchObject({
      param: "messages[0].content[0].file.file_id",
    });
    await expect(
      convertToGeminiRequest(chat({ messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:image/svg+xml,%3Csvg%3E" } }] }] }), testContext()),
    ).rejects.toMatchObject({ param: "messages[0].content[0].image_url.url", status: 400 });
  });

  it("assistant tool_calls → functionCall parts with object args; tool messages → one user content in call order", async () => {
    const body = await convertToGeminiRequest(
      chat({
        messages: [
          { role: "user", content: "Weather in Paris and Rome?" },
          {
            role: "assistant",
            content: "Checking.",
            tool_calls: [
              { id: "call_a", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } },
              { id: "call_b", type: "function", function: { name: "time", arguments: "" } },
            ],
          },
          // Answered out of order, one as a JSON object, one as plain text.
          { role: "tool", tool_call_id: "call_b", content: "12:00" },
          { role: "tool", tool_call_id: "call_a", content: '{"temp_c": 21, "sky": "clear"}' },
          { role: "user", content: "Thanks" },
        ],
        tools: [
          { type: "function", function: { name: "weather", parameters: { type: "object", properties: { city: { type: "string" } } } } },
          { type: "function", function: { name: "time" } },
        ],
      }),
      testContext(),
    );
    expect(body.contents).toEqual([
      { role: "user", parts: [{ text: "Weather in Paris and Rome?" }] },
      {
        role: "model",
        parts: [
          { text: "Checking." },
          { functionCall: { id: "call_a", name: "weather", args: { city: "Paris" } } },
          { functionCall: { id: "call_b", name: "time", args: {} } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { id: "call_a", name: "weather", response: { temp_c: 21, sky: "clear" } } },
          { functionResponse: { id: "call_b", name: "time", response: { output: "12:00" } } },
          { text: "Thanks" },
        ],
      },
    ]);
  });

  it("tool response rule: a JSON object is sent as is, anything else as {output: text}", () => {
    expect(toolResponseObject('{"a":1}')).toEqual({ a: 1 });
    expect(toolResponseObject("[1,2]")).toEqual({ output: "[1,2]" });
    expect(toolResponseObject("42")).toEqual({ output: "42" });
    expect(toolResponseObject("null")).toEqual({ output: "null" });
    expect(toolResponseObject("plain")).toEqual({ output: "plain" });
  });

  it("a tool message whose tool_call_id no earlier assistant message made → 400 param messages", async () => {
    const err = await convertToGeminiRequest(
      chat({ messages: [{ role: "user", content: "x" }, { role: "tool", tool_call_id: "call_missing", content: "y" }] }),
      testContext(),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ status: 400, param: "messages" });
  });

  it("tool-call arguments that are not a JSON object → 400 naming them", async () => {
    await expect(
      convertToGeminiRequest(
        chat({ messages: [...userHi, { role: "assistant", tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "[1]" } }] }] }),
        testContext(),
      ),
    ).rejects.toMatchObject({ param: "messages[1].tool_calls[0].function.arguments" });
  });
});

describe("thought signatures on replayed calls", () => {
  const replayCalls = (calls: Array<Record<string, unknown>>) =>
    chat({
      messages: [
        ...userHi,
        { role: "assistant", tool_calls: calls },
        ...calls.map((c) => ({ role: "tool", tool_call_id: c.id, content: "ok" })),
      ],
    });
  const call = (id: string, signature?: string) => ({
    id,
    type: "function",
    function: { name: "f", arguments: "{}" },
    ...(signature ? { extra_content: { google: { thought_signature: signature } } } : {}),
  });
  const signatures = (body: GeminiGenerateContentRequest) =>
    body.contents[1]!.parts.map((p) => ("functionCall" in p ? (p.thoughtSignature ?? "(none)") : "(text)"));

  it("prefers extra_content, then the gateway's store, then the sentinel (Gemini 3 only)", async () => {
    const ctx = testContext("gemini-3.1-pro-preview");
    ctx.store.set("c1", { provider: "gemini", thoughtSignature: "stored-1" });
    ctx.store.set("c2", { provider: "gemini", thoughtSignature: "stored-2" });
    const body = await convertToGeminiRequest(replayCalls([call("c1", "echoed-1"), call("c2")]), ctx);
    expect(signatures(body)).toEqual(["echoed-1", "stored-2"]);

    const lost = await convertToGeminiRequest(replayCalls([call("x1")]), testContext("gemini-3.1-pro-preview"));
    expect(signatures(lost)).toEqual([SKIP_THOUGHT_SIGNATURE_VALIDATOR]);
    // Models not in the catalog are recognised by name.
    const unknown3 = await convertToGeminiRequest(replayCalls([call("x1")]), testContext("gemini-3.5-flash-preview"));
    expect(signatures(unknown3)).toEqual([SKIP_THOUGHT_SIGNATURE_VALIDATOR]);
    // Gemini 2.5 does not require signatures: none is invented.
    const old = await convertToGeminiRequest(replayCalls([call("x1")]), testContext("gemini-2.5-flash"));
    expect(signatures(old)).toEqual(["(none)"]);
  });

  it("parallel calls: only the first is signed by Gemini, the others get no sentinel", async () => {
    const body = await convertToGeminiRequest(replayCalls([call("p1", "sig"), call("p2"), call("p3")]), testContext("gemini-3-flash-preview"));
    expect(signatures(body)).toEqual(["sig", "(none)", "(none)"]);
  });

  it("an Anthropic state stored under the same id is not used", async () => {
    const ctx = testContext("gemini-3-flash-preview");
    ctx.store.set("c1", { provider: "anthropic", thinkingBlocks: [] });
    expect(signatures(await convertToGeminiRequest(replayCalls([call("c1")]), ctx))).toEqual([SKIP_THOUGHT_SIGNATURE_VALIDATOR]);
  });
});

describe("generationConfig, tools and reasoning", () => {
  it("maps the sampling parameters", async () => {
    const body = await convertToGeminiRequest(
      chat({
        messages: userHi,
        max_tokens: 100,
        max_completion_tokens: 200,
        temperature: 0.3,
        top_p: 0.9,
        stop: ["END", "STOP"],
        n: 2,
        presence_penalty: 0.5,
        frequency_penalty: -0.5,
        seed: 7,
      }),
      testContext(),
    );
    expect(body.generationConfig).toEqual({
      maxOutputTokens: 200,
      temperature: 0.3,
      topP: 0.9,
      stopSequences: ["END", "STOP"],
      candidateCount: 2,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      seed: 7,
    });
    const single = await convertToGeminiRequest(chat({ messages: userHi, stop: "\n\n", max_tokens: 5 }), testContext());
    expect(single.generationConfig).toEqual({ stopSequences: ["\n\n"], maxOutputTokens: 5 });
  });

  it("response_format: json_object → responseMimeType; json_schema → responseMimeType + the whole schema", async () => {
    const jsonObject = await convertToGeminiRequest(chat({ messages: userHi, response_format: { type: "json_object" } }), testContext());
    expect(jsonObject.generationConfig).toEqual({ responseMimeType: "application/json" });

    const schema = {
      type: "object",
      properties: { tags: { type: "array", items: { type: "string" }, minItems: 1 }, score: { anyOf: [{ type: "number" }, { type: "null" }] } },
      required: ["tags", "score"],
      additionalProperties: false,
      $defs: { unused: { type: "string" } },
    };
    const jsonSchema = await convertToGeminiRequest(
      chat({ messages: userHi, response_format: { type: "json_schema", json_schema: { name: "out", schema, strict: true } } }),
      testContext(),
    );
    expect(jsonSchema.generationConfig).toEqual({ responseMimeType: "application/json", responseJsonSchema: schema });

    const text = await convertToGeminiRequest(chat({ messages: userHi, response_format: { type: "text" } }), testContext());
    expect(text.generationConfig).toBeUndefined();
  });

  it("tools → functionDeclarations with the full JSON Schema as parametersJsonSchema", async () => {
    const parameters = {
      type: "object",
      properties: { q: { type: "string", pattern: "^[a-z]+$" }, opts: { $ref: "#/$defs/opts" } },
      $defs: { opts: { type: "object", additionalProperties: { type: "integer" } } },
      required: ["q"],
    };
    const body = await convertToGeminiRequest(
      chat({ messages: userHi, tools: [{ type: "function", function: { name: "search", description: "Search.", parameters } }] }),
      testContext(),
    );
    expect(body.tools).toEqual([{ functionDeclarations: [{ name: "search", description: "Search.", parametersJsonSchema: parameters }] }]);
    expect(body.toolConfig).toBeUndefined();
  });

  it("tool_choice: auto/none/required → AUTO/NONE/ANY, named → ANY + allowedFunctionNames, strict → VALIDATED", async () => {
    const tools = [
      { type: "function", function: { name: "a" } },
      { type: "function", function: { name: "b" } },
    ];
    const mode = async (tool_choice: unknown, t: unknown[] = tools) =>
      (await convertToGeminiRequest(chat({ messages: userHi, tools: t, tool_choice }), testContext())).toolConfig?.functionCallingConfig;
    expect(await mode("auto")).toEqual({ mode: "AUTO" });
    expect(await mode("none")).toEqual({ mode: "NONE" });
    expect(await mode("required")).toEqual({ mode: "ANY" });
    expect(await mode({ type: "function", function: { name: "b" } })).toEqual({ mode: "ANY", allowedFunctionNames: ["b"] });
    const strictTools = [{ type: "function", function: { name: "a", strict: true, parameters: { type: "object" } } }];
    expect(await mode("auto", strictTools)).toEqual({ mode: "VALIDATED" });
    expect(await mode("required", strictTools)).toEqual({ mode: "ANY" });

    await expect(mode({ type: "function", function: { name: "zzz" } })).rejects.toMatchObject({ param: "tool_choice" });
    await expect(mode("required", [])).rejects.toMatchObject({ param: "tool_choice" });
    expect(await mode("none", [])).toBeUndefined();
  });

  it("reasoning_effort on Gemini 2.5 (gemini-budget) → thinkingBudget from the documented constants", async () => {
    expect(GEMINI_THINKING_BUDGETS).toEqual({ none: 0, minimal: 128, low: 1024, medium: 8192, high: 24576, xhigh: 32768 });
    for (const [effort, budget] of Object.entries(GEMINI_THINKING_BUDGETS)) {
      const body = await convertToGeminiRequest(chat({ messages: userHi, reasoning_effort: effort }), testContext("gemini-2.5-flash"));
      expect(body.generationConfig?.thinkingConfig).toEqual(effort === "none" ? { thinkingBudget: 0 } : { thinkingBudget: budget, includeThoughts: true });
    }
    // Not in the catalog but a 2.x id: budget style.
    const unknown2 = await convertToGeminiRequest(chat({ messages: userHi, reasoning_effort: "high" }), testContext("gemini-2.5-flash-lite"));
    expect(unknown2.generationConfig?.thinkingConfig).toEqual({ thinkingBudget: 24576, includeThoughts: true });
  });

  it("reasoning_effort on Gemini 3 (gemini-level) → thinkingLevel", async () => {
    expect(GEMINI_THINKING_LEVELS).toEqual({ none: "low", minimal: "low", low: "low", medium: "medium", high: "high", xhigh: "high" });
    const level = async (effort: string, model = "gemini-3.1-pro-preview") =>
      (await convertToGeminiRequest(chat({ messages: userHi, reasoning_effort: effort }), testContext(model))).generationConfig?.thinkingConfig;
    expect(await level("none")).toEqual({ thinkingLevel: "low" });
    expect(await level("minimal")).toEqual({ thinkingLevel: "low", includeThoughts: true });
    expect(await level("medium")).toEqual({ thinkingLevel: "medium", includeThoughts: true });
    expect(await level("xhigh")).toEqual({ thinkingLevel: "high", includeThoughts: true });
    // Not in the catalog but a 3.x id: level style.
    expect(await level("high", "gemini-3.5-flash")).toEqual({ thinkingLevel: "high", includeThoughts: true });
  });

  it("no reasoning_effort → no thinkingConfig (the model's default)", async () => {
    const body = await convertToGeminiRequest(chat({ messages: userHi }), testContext("gemini-3-flash-preview"));
    expect(body).toEqual({ contents: [{ role: "user", parts: [{ text: "Hi" }] }] });
  });
});

describe("parameter rejections (400 naming the parameter)", () => {
  const cases: Array<[string, Record<string, unknown>, string, string?]> = [
    ["user", { user: "u-1" }, "user"],
    ["logprobs", { logprobs: true }, "logprobs"],
    ["top_logprobs", { top_logprobs: 2 }, "top_logprobs"],
    ["logit_bias", { logit_bias: { "42": 5 } }, "logit_bias"],
    ["parallel_tool_calls false", { parallel_tool_calls: false, tools: [{ type: "function", function: { name: "a" } }] }, "parallel_tool_calls"],
    ["more than 5 stop sequences", { stop: ["1", "2", "3", "4", "5", "6"] }, "stop"],
    ["unknown field", { store: true }, "store"],
    ["unknown vendor field", { safety_settings: [] }, "safety_settings"],
    ["reasoning_effort on a model without reasoning", { reasoning_effort: "low" }, "reasoning_effort", "gemini-2.0-flash"],
    ["message name", { messages: [{ role: "user", content: "x", name: "bob" }] }, "messages[0].name"],
    ["unknown message field", { messages: [{ role: "assistant", content: "x", audio: { id: "a" } }] }, "messages[0].audio"],
  ];
  for (const [label, extra, param, model] of cases) {
    it(label, async () => {
      const err = await convertToGeminiRequest(chat({ messages: userHi, ...extra }), testContext(model)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GatewayError);
      expect(err).toMatchObject({ status: 400, param, type: "invalid_request_error" });
    });
  }

  it("accepted as harmless: logprobs false, parallel_tool_calls true, stream options", async () => {
    const body = await convertToGeminiRequest(
      chat({ messages: userHi, logprobs: false, parallel_tool_calls: true, stream: true, stream_options: { include_usage: true } }),
      testContext(),
    );
    expect(body.contents).toHaveLength(1);
  });
});
