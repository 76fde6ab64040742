-- Daily rollup per single tag: usage_hourly_tag's key and sums per UTC day, read by the by-tag view
-- for the whole days of a range (usage_hourly_tag for the edge hours). Maintained by the ledger
-- writer in the same statement as the other rollups.
CREATE TABLE "usage_daily_tag" (
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "tag" TEXT NOT NULL,
    "tag_key" TEXT NOT NULL,
    "tag_value" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "requests" BIGINT NOT NULL DEFAULT 0,
    "error_requests" BIGINT NOT NULL DEFAULT 0,
    "streamed_requests" BIGINT NOT NULL DEFAULT 0,
    "input_tokens" BIGINT NOT NULL DEFAULT 0,
    "cached_input_tokens" BIGINT NOT NULL DEFAULT 0,
    "cache_write_tokens" BIGINT NOT NULL DEFAULT 0,
    "output_tokens" BIGINT NOT NULL DEFAULT 0,
    "reasoning_tokens" BIGINT NOT NULL DEFAULT 0,
    "cost_nano_usd" BIGINT NOT NULL DEFAULT 0,
    "unpriced_requests" BIGINT NOT NULL DEFAULT 0,
    "latency_ms_sum" BIGINT NOT NULL DEFAULT 0,
    "ttft_ms_sum" BIGINT NOT NULL DEFAULT 0,
    "ttft_count" BIGINT NOT NULL DEFAULT 0,
    "latency_hist" INTEGER[] DEFAULT ARRAY[]::INTEGER[],

    CONSTRAINT "usage_daily_tag_pkey" PRIMARY KEY ("bucket","tag","provider","model")
);

CREATE INDEX "usage_daily_tag_tag_key_bucket_idx" ON "usage_daily_tag"("tag_key", "bucket");

-- Existing ledgers: the days so far, from the hourly tag rollup (set-based, one statement).
INSERT INTO "usage_daily_tag"
SELECT date_trunc('day', bucket, 'UTC'), tag, min(tag_key), min(tag_value), provider, model,
  sum(requests), sum(error_requests), sum(streamed_requests), sum(input_tokens),
  sum(cached_input_tokens), sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens),
  sum(cost_nano_usd), sum(unpriced_requests), sum(latency_ms_sum), sum(ttft_ms_sum), sum(ttft_count),
  "ledger_hist_sum"(latency_hist)
FROM "usage_hourly_tag"
GROUP BY 1, 2, 5, 6;
