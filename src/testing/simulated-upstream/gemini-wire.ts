import { directiveError, geminiError, jsonReply, modelNotFound, overloaded, routeNotFound, type JsonReply } from "./errors";
import { embedVector } from "./embedding";
import type { Signer } from "./ids";
import { randomId } from "./ids";
import { isUnknownModel, modelListBodies } from "./models";
import { buildPlan, MESSAGE_OVERHEAD, parseDirectives, REASONING_TEXT } from "./plan";
import { crlfFrame, type Reply } from "./reply";
import { countWords, toolResultText } from "./text";
import type { ChatPlan, ChatScenario, Directives, FinishKind, ToolSpec } from "./types";

/**
 * Gemini Developer API (v1beta). Shapes follow google/text-stream.sse (CRLF framing, usageMetadata
 * on every chunk, finishReason only on the last, no terminal event), thought-stream.sse (thought
 * parts first, running thoughtsTokenCount outside candidatesTokenCount, signature on the first answer
 * part), text-stream-gemini3.chunks.txt / function-call-stream.sse (gemini-3: a final `{text:"",
 * thoughtSignature}` chunk; whole functionCall in one part with a thoughtSignature),
 * thought-function-call-stream.json-array.txt (no `alt=sse` → one JSON array), function-call.json,
 * safety-blocked.json and embeddings-batch.json.
 */

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const bad = (message: string): JsonReply => geminiError(400, "INVALID_ARGUMENT", message);
/** Google's documented sentinel for replaying a function call whose signature was lost. */
export const SKIP_SIGNATURE = "skip_thought_signature_validator";
const MODELS_PREFIX = "/v1beta/models/";

export function handleGemini(method: string, path: string, query: Record<string, string>, body: unknown, signer: Signer): Reply {
  if (method === "GET" && path === "/v1beta/models") return jsonReply(200, modelListBodies.gemini, { "content-type": "application/json; charset=UTF-8" });
  const colon = path.lastIndexOf(":");
  if (method !== "POST" || !path.startsWith(MODELS_PREFIX) || colon < MODELS_PREFIX.length) return routeNotFound("gemini", method, path);
  const model = decodeURIComponent(path.slice(MODELS_PREFIX.length, colon));
  const action = path.slice(colon + 1);
  switch (action) {
    case "generateContent":
      return generate(model, body, signer, null);
    case "streamGenerateContent":
      return generate(model, body, signer, query.alt === "sse" ? "sse" : "array");
    case "batchEmbedContents":
    case "embedContent":
      return embed(model, action, body);
    default:
      return routeNotFound("gemini", method, path);
  }
}

// The API accepts both proto (snake_case) and JSON (camelCase) field names.
function field(o: Obj, camel: string, snake: string): unknown {
  return o[camel] ?? o[snake];
}

const isGemini3 = (m: string) => m.startsWith("gemini-3");
const noThinkingModel = (m: string) => /^gemini-(1\.|2\.0)/.test(m);

function partsOf(c: unknown): Obj[] {
  return isObj(c) && Array.isArray(c.parts) ? (c.parts.filter(isObj) as Obj[]) : [];
}

