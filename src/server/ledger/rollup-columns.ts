/**
 * The additive sum columns every rollup table carries (usage_hourly, usage_daily, their per-tag
 * twins and usage_hourly_provider), besides `latency_hist`. One list for the writer's readers, the
 * services and the seeder.
 */
export const ROLLUP_SUM_COLUMNS = [
  "requests",
  "error_requests",
  "streamed_requests",
  "input_tokens",
  "cached_input_tokens",
  "cache_write_tokens",
  "output_tokens",
  "reasoning_tokens",
  "cost_nano_usd",
  "unpriced_requests",
  "latency_ms_sum",
  "ttft_ms_sum",
  "ttft_count",
] as const;
