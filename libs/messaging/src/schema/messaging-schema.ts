// The tables messaging keeps in the service's PostgreSQL database, created idempotently at start.
// A transaction-scoped advisory lock serialises concurrent starts (CREATE ... IF NOT EXISTS races).
import { Pool, type ClientBase } from 'pg';

export const MESSAGING_SCHEMA = 'messaging';

const SCHEMA_LOCK_KEY = 0x6d736773; // 'msgs'

const DDL = `
CREATE SCHEMA IF NOT EXISTS messaging;

CREATE TABLE IF NOT EXISTS messaging.relay_checkpoints (
  relay_name  text PRIMARY KEY,
  commit      bigint NOT NULL,
  prepare     bigint NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE messaging.relay_checkpoints IS
  'Position in the event store up to which a relay has published to Kafka (acknowledged by the broker).';

CREATE TABLE IF NOT EXISTS messaging.processed_events (
  consumer_group  text NOT NULL,
  event_id        text NOT NULL,
  processed_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, event_id)
);
COMMENT ON TABLE messaging.processed_events IS
  'Event ids a consumer group has applied, inserted in the same transaction as the handler''s writes.';
CREATE INDEX IF NOT EXISTS processed_events_processed_at ON messaging.processed_events (processed_at);
`;

/** Creates the schema and tables when missing: with a pool, or on a client outside any transaction. */
export async function ensureMessagingSchema(db: Pool | ClientBase): Promise<void> {
  const pooled = db instanceof Pool ? await db.connect() : null;
  const client = pooled ?? (db as ClientBase);
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
    await client.query(DDL);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    pooled?.release();
  }
}

/**
 * Deletes deduplication rows older than the window. Keep the window longer than the topics' retention
 * plus the longest consumer outage you want to survive: a redelivery older than that would apply twice.
 */
export async function pruneProcessedEvents(pool: Pool, olderThanMs: number): Promise<number> {
  const result = await pool.query(
    `DELETE FROM messaging.processed_events WHERE processed_at < now() - make_interval(secs => $1)`,
    [olderThanMs / 1000],
  );
  return result.rowCount ?? 0;
}
