/**
 * Turns logged OpenAI-format bodies into a readable transcript. Each turn's request repeats the
 * whole history, so a turn shows only what is new: the messages after the last assistant message
 * of its request, then the reply from its response.
 */

export interface TranscriptMessage {
  role: string;
  text: string;
  /** "get_weather({"city":"Paris"})" for assistant tool calls. */
  toolCalls: string[];
}

export interface TurnTranscript {
  prompt: TranscriptMessage[];
  reply: TranscriptMessage | null;
  /** The request body was cut by the ledger's size cap. */
  truncated: boolean;
}

const MAX_TEXT = 4_000;

function clip(s: string): string {
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** String content, or the text of content parts ([image] etc. for the rest). */
export function contentText(content: unknown): string {
  if (typeof content === "string") return clip(content);
  if (!Array.isArray(content)) return "";
  return clip(
    content
      .map((part) => {
        if (!isRecord(part)) return "";
        if (part.type === "text" && typeof part.text === "string") return part.text;
        if (part.type === "image_url") return "[image]";
        if (part.type === "input_audio") return "[audio]";
        if (part.type === "file") return "[file]";
        return `[${String(part.type ?? "part")}]`;
      })
      .filter(Boolean)
      .join("\n"),
  );
}

function toMessage(m: unknown): TranscriptMessage | null {
  if (!isRecord(m) || typeof m.role !== "string") return null;
  const toolCalls = Array.isArray(m.tool_calls)
    ? m.tool_calls.flatMap((c) => {
        if (!isRecord(c) || !isRecord(c.function)) return [];
        return [`${String(c.function.name ?? "tool")}(${typeof c.function.arguments === "string" ? c.function.arguments : ""})`];
      })
    : [];
  const refusal = typeof m.refusal === "string" && m.refusal ? `[refused] ${m.refusal}` : "";
  return { role: m.role === "developer" ? "system" : m.role, text: contentText(m.content) || refusal, toolCalls };
}

export function transcriptOf(requestBody: unknown, responseBody: unknown): TurnTranscript {
  const truncated = isRecord(requestBody) && requestBody.truncated === true;
  const messages = isRecord(requestBody) && Array.isArray(requestBody.messages) ? requestBody.messages.map(toMessage).filter((m) => m !== null) : [];
  let lastAssistant = -1;
  messages.forEach((m, i) => {
    if (m.role === "assistant") lastAssistant = i;
  });
  const prompt = messages.slice(lastAssistant + 1);
  let reply: TranscriptMessage | null = null;
  if (isRecord(responseBody) && Array.isArray(responseBody.choices)) {
    const first = responseBody.choices[0];
    if (isRecord(first)) reply = toMessage(first.message);
  }
  return { prompt, reply, truncated };
}
