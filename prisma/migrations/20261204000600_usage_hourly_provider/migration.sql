-- Coarse hourly rollup: usage_hourly's sums per (hour, provider, status) only, a dozen rows an hour
-- at most. Views whose filter and grouping need no other column (no filter, provider, status: the
-- dashboard's default) read it for every hour of a range, so local days in any time zone are plain
-- groupings of hours. Maintained by the ledger writer in the same statement as the other rollups.
CREATE TABLE "usage_hourly_provider" (
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "provider" TEXT NOT NULL,
    "status" TEXT NOT NULL,
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

    CONSTRAINT "usage_hourly_provider_pkey" PRIMARY KEY ("bucket","provider","status")
);

-- Existing ledgers: the hours so far, from the hourly rollup (set-based, one statement).
INSERT INTO "usage_hourly_provider"
SELECT bucket, provider, status,
  sum(requests), sum(error_requests), sum(streamed_requests), sum(input_tokens),
  sum(cached_input_tokens), sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens),
  sum(cost_nano_usd), sum(unpriced_requests), sum(latency_ms_sum), sum(ttft_ms_sum), sum(ttft_count),
  "ledger_hist_sum"(latency_hist)
FROM "usage_hourly"
GROUP BY 1, 2, 3;

-- Statistics now rather than whenever autovacuum gets to it: the default views read this table.
ANALYZE "usage_hourly_provider";
