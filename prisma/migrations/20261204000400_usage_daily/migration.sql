-- Daily rollup: usage_hourly's key and sums per UTC day. Range views read it for the whole days
-- of a range and usage_hourly only for the partial days at its edges, summing ~24x fewer rows.
-- Maintained by the ledger writer in the same statement as the hourly rollups.
CREATE TABLE "usage_daily" (
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "api_key_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "tags_key" TEXT NOT NULL,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
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

    CONSTRAINT "usage_daily_pkey" PRIMARY KEY ("bucket","api_key_id","provider","model","status","tags_key")
);

-- Existing ledgers: the days so far, from the hourly rollup (set-based, one statement).
INSERT INTO "usage_daily"
SELECT date_trunc('day', bucket, 'UTC'), api_key_id, provider, model, status, tags_key, min(tags),
  sum(requests), sum(error_requests), sum(streamed_requests), sum(input_tokens),
  sum(cached_input_tokens), sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens),
  sum(cost_nano_usd), sum(unpriced_requests), sum(latency_ms_sum), sum(ttft_ms_sum), sum(ttft_count),
  "ledger_hist_sum"(latency_hist)
FROM "usage_hourly"
GROUP BY 1, 2, 3, 4, 5, 6;
