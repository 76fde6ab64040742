-- Request detail by id alone (the dashboard and GET /api/ai/usage/requests/{id} without
-- created_at): without it that look-up reads the whole primary-key index.
CREATE INDEX "request_log_id_idx" ON "request_log"("id");
