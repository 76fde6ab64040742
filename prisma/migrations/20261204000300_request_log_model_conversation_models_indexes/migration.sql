-- Request list filtered by a model: without it a rare model's page walks the primary key backwards
-- over every other model's rows until it has found a page (measured at 10M rows: ~590 ms p95).
CREATE INDEX "request_log_model_created_at_idx" ON "request_log"("model", "created_at");

-- Conversation list filtered by model (models && / @> the filter): GIN over the array column.
CREATE INDEX "conversations_models_idx" ON "conversations" USING GIN ("models");

-- Conversation list over a range in the past: the conversations still active at the range's end
-- (first_at <= to <= last_at) without walking last_at back over every newer one. SQL-only
-- (an expression index), listed in schema.prisma's comment on Conversation.
CREATE INDEX "conversations_active_range_idx" ON "conversations" USING GIST (tstzrange("first_at", "last_at", '[]'));
