import { describe, expect, it } from "vitest";
import { contentText, transcriptOf } from "./prepare-conversation";

describe("transcriptOf", () => {
  it("shows only what a turn added, then the reply", () => {
    const request = {
      model: "gpt-4.1",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello!" },
        { role: "user", content: [{ type: "text", text: "What is this?" }, { type: "image_url", image_url: { url: "[redacted]" } }] },
      ],
    };
    const response = { choices: [{ index: 0, message: { role: "assistant", content: "A cat." }, finish_reason: "stop" }] };
    expect(transcriptOf(request, response)).toEqual({
      prompt: [{ role: "user", text: "What is this?\n[image]", toolCalls: [] }],
      reply: { role: "assistant", text: "A cat.", toolCalls: [] },
      truncated: false,
    });
  });

  it("keeps the system prompt of a first turn and renders tool calls and results", () => {
    const t = transcriptOf(
      { messages: [{ role: "developer", content: "sys" }, { role: "user", content: "weather?" }] },
      { choices: [{ message: { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] } }] },
    );
    expect(t.prompt.map((m) => m.role)).toEqual(["system", "user"]);
    expect(t.reply).toEqual({ role: "assistant", text: "", toolCalls: ['get_weather({"city":"Paris"})'] });
    const next = transcriptOf({ messages: [{ role: "user", content: "weather?" }, { role: "assistant", tool_calls: [] }, { role: "tool", tool_call_id: "c1", content: "18°C" }] }, null);
    expect(next).toEqual({ prompt: [{ role: "tool", text: "18°C", toolCalls: [] }], reply: null, truncated: false });
  });

  it("survives missing, odd and truncated bodies", () => {
    expect(transcriptOf(null, undefined)).toEqual({ prompt: [], reply: null, truncated: false });
    expect(transcriptOf({ truncated: true, chars: 300000, preview: "{" }, "nonsense")).toEqual({ prompt: [], reply: null, truncated: true });
    expect(transcriptOf({ messages: [42, { role: 1 }, { role: "user", content: "ok" }] }, { choices: [] }).prompt).toHaveLength(1);
  });

  it("clips very long text", () => {
    expect(contentText("x".repeat(5000))).toHaveLength(4001);
  });
});
