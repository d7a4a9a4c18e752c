// Prometheus metrics of the PostgreSQL store. Registered only into the registry the caller passes.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Pool } from 'pg';

export type AppendOutcome = 'ok' | 'wrong_expected_version' | 'deleted' | 'error';

export interface EventStoreMetrics {
  observeAppend(outcome: AppendOutcome, events: number, seconds: number): void;
}

/**
 * Age in seconds of the oldest open transaction in the cluster, per kind: `writing` transactions (with a
 * transaction id) hold back $all for every reader; `any` includes read-only ones. Needs the
 * pg_read_all_stats role to see other users' sessions.
 */
export async function oldestTransactionAgeSeconds(pool: Pool): Promise<{ writing: number; any: number }> {
  const { rows } = await pool.query<{ writing: number | null; any: number | null }>(
    `SELECT extract(epoch FROM max(now() - xact_start) FILTER (WHERE backend_xid IS NOT NULL AND datname = current_database()))::float8 AS writing,
            extract(epoch FROM max(now() - xact_start))::float8 AS any
       FROM pg_stat_activity
      WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid()`,
  );
  return { writing: Math.max(0, rows[0]?.writing ?? 0), any: Math.max(0, rows[0]?.any ?? 0) };
}

export function createEventStoreMetrics(pool: Pool, registry?: Registry): EventStoreMetrics {
  const registers = registry ? [registry] : [];
  const appends = new Counter({
    name: 'event_store_appends_total',
    help: 'Appends to the event store, by outcome',
    labelNames: ['outcome'] as const,
    registers,
  });
  const events = new Counter({
    name: 'event_store_appended_events_total',
    help: 'Events appended to the event store',
    registers,
  });
  const duration = new Histogram({
    name: 'event_store_append_duration_seconds',
    help: 'Duration of an append, one round trip to PostgreSQL',
    labelNames: ['outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  new Gauge({
    name: 'event_store_oldest_transaction_age_seconds',
    help: 'Age of the oldest open transaction: kind=writing, holding an xid in this database (it holds back $all readers); kind=any, anywhere in the cluster',
    labelNames: ['kind'] as const,
    registers,
    async collect() {
      // A scrape must not fail because the database is unreachable for a moment: keep the last values.
      const age = await oldestTransactionAgeSeconds(pool).catch(() => undefined);
      if (!age) return;
      this.set({ kind: 'writing' }, age.writing);
      this.set({ kind: 'any' }, age.any);
    },
  });
  return {
    observeAppend(outcome, count, seconds) {
      appends.inc({ outcome });
      if (outcome === 'ok') events.inc(count);
      duration.observe({ outcome }, seconds);
    },
  };
}