function validate(model: string, b: Obj, signer: Signer): JsonReply | null {
  const contents = b.contents;
  if (!Array.isArray(contents) || contents.length === 0) return bad("* GenerateContentRequest.contents: contents is not specified\n");
  const gc = field(b, "generationConfig", "generation_config");
  const thinkingConfig = isObj(gc) ? field(gc, "thinkingConfig", "thinking_config") : undefined;
  if (thinkingConfig !== undefined && noThinkingModel(model)) return bad("Unable to submit request because thinking is not supported by this model.");

  // The current turn starts after the last user content that carries text (not only function responses).
  let turnStart = 0;
  for (let i = 0; i < contents.length; i++) {
    const c = contents[i];
    if (!isObj(c)) return bad(`Invalid JSON payload received. Expected an object at 'contents[${i}]'.`);
    const role = c.role ?? "user";
    if (role !== "user" && role !== "model") return bad("Please use a valid role: user, model.");
    if (!Array.isArray(c.parts) || c.parts.length === 0) return bad(`* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.\n`);
    if (role === "user" && partsOf(c).some((p) => typeof p.text === "string")) turnStart = i;
  }
  for (let i = 0; i < contents.length; i++) {
    const c = contents[i] as Obj;
    const parts = partsOf(c);
    let calls = 0;
    for (let j = 0; j < parts.length; j++) {
      const p = parts[j] as Obj;
      const fr = field(p, "functionResponse", "function_response");
      if (fr !== undefined) {
        if (!isObj(fr) || typeof fr.name !== "string" || fr.name === "")
          return bad(`* GenerateContentRequest.contents[${i}].parts[${j}].function_response.name: Name cannot be empty.\n`);
        if (Array.isArray(fr.response))
          return bad(`Invalid JSON payload received. Unknown name "response" at 'contents[${i}].parts[${j}].function_response': Proto field is not repeating, cannot start list.`);
        if (!isObj(fr.response))
          return bad(`Invalid value at 'contents[${i}].parts[${j}].function_response.response' (type.googleapis.com/google.protobuf.Struct), ${JSON.stringify(fr.response ?? null)}`);
      }
      const fc = field(p, "functionCall", "function_call");
      if (fc !== undefined) {
        if (!isObj(fc) || typeof fc.name !== "string" || fc.name === "")
          return bad(`* GenerateContentRequest.contents[${i}].parts[${j}].function_call.name: Name cannot be empty.\n`);
        const sig = field(p, "thoughtSignature", "thought_signature");
        if (i > turnStart && sig !== undefined && sig !== SKIP_SIGNATURE && !signer.verify(sig, `fc:${fc.name}`))
          return bad(`Corrupted thought signature. Function call \`default_api:${fc.name}\` , position ${i + 1}.`);
        // Gemini 3 needs the signature back on the first function call of each step in the current turn.
        if (i > turnStart && calls === 0 && isGemini3(model) && sig === undefined)
          return bad(`Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${fc.name}\` , position ${i + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`);
        calls++;
      }
    }
    if (calls > 0 && i + 1 < contents.length) {
      const responses = partsOf(contents[i + 1]).filter((p) => field(p, "functionResponse", "function_response") !== undefined).length;
      if (responses !== calls)
        return bad("Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.");
    }
  }
  return null;
}

function scenario(model: string, b: Obj): ChatScenario {
  const contents = b.contents as Obj[];
  const images: string[] = [];
  let prompt = 0;
  const sys = field(b, "systemInstruction", "system_instruction");
  const sysText = partsOf(sys).map((p) => (typeof p.text === "string" ? p.text : "")).join(" ");
  if (sysText.trim() !== "") prompt += countWords(sysText) + MESSAGE_OVERHEAD;
  let lastUserText = "";
  for (const c of contents) {
    const user = (c.role ?? "user") === "user";
    let words = 0;
    const texts: string[] = [];
    for (const p of partsOf(c)) {
      if (typeof p.text === "string" && p.thought !== true) {
        words += countWords(p.text);
        texts.push(p.text);
      }
      const fr = field(p, "functionResponse", "function_response");
      if (isObj(fr)) words += countWords(toolResultText(fr.response));
      if (user && isObj(field(p, "inlineData", "inline_data"))) images.push("inlineData");
      if (user && isObj(field(p, "fileData", "file_data"))) images.push("fileData");
    }
    prompt += words + MESSAGE_OVERHEAD;
    if (user && texts.length) lastUserText = texts.join(" ");
  }
  const last = contents[contents.length - 1];
  const responses = last && (last.role ?? "user") === "user"
    ? partsOf(last).map((p) => field(p, "functionResponse", "function_response")).filter(isObj)
    : [];
  const tools: ToolSpec[] = [];
  if (Array.isArray(b.tools)) {
    for (const t of b.tools) {
      const decls = isObj(t) ? field(t, "functionDeclarations", "function_declarations") : undefined;
      if (!Array.isArray(decls)) continue;
      for (const f of decls) {
        if (isObj(f) && typeof f.name === "string")
          tools.push({ name: f.name, schema: f.parameters ?? field(f, "parametersJsonSchema", "parameters_json_schema") });
      }
    }
  }
  const tcfg = field(b, "toolConfig", "tool_config");
  const fcc = isObj(tcfg) ? field(tcfg, "functionCallingConfig", "function_calling_config") : undefined;
  const mode = isObj(fcc) ? String(fcc.mode ?? "AUTO").toUpperCase() : "AUTO";
  const allowed = isObj(fcc) ? field(fcc, "allowedFunctionNames", "allowed_function_names") : undefined;
  const toolChoice: ChatScenario["toolChoice"] =
    mode === "NONE" ? { mode: "none" }
    : (mode === "ANY" || mode === "VALIDATED") && Array.isArray(allowed) && allowed.length === 1 && typeof allowed[0] === "string" ? { mode: mode === "ANY" ? "required" : "auto", name: allowed[0] }
    : mode === "ANY" ? { mode: "required" }
    : { mode: "auto" };
  const gc = field(b, "generationConfig", "generation_config");
  const g = isObj(gc) ? gc : {};
  const tc = field(g, "thinkingConfig", "thinking_config");
  const thinking = isObj(tc) ? tc : undefined;
  const budget = thinking ? field(thinking, "thinkingBudget", "thinking_budget") : undefined;
  // Gemini 3 always thinks; 2.5 thinks when a thinkingConfig asks for it (budget 0 turns it off).
  const reasoning = isGemini3(model) || (thinking !== undefined && budget !== 0 && !noThinkingModel(model));
  const mime = field(g, "responseMimeType", "response_mime_type");
  const schema = field(g, "responseJsonSchema", "response_json_schema") ?? field(g, "responseSchema", "response_schema");
  const max = field(g, "maxOutputTokens", "max_output_tokens");
  const stops = field(g, "stopSequences", "stop_sequences");
  const sc: ChatScenario = {
    model,
    stream: false,
    lastUserText,
    trailingToolResults: responses.length ? responses.map((r) => toolResultText(r.response)) : null,
    tools,
    toolChoice,
    parallelToolCalls: true,
    reasoning,
    reasoningVisible: reasoning && thinking !== undefined && field(thinking, "includeThoughts", "include_thoughts") === true,
    json: mime === "application/json" ? (schema !== undefined ? { schema } : {}) : null,
    images,
    promptTokens: prompt,
    stopSequences: Array.isArray(stops) ? stops.filter((s): s is string => typeof s === "string") : [],
    choices: 1,
  };
  if (typeof max === "number") sc.maxOutputTokens = max;
  return sc;
}

