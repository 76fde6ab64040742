-- TimescaleDB for the raw ledger, where the extension exists; a no-op on plain PostgreSQL.
-- request_log becomes a hypertable (existing rows migrated), compressed after 7 days (segmented by
-- provider and model, the usual filters of drill-down queries) and dropped after 90 days. Dashboards
-- read the rollup tables, which are ordinary tables and are kept. Every step checks the current
-- state first, so running this script again changes nothing.
-- To change the windows later: SELECT remove_retention_policy('request_log');
-- SELECT add_retention_policy('request_log', INTERVAL '180 days'); (same for compression).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
    RAISE NOTICE 'timescaledb is not available: request_log stays a plain table';
    RETURN;
  END IF;

  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    BEGIN
      CREATE EXTENSION timescaledb;
    EXCEPTION WHEN OTHERS THEN
      -- Packaged but not loadable (typically missing from shared_preload_libraries): stay plain.
      RAISE WARNING 'timescaledb is available but could not be created (%): request_log stays a plain table', SQLERRM;
      RETURN;
    END;
  END IF;

  -- Dynamic SQL: these functions do not exist on plain PostgreSQL, where this block must still parse.
  EXECUTE $sql$
    SELECT create_hypertable('request_log', 'created_at',
      chunk_time_interval => INTERVAL '1 day',
      if_not_exists => TRUE,
      migrate_data => TRUE,
      create_default_indexes => FALSE)
  $sql$;

  IF NOT EXISTS (
    SELECT 1 FROM timescaledb_information.hypertables
    WHERE hypertable_name = 'request_log' AND compression_enabled
  ) THEN
    EXECUTE $sql$
      ALTER TABLE request_log SET (
        timescaledb.compress,
        timescaledb.compress_segmentby = 'provider, model',
        timescaledb.compress_orderby = 'created_at DESC, id'
      )
    $sql$;
  END IF;

  EXECUTE $sql$ SELECT add_compression_policy('request_log', INTERVAL '7 days', if_not_exists => TRUE) $sql$;
  EXECUTE $sql$ SELECT add_retention_policy('request_log', INTERVAL '90 days', if_not_exists => TRUE) $sql$;
END
$$;
