/**
 * Shared shapes of the simulated upstream. The simulator deliberately shares no code with
 * src/gateway: a translation bug must not be mirrored (and hidden) by a shared helper.
 */

export type SimProvider = "openai" | "xai" | "anthropic" | "gemini";

export interface RecordedRequest {
  provider: SimProvider;
  method: string;
  /** The path the real API would see, e.g. `/v1/messages`, `/v1beta/models/gemini-2.5-flash:generateContent`. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body; the raw text when it is not JSON; `undefined` when empty. */
  body: unknown;
  /** Status of the response, set when its headers are sent (absent for hung or reset requests). */
  status?: number;
}

export interface SimulatedUpstream {
  url: string;
  baseUrls: { openai: string; xai: string; anthropic: string; gemini: string };
  requests: RecordedRequest[];
  clear(): void;
  close(): Promise<void>;
}

export interface SimulatedUpstreamOptions {
  port?: number;
  host?: string;
  validKeys?: Partial<Record<SimProvider, string[]>>;
  /**
   * How many requests `requests` keeps (oldest dropped first). Default 10 000; 0 records nothing
   * (the benchmark uses 0 so memory stays flat).
   */
  maxRecorded?: number;
}

/** Directives found in the text of the last user message. */
export interface Directives {
  tool: boolean;
  tools2: boolean;
  cache: boolean;
  json: boolean;
  image: boolean;
  length: boolean;
  refusal: boolean;
  error?: number;
  midstreamError: boolean;
  reset: boolean;
  hangHeaders: boolean;
  hangBody: boolean;
  slowMs: number;
  /** `#linger=N`: a complete stream's body stays open N ms after its last event (terminator included). */
  lingerMs: number;
  chunks?: number;
  delayMs: number;
}

export interface ToolSpec {
  name: string;
  /** JSON Schema (or Gemini's OpenAPI subset) of the arguments. */
  schema: unknown;
}

/** Provider-neutral reading of a chat request: what the deterministic "model" reacts to. */
export interface ChatScenario {
  model: string;
  stream: boolean;
  /** Text of the last user-authored message that has text (directives included). */
  lastUserText: string;
  /** Contents of the tool results when the conversation ends with them, else null. */
  trailingToolResults: string[] | null;
  tools: ToolSpec[];
  toolChoice: { mode: "auto" | "none" | "required"; name?: string };
  parallelToolCalls: boolean;
  /** Reasoning happens (reasoning tokens are billed). */
  reasoning: boolean;
  /** Reasoning text is shown (Anthropic thinking, Gemini includeThoughts, xAI reasoning_content). */
  reasoningVisible: boolean;
  /** JSON output was requested; `schema` when a schema was given. */
  json: { schema?: unknown } | null;
  /** Kinds of the images in the conversation, in order (base64/url/file/inlineData/fileData). */
  images: string[];
  promptTokens: number;
  maxOutputTokens?: number;
  stopSequences: string[];
  /** OpenAI `n`. */
  choices: number;
}

export type FinishKind = "stop" | "length" | "tool" | "refusal" | "stop_sequence";

export interface PlannedToolCall {
  name: string;
  args: Record<string, unknown>;
}

export interface ChatPlan {
  /** Visible reply text ("" when the turn is only tool calls or a refusal). */
  text: string;
  /** `text` cut into stream deltas (concatenation === text). */
  pieces: string[];
  toolCalls: PlannedToolCall[];
  /** Reasoning text cut into deltas; empty when reasoning is off or not shown. */
  reasoningPieces: string[];
  finish: FinishKind;
  stopSequence?: string;
  usage: {
    prompt: number;
    /** Cached prompt tokens (a subset of `prompt`). */
    cached: number;
    /** Anthropic-only cache writes (a subset of `prompt`). */
    cacheWrite: number;
    /** Visible output tokens: reply words + 10 per tool call (reasoning excluded). */
    completion: number;
    reasoning: number;
  };
}