function generate(model: string, body: unknown, signer: Signer, streamMode: "sse" | "array" | null): Reply {
  if (isUnknownModel(model)) return modelNotFound("gemini", model, streamMode ? "streamGenerateContent" : "generateContent");
  if (!isObj(body)) return bad("Invalid JSON payload received. Expected an object.");
  const invalid = validate(model, body, signer);
  if (invalid) return invalid;
  const sc = scenario(model, body);
  sc.stream = streamMode !== null;
  const d = parseDirectives(sc.lastUserText);
  if (d.error !== undefined) return { ...directiveError("gemini", d.error, model), directives: d };
  if (d.midstreamError && !sc.stream) return { ...overloaded("gemini", model), directives: d };
  const plan = buildPlan(sc, d);
  const responseId = randomId("", 23);
  const chunks = streamMode ? streamChunks(sc, plan, responseId, signer) : null;
  if (!chunks) {
    return { ...jsonReply(200, JSON.stringify(response(sc, plan, responseId, signer)), { "content-type": "application/json; charset=UTF-8" }), directives: d };
  }
  const error = { error: { code: 503, message: "The model is overloaded. Please try again later.", status: "UNAVAILABLE" } };
  if (streamMode === "sse") {
    return {
      type: "stream", contentType: "text/event-stream", frames: chunks.map((c) => crlfFrame(c.obj)),
      deltas: deltaIndexes(chunks), errorFrame: crlfFrame(error), directives: d,
    };
  }
  // Without alt=sse the same chunks arrive as one JSON array, element by element.
  const frames = chunks.map((c, i) => `${i === 0 ? "[" : "\r\n,\r\n"}${JSON.stringify(c.obj, null, 2)}`);
  frames.push("]");
  return {
    type: "stream", contentType: "application/json; charset=UTF-8", frames,
    deltas: deltaIndexes(chunks), errorFrame: `\r\n,\r\n${JSON.stringify(error, null, 2)}\r\n]`, directives: d,
  };
}

function deltaIndexes(chunks: { delta: boolean }[]): number[] {
  const out: number[] = [];
  chunks.forEach((c, i) => c.delta && out.push(i));
  return out;
}

