import type { JsonReply } from "./errors";
import type { Directives } from "./types";

/** A streamed answer, pre-serialized: the server only decides how much of it to send, and when. */
export interface StreamReply {
  type: "stream";
  contentType: string;
  headers?: Record<string, string>;
  frames: string[];
  /** Indexes of the frames that carry content (text, reasoning or tool-argument deltas). */
  deltas: number[];
  /** The provider's mid-stream error frame (`#midstream-error`). */
  errorFrame: string;
  directives: Directives;
}

export type Reply = JsonReply | StreamReply;

export class FrameList {
  readonly frames: string[] = [];
  readonly deltas: number[] = [];

  push(frame: string, isDelta = false): void {
    if (isDelta) this.deltas.push(this.frames.length);
    this.frames.push(frame);
  }
}

/** OpenAI/xAI framing: `data: <json>\n\n`. */
export function dataFrame(obj: unknown): string {
  return `data: ${JSON.stringify(obj)}\n\n`;
}

/** Anthropic framing: a named event plus its data line. */
export function namedFrame(event: string, obj: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(obj)}\n\n`;
}

/** Gemini framing: CRLF line endings, events separated by CRLF CRLF. */
export function crlfFrame(obj: unknown): string {
  return `data: ${JSON.stringify(obj)}\r\n\r\n`;
}
