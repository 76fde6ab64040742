export { startSimulatedUpstream } from "./server";
export type { RecordedRequest, SimProvider, SimulatedUpstream, SimulatedUpstreamOptions } from "./types";
export { MESSAGE_OVERHEAD, REASONING_TEXT, REASONING_TOKENS, TOOL_CALL_TOKENS } from "./plan";
export { SKIP_SIGNATURE } from "./gemini-wire";
