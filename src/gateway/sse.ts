import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { ChatCompletionChunk } from "./openai/chat-response";
import { toErrorBody, type GatewayError } from "./errors";

/**
 * The only module that writes SSE text, and the one place upstream byte streams become events.
 */

const encoder = new TextEncoder();

/** Event texts; several events of one upstream read are joined and encoded once (`sse.encode`). */
export const sse = {
  chunk(chunk: ChatCompletionChunk): string {
    return `data: ${JSON.stringify(chunk)}\n\n`;
  },
  done(): string {
    return "data: [DONE]\n\n";
  },
  /** A mid-stream error: an OpenAI-shaped error object as a data event; the stream then ends without [DONE]. */
  error(err: GatewayError): string {
    return `data: ${JSON.stringify(toErrorBody(err))}\n\n`;
  },
  encode(text: string): Uint8Array {
    return encoder.encode(text);
  },
};

export interface UpstreamEvent {
  /** The `event:` field, when the provider names its events (Anthropic). */
  event?: string;
  data: string;
}

/**
 * Incremental SSE decoder over raw bytes. Handles CRLF framing (Gemini), named events and padding
 * (Anthropic), and UTF-8 characters split across network reads.
 */
export class SseDecoder {
  private readonly decoder = new TextDecoder("utf-8");
  private pending: UpstreamEvent[] = [];
  private readonly parser = createParser({
    onEvent: (msg: EventSourceMessage) => {
      this.pending.push(msg.event === undefined ? { data: msg.data } : { event: msg.event, data: msg.data });
    },
  });

  push(bytes: Uint8Array): UpstreamEvent[] {
    this.parser.feed(this.decoder.decode(bytes, { stream: true }));
    return this.drain();
  }

  /** Flushes a final event that was not followed by a blank line. */
  end(): UpstreamEvent[] {
    const rest = this.decoder.decode();
    if (rest) this.parser.feed(rest);
    this.parser.reset({ consume: true });
    return this.drain();
  }

  private drain(): UpstreamEvent[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}
