-- Switchyard initial schema. Hand-written to match prisma/schema.prisma exactly, in the layout
-- `prisma migrate diff` produces, plus what Prisma cannot express (marked "SQL-only").

-- CreateEnum
CREATE TYPE "role" AS ENUM ('read', 'execute', 'admin');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "role" NOT NULL DEFAULT 'read',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "role" "role" NOT NULL DEFAULT 'execute',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_by_user_id" UUID,

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provider_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "provider" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "ciphertext" BYTEA NOT NULL,
    "iv" BYTEA NOT NULL,
    "auth_tag" BYTEA NOT NULL,
    "masked" TEXT NOT NULL,
    "base_url" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provider_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "settings" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "settings_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "request_log" (
    "id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "endpoint" TEXT NOT NULL,
    "api_key_id" UUID,
    "provider" TEXT,
    "model" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "http_status" INTEGER NOT NULL,
    "error_code" TEXT,
    "error_message" TEXT,
    "upstream_status" INTEGER,
    "streamed" BOOLEAN NOT NULL,
    "byok" BOOLEAN NOT NULL,
    "input_tokens" INTEGER NOT NULL,
    "cached_input_tokens" INTEGER NOT NULL,
    "cache_write_tokens" INTEGER NOT NULL,
    "output_tokens" INTEGER NOT NULL,
    "reasoning_tokens" INTEGER NOT NULL,
    "cost_nano_usd" BIGINT,
    "price_version" TEXT,
    "pricing_status" TEXT NOT NULL,
    "latency_ms" INTEGER NOT NULL,
    "ttft_ms" INTEGER,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "conversation_id" TEXT,
    "request_id" TEXT NOT NULL,
    "trace_id" TEXT,
    "request_body" JSONB,
    "response_body" JSONB,

    CONSTRAINT "request_log_pkey" PRIMARY KEY ("created_at","id")
);

-- CreateTable
CREATE TABLE "usage_hourly" (
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

    CONSTRAINT "usage_hourly_pkey" PRIMARY KEY ("bucket","api_key_id","provider","model","status","tags_key")
);

-- CreateTable
CREATE TABLE "usage_hourly_tag" (
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

    CONSTRAINT "usage_hourly_tag_pkey" PRIMARY KEY ("bucket","tag","provider","model")
);

-- CreateTable
CREATE TABLE "conversations" (
    "conversation_id" TEXT NOT NULL,
    "first_at" TIMESTAMPTZ(3) NOT NULL,
    "last_at" TIMESTAMPTZ(3) NOT NULL,
    "requests" BIGINT NOT NULL DEFAULT 0,
    "error_requests" BIGINT NOT NULL DEFAULT 0,
    "input_tokens" BIGINT NOT NULL DEFAULT 0,
    "output_tokens" BIGINT NOT NULL DEFAULT 0,
    "cost_nano_usd" BIGINT NOT NULL DEFAULT 0,
    "unpriced_requests" BIGINT NOT NULL DEFAULT 0,
    "models" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "api_key_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "conversations_pkey" PRIMARY KEY ("conversation_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "request_log_api_key_id_created_at_idx" ON "request_log"("api_key_id", "created_at");

-- CreateIndex
CREATE INDEX "request_log_request_id_idx" ON "request_log"("request_id");

-- CreateIndex
CREATE INDEX "request_log_tags_idx" ON "request_log" USING GIN ("tags");

-- CreateIndex
CREATE INDEX "usage_hourly_tag_tag_key_bucket_idx" ON "usage_hourly_tag"("tag_key", "bucket");

-- CreateIndex
CREATE INDEX "conversations_last_at_idx" ON "conversations"("last_at");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_user_id_fkey" FOREIGN KEY ("created_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- SQL-only: conversation drill-down; most requests carry no conversation id, so keep them out.
CREATE INDEX "request_log_conversation_id_created_at_idx" ON "request_log"("conversation_id", "created_at") WHERE "conversation_id" IS NOT NULL;

-- SQL-only: helpers the ledger writer uses to maintain the rollups (src/server/ledger/ledger-sql.ts).

-- Index (0-based) of a latency in the fixed log-scale histogram. The thresholds are the lower bounds
-- of buckets 1..33 and must equal LATENCY_BUCKET_LOWER_BOUNDS_MS in
-- src/server/ledger/latency-histogram.ts (a test checks both agree).
CREATE FUNCTION "ledger_latency_bucket"(ms INTEGER) RETURNS INTEGER
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT width_bucket(GREATEST(ms, 0), ARRAY[
    1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700,
    1000, 1500, 2000, 3000, 5000, 7000, 10000, 15000, 20000, 30000, 50000, 70000,
    100000, 150000, 200000, 300000
  ]::INTEGER[])
$$;

-- A histogram with a single count in the bucket of `ms`.
CREATE FUNCTION "ledger_latency_hist_one"(ms INTEGER) RETURNS INTEGER[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_fill(0, ARRAY[b]) || 1 || array_fill(0, ARRAY[33 - b])
  FROM (SELECT "ledger_latency_bucket"(ms) AS b) AS s
$$;

-- Element-wise sum of two histograms; a shorter (or empty) array counts as zeros, so rollup rows
-- created before a bucket was added still add up.
CREATE FUNCTION "ledger_hist_add"(a INTEGER[], b INTEGER[]) RETURNS INTEGER[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT COALESCE(array_agg(COALESCE(x, 0) + COALESCE(y, 0) ORDER BY ord), ARRAY[]::INTEGER[])
  FROM unnest(COALESCE(a, ARRAY[]::INTEGER[]), COALESCE(b, ARRAY[]::INTEGER[])) WITH ORDINALITY AS t(x, y, ord)
$$;

CREATE AGGREGATE "ledger_hist_sum"(INTEGER[]) (
  SFUNC = "ledger_hist_add",
  STYPE = INTEGER[],
  INITCOND = '{}',
  PARALLEL = SAFE
);

-- Sorted set union of two arrays without NULLs (conversation models, keys, tags).
CREATE FUNCTION "ledger_array_union"(a ANYARRAY, b ANYARRAY) RETURNS ANYARRAY
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY(SELECT DISTINCT x FROM unnest(a || b) AS x WHERE x IS NOT NULL ORDER BY x)
$$;
