import { startSimulatedUpstream } from "./server";

/**
 * `npx tsx src/testing/simulated-upstream/cli.ts` — runs the simulated upstream on PORT (default 4010)
 * and HOST (default 127.0.0.1) for the benchmark and manual use. Requests are not recorded, so memory
 * stays flat under load. Valid keys: anything starting with "sk-sim-".
 */
const port = Number(process.env.PORT ?? 4010);
const host = process.env.HOST ?? "127.0.0.1";

const upstream = await startSimulatedUpstream({ port, host, maxRecorded: 0 });
process.stdout.write(
  [
    `simulated upstream listening on ${upstream.url}`,
    `  OPENAI_BASE_URL=${upstream.baseUrls.openai}`,
    `  XAI_BASE_URL=${upstream.baseUrls.xai}`,
    `  ANTHROPIC_BASE_URL=${upstream.baseUrls.anthropic}`,
    `  GEMINI_BASE_URL=${upstream.baseUrls.gemini}`,
    "",
  ].join("\n"),
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void upstream.close().then(() => process.exit(0));
  });
}