function finishReason(f: FinishKind): string {
  return f === "length" ? "MAX_TOKENS" : f === "refusal" ? "SAFETY" : "STOP";
}

const SAFETY_RATINGS = [
  { category: "HARM_CATEGORY_HATE_SPEECH", probability: "LOW", blocked: true },
  { category: "HARM_CATEGORY_DANGEROUS_CONTENT", probability: "NEGLIGIBLE" },
  { category: "HARM_CATEGORY_HARASSMENT", probability: "NEGLIGIBLE" },
  { category: "HARM_CATEGORY_SEXUALLY_EXPLICIT", probability: "NEGLIGIBLE" },
];

function usageMetadata(plan: ChatPlan, candidates: number | undefined, thoughts: number): Obj {
  const prompt = plan.usage.prompt;
  const u: Obj = { promptTokenCount: prompt };
  if (candidates !== undefined && candidates > 0) u.candidatesTokenCount = candidates;
  u.totalTokenCount = prompt + (candidates ?? 0) + thoughts;
  u.promptTokensDetails = [{ modality: "TEXT", tokenCount: prompt }];
  if (thoughts > 0) u.thoughtsTokenCount = thoughts;
  if (plan.usage.cached > 0) {
    u.cachedContentTokenCount = plan.usage.cached;
    u.cacheTokensDetails = [{ modality: "TEXT", tokenCount: plan.usage.cached }];
  }
  return u;
}

/**
 * Text answers carry a signature on Gemini 3 whenever it thinks (text.json); on 2.5 only when it
 * thinks and functions are declared (thought-stream.sse has a dummy tool, cached-content-usage.json none).
 */
function signsText(sc: ChatScenario): boolean {
  return sc.reasoning && (isGemini3(sc.model) || sc.tools.length > 0);
}

function callParts(plan: ChatPlan, signer: Signer, signed: boolean): Obj[] {
  // Only the first call of a parallel set carries the signature, as Google documents.
  return plan.toolCalls.map((c, k) =>
    k === 0 && signed ? { functionCall: { name: c.name, args: c.args }, thoughtSignature: signer.issue(`fc:${c.name}`) } : { functionCall: { name: c.name, args: c.args } },
  );
}

function response(sc: ChatScenario, plan: ChatPlan, responseId: string, signer: Signer): Obj {
  if (plan.finish === "refusal") {
    return {
      candidates: [{ content: {}, finishReason: "SAFETY", index: 0, safetyRatings: SAFETY_RATINGS }],
      usageMetadata: usageMetadata(plan, undefined, plan.usage.reasoning),
      modelVersion: sc.model, responseId,
    };
  }
  const parts: Obj[] = [];
  if (plan.reasoningPieces.length) parts.push({ text: plan.reasoningPieces.join(""), thought: true });
  if (plan.toolCalls.length) parts.push(...callParts(plan, signer, sc.reasoning));
  else parts.push(signsText(sc) ? { text: plan.text, thoughtSignature: signer.issue("text") } : { text: plan.text });
  const candidate: Obj = { content: { parts, role: "model" }, finishReason: finishReason(plan.finish), index: 0 };
  if (plan.toolCalls.length) candidate.finishMessage = "Model generated function call(s).";
  return { candidates: [candidate], usageMetadata: usageMetadata(plan, plan.usage.completion, plan.usage.reasoning), modelVersion: sc.model, responseId };
}

function streamChunks(sc: ChatScenario, plan: ChatPlan, responseId: string, signer: Signer): { obj: Obj; delta: boolean }[] {
  const out: { obj: Obj; delta: boolean }[] = [];
  const chunk = (candidate: Obj, candidates: number, thoughts: number, delta: boolean) =>
    out.push({ obj: { candidates: [candidate], usageMetadata: usageMetadata(plan, candidates, thoughts), modelVersion: sc.model, responseId }, delta });
  const reasoning = plan.usage.reasoning;
  if (plan.finish === "refusal") {
    chunk({ content: {}, finishReason: "SAFETY", index: 0, safetyRatings: SAFETY_RATINGS }, 0, reasoning, false);
    return out;
  }
  const gemini3 = isGemini3(sc.model);
  const fin = finishReason(plan.finish);
  // Thought summaries first, with a running thoughtsTokenCount.
  if (plan.reasoningPieces.length) {
    const half = Math.ceil(plan.reasoningPieces.length / 2);
    const halves = [plan.reasoningPieces.slice(0, half).join(""), plan.reasoningPieces.slice(half).join("")];
    halves.forEach((text, i) => chunk({ content: { parts: [{ text, thought: true }], role: "model" }, index: 0 }, 0, i === 0 ? Math.ceil(reasoning / 2) : reasoning, true));
  }
  // Gemini 3 closes with its own `{text:"", thoughtSignature}` chunk; others finish on the last content chunk.
  const closing = gemini3 && sc.reasoning;
  if (plan.toolCalls.length) {
    const candidate: Obj = { content: { parts: callParts(plan, signer, sc.reasoning), role: "model" }, index: 0 };
    if (!closing) {
      candidate.finishReason = fin;
      candidate.finishMessage = "Model generated function call(s).";
    }
    chunk(candidate, plan.usage.completion, reasoning, true);
    if (closing) chunk({ content: { parts: [{ text: "" }], role: "model" }, finishReason: fin, index: 0 }, plan.usage.completion, reasoning, false);
    return out;
  }
  let words = 0;
  plan.pieces.forEach((text, i) => {
    words += countWords(text);
    const part: Obj = i === 0 && !gemini3 && signsText(sc) ? { text, thoughtSignature: signer.issue("text") } : { text };
    const candidate: Obj = { content: { parts: [part], role: "model" }, index: 0 };
    if (!closing && i === plan.pieces.length - 1) candidate.finishReason = fin;
    chunk(candidate, words, reasoning, true);
  });
  if (closing) {
    chunk({ content: { parts: [{ text: "", thoughtSignature: signer.issue("text") }], role: "model" }, finishReason: fin, index: 0 }, words, reasoning, false);
  } else if (plan.pieces.length === 0) {
    chunk({ content: { parts: [{ text: "" }], role: "model" }, finishReason: fin, index: 0 }, 0, reasoning, false);
  }
  return out;
}

const EMBED_DIMS: Record<string, number> = { "gemini-embedding-001": 3072 };

function embed(model: string, action: string, body: unknown): Reply {
  if (isUnknownModel(model)) return modelNotFound("gemini", model, action);
  if (!isObj(body)) return bad("Invalid JSON payload received. Expected an object.");
  const batch = action === "batchEmbedContents";
  const requests: unknown[] = batch ? (Array.isArray(body.requests) ? body.requests : []) : [body];
  if (requests.length === 0) return bad("* BatchEmbedContentsRequest.requests: requests is not specified\n");
  const native = EMBED_DIMS[model] ?? 768;
  const texts: string[] = [];
  const dims: number[] = [];
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i];
    const where = batch ? `BatchEmbedContentsRequest.requests[${i}]` : "EmbedContentRequest";
    if (!isObj(r)) return bad(`* ${where}: must be an object\n`);
    if (batch && r.model !== `models/${model}`)
      return bad(`* ${where}.model: Model name in the request (${String(r.model)}) does not match the model in the URL (models/${model}).\n`);
    const parts = partsOf(r.content);
    if (parts.length === 0) return bad(`* ${where}.content.parts: contents.parts must not be empty.\n`);
    texts.push(parts.map((p) => (typeof p.text === "string" ? p.text : "")).join(" "));
    const od = field(r, "outputDimensionality", "output_dimensionality");
    if (od !== undefined && (typeof od !== "number" || od < 1 || od > native))
      return bad(`* ${where}.output_dimensionality: Output dimensionality must be between 1 and ${native}.\n`);
    dims.push(typeof od === "number" ? Math.floor(od) : native);
  }
  const d: Directives = parseDirectives(texts[0] ?? "");
  if (d.error !== undefined) return { ...directiveError("gemini", d.error, model), directives: d };
  const tokens = texts.reduce((n, t) => n + countWords(t), 0);
  const vectors = texts.map((t, i) => ({ values: embedVector(model, t, dims[i] as number) }));
  const out = batch
    ? { embeddings: vectors, usageMetadata: { promptTokenCount: tokens, promptTokenDetails: [{ modality: "TEXT", tokenCount: tokens }] } }
    : { embedding: vectors[0] };
  return { ...jsonReply(200, JSON.stringify(out), { "content-type": "application/json; charset=UTF-8" }), directives: d };
}
