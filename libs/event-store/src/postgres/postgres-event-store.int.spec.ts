// The event store contract on PostgreSQL, and what only PostgreSQL has: transactions held open across a
// $all subscriber, migrations, connection settings, metrics and scavenging.
import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { Registry } from 'prom-client';
import { createTestDatabase, waitFor, type TestDatabase } from '@crm/testing';
import { describeEventStoreContract } from '../contract/event-store.contract';
import { ALL_VISIBLE_TIMEOUT_MS, collect, Recorder, testEvents } from '../contract/helpers';
import { comparePositions, type Position } from '../types';
import { migrateEventStore } from './migrate';
import { eventStorePoolSettings, PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';

let db: TestDatabase;

/** Waits until $all readers have passed `position` (other transactions in the cluster may hold them back). */
async function untilInAll(store: PostgresEventStore, position: Position | undefined): Promise<void> {
  if (!position) return;
  await waitFor(async () => (await collect(store.readAll({ fromPosition: position, maxCount: 1 }))).length === 1, {
    timeoutMs: ALL_VISIBLE_TIMEOUT_MS,
    description: 'the position to reach $all',
  });
}
const stores: PostgresEventStore[] = [];

async function newStore(options: Partial<PostgresEventStoreOptions> = {}): Promise<PostgresEventStore> {
  const store = await PostgresEventStore.create({ connectionString: db.url, schema: `es_${randomUUID().slice(0, 8)}`, ...options });
  stores.push(store);
  return store;
}

beforeAll(async () => {
  db = await createTestDatabase('event_store');
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await db.drop();
});

describeEventStoreContract('PostgreSQL', async () => {
  const store = await newStore();
  return { store, teardown: () => store.close() };
});

describe('PostgresEventStore', () => {
  let store: PostgresEventStore;
  let held: Client;
  let pollCount = 0;

  beforeAll(async () => {
    store = await newStore({ polling: { minDelayMs: 5, maxDelayMs: 20 } });
    // Count the $all polls and visible-head checks (an idle subscriber's look), to know that a subscriber has
    // looked again without sleeping.
    const query = store.pool.query.bind(store.pool) as (...args: unknown[]) => unknown;
    (store.pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes('visible_horizon()')) pollCount += 1;
      return query(...args);
    };
  });
  beforeEach(async () => {
    held = new Client({ connectionString: db.url });
    await held.connect();
  });
  afterEach(async () => {
    await held.end();
  });

  const pollsFromNow = async (count: number) => {
    const target = pollCount + count;
    await waitFor(() => pollCount >= target, { description: `${count} more polls` });
  };

  describe('a transaction held open while a later one commits', () => {
    const setUp = async () => {
      const prefix = `held_${randomUUID().slice(0, 8)}-`;
      const recorder = new Recorder().start((h) => store.subscribeToAll(h, { filter: { streamNamePrefixes: [prefix] } }));
      await recorder.waitForCaughtUp();
      await held.query('BEGIN');
      await store.appendInTransaction(held, `${prefix}first`, testEvents(1, 'first'));
      await store.appendToStream(`${prefix}second`, testEvents(1, 'second'));
      await pollsFromNow(3);
      return { prefix, recorder };
    };

    test('a $all subscriber does not pass it, and delivers both in order once it commits', async () => {
      const { recorder } = await setUp();
      expect(recorder.events).toEqual([]);
      await held.query('COMMIT');
      await recorder.waitForEvents(2);
      await recorder.stop();
      expect(recorder.types()).toEqual(['first', 'second']);
      const [first, second] = recorder.events;
      expect(first && second && comparePositions(first.position, second.position)).toBeLessThan(0);
    });

    test('readAll does not show the later one either until the first ends', async () => {
      const { prefix, recorder } = await setUp();
      await recorder.stop();
      const ours = async () => (await collect(store.readAll({ direction: 'backwards', maxCount: 100 }))).filter((e) => e.streamId.startsWith(prefix));
      expect(await ours()).toEqual([]);
      await held.query('COMMIT');
      // Other tests' transactions elsewhere in the cluster may hold the line a moment longer.
      await waitFor(async () => (await ours()).length === 2, { timeoutMs: ALL_VISIBLE_TIMEOUT_MS, description: 'both events in $all' });
      expect((await ours()).map((e) => e.type)).toEqual(['second', 'first']);
    });

    test('if it rolls back, only the later one is delivered, and nothing stalls after it', async () => {
      const { prefix, recorder } = await setUp();
      await held.query('ROLLBACK');
      await recorder.waitForEvents(1);
      await store.appendToStream(`${prefix}third`, testEvents(1, 'third'));
      await recorder.waitForEvents(2);
      await recorder.stop();
      expect(recorder.types()).toEqual(['second', 'third']);
      await expect(collect(store.readStream(`${prefix}first`))).rejects.toThrow('not found');
      expect((await store.appendToStream(`${prefix}first`, testEvents(1), { expectedRevision: 'no_stream' })).nextExpectedRevision).toBe(0n);
    });
  });

  describe('the horizon of $all (visible_horizon)', () => {
    const appendedAndSeen = async (prefix: string) => {
      const position = (await store.appendToStream(`${prefix}e`, testEvents(1, 'e'))).position;
      const seen = async () => (await collect(store.readAll({ direction: 'backwards', maxCount: 50 }))).some((e) => comparePositions(e.position, position) === 0);
      return { position, seen };
    };

    test('a writing transaction open in another database of the cluster does not hold it back', async () => {
      const other = new Client({ connectionString: Object.assign(new URL(db.url), { pathname: '/postgres' }).toString() });
      await other.connect();
      try {
        await other.query('BEGIN');
        await other.query('SELECT pg_current_xact_id()'); // holds an xid: pg_snapshot_xmin stays at or below it
        const { seen } = await appendedAndSeen(`otherdb_${randomUUID().slice(0, 8)}-`);
        await waitFor(seen, { timeoutMs: ALL_VISIBLE_TIMEOUT_MS, description: 'the event in $all while the other database’s transaction is open' });
        const { rows } = await other.query<{ open: boolean }>(`SELECT pg_current_xact_id_if_assigned() IS NOT NULL AS open`);
        expect(rows[0]?.open).toBe(true); // still open when the event became visible
      } finally {
        await other.query('ROLLBACK');
        await other.end();
      }
    });

    test('a writing transaction open in this database holds it back until it ends, even without events', async () => {
      await held.query('BEGIN');
      await held.query('SELECT pg_current_xact_id()');
      const { seen } = await appendedAndSeen(`samedb_${randomUUID().slice(0, 8)}-`); // committed, after held's xid
      expect(await seen()).toBe(false);
      await held.query('ROLLBACK');
      await waitFor(seen, { timeoutMs: ALL_VISIBLE_TIMEOUT_MS, description: 'the event in $all once the transaction ended' });
    });
  });

  test('a subscription from end gets a transaction that was in flight when it started', async () => {
    const prefix = `inflight_${randomUUID().slice(0, 8)}-`;
    await store.appendToStream(`${prefix}before`, testEvents(1, 'before'));
    await held.query('BEGIN');
    await store.appendInTransaction(held, `${prefix}inflight`, testEvents(1, 'inflight'));
    const recorder = new Recorder().start((h) => store.subscribeToAll(h, { fromPosition: 'end', filter: { streamNamePrefixes: [prefix] } }));
    await pollsFromNow(1);
    await store.appendToStream(`${prefix}after`, testEvents(1, 'after'));
    await held.query('COMMIT');
    await recorder.waitForEvents(2);
    await recorder.stop();
    expect(recorder.types()).toEqual(['inflight', 'after']);
  });

  test('a conflict inside a caller transaction does not abort it', async () => {
    const stream = `tx_${randomUUID()}`;
    await store.appendToStream(stream, testEvents(2));
    await held.query('BEGIN');
    await expect(store.appendInTransaction(held, stream, testEvents(1), { expectedRevision: 0n })).rejects.toThrow('Wrong expected revision');
    await store.appendInTransaction(held, stream, testEvents(1), { expectedRevision: 1n });
    await held.query('COMMIT');
    expect(await collect(store.readStream(stream))).toHaveLength(3);
  });

  test('readAll: forwards from a position includes it, backwards excludes it', async () => {
    const stream = `positions_${randomUUID()}`;
    await store.appendToStream(stream, testEvents(3));
    const [, middle, last] = await collect(store.readStream(stream));
    if (!middle || !last) throw new Error('no events');
    await untilInAll(store, last.position);
    const [forwards] = await collect(store.readAll({ fromPosition: middle.position, maxCount: 1 }));
    const [backwards] = await collect(store.readAll({ fromPosition: middle.position, direction: 'backwards', maxCount: 1 }));
    expect(forwards?.revision).toBe(1n);
    expect(backwards?.revision).toBe(0n);
  });

  test('scavenge removes what reads hide, from $all too', async () => {
    const scavenged = await newStore();
    const [deleted, truncated, kept] = ['deleted', 'truncated', 'kept'].map((s) => `${s}_${randomUUID()}`) as [string, string, string];
    await scavenged.appendToStream(deleted, testEvents(3));
    await scavenged.appendToStream(truncated, testEvents(5));
    await scavenged.appendToStream(kept, testEvents(2));
    await scavenged.tombstoneStream(deleted);
    const { position } = await scavenged.setStreamMetadata(truncated, { maxCount: 2 });
    const { removed } = await scavenged.scavenge();
    await untilInAll(scavenged, position);
    expect(removed).toBe(6);
    const all = (await collect(scavenged.readAll())).map((e) => `${e.streamId.split('_')[0]}:${e.type}`);
    expect(all.filter((e) => e.startsWith('deleted'))).toEqual(['deleted:$streamDeleted']);
    expect(all.filter((e) => e.startsWith('truncated'))).toEqual(['truncated:test', 'truncated:test']);
    expect(all.filter((e) => e.startsWith('kept'))).toHaveLength(2);
  });

  describe('migrations', () => {
    test('run once, under a lock, however many instances start together', async () => {
      const schema = `es_migrate_${randomUUID().slice(0, 8)}`;
      const results = await Promise.all([1, 2, 3].map(() => migrateEventStore(db.pool, { schema })));
      expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, 5]);
      const { rows } = await db.pool.query(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
      expect(rows.map((r: { version: number }) => r.version)).toEqual([1, 2, 3, 4, 5]);
      expect((await migrateEventStore(db.pool, { schema })).applied).toEqual([]);
    });
  });

  test('its connections end idle transactions and long statements', async () => {
    const configured = await newStore({ idleInTransactionTimeoutMs: 1234, statementTimeoutMs: 5678 });
    const { rows } = await configured.pool.query<{ idle: string; statement: string }>(
      `SELECT current_setting('idle_in_transaction_session_timeout') AS idle, current_setting('statement_timeout') AS statement`,
    );
    expect(rows[0]).toEqual({ idle: '1234ms', statement: '5678ms' });
  });

  test('idle $all subscribers share one visible-head check instead of each polling, and still see the next event', async () => {
    const shared = await newStore({ polling: { minDelayMs: 5, maxDelayMs: 20 } });
    const counts = { polls: 0, heads: 0 };
    const query = shared.pool.query.bind(shared.pool) as (...args: unknown[]) => unknown;
    (shared.pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes('pg_visible_in_snapshot')) counts.polls += 1;
      else if (typeof args[0] === 'string' && args[0].includes('visible_horizon()')) counts.heads += 1;
      return query(...args);
    };
    const prefix = `idle_${randomUUID().slice(0, 8)}`;
    await shared.appendToStream(`${prefix}-a`, testEvents(1));
    const recorders = Array.from({ length: 6 }, () => new Recorder().start((h) => shared.subscribeToAll(h, { filter: { streamNamePrefixes: [prefix] } })));
    try {
      await waitFor(() => recorders.every((r) => r.caughtUp === 1 && r.events.length === 1), { description: 'all caught up' });
      // Idle: once every subscriber has polled and found nothing, they only check the shared head.
      await waitFor(() => counts.heads >= 10, { description: 'head checks while idle' });
      const before = { ...counts };
      await waitFor(() => counts.heads >= before.heads + 20, { description: '20 more head checks' });
      expect(counts.polls - before.polls).toBe(0);

      await shared.appendToStream(`${prefix}-b`, testEvents(1));
      await waitFor(() => recorders.every((r) => r.events.length === 2), { description: 'the next event at every subscriber' });
    } finally {
      await Promise.all(recorders.map((r) => r.subscription?.unsubscribe()));
    }
  });

  test('a pool made with eventStorePoolSettings sends the settings on connect, and the store leaves it as it is', async () => {
    const pool = new Pool({ connectionString: db.url, max: 1, ...eventStorePoolSettings({ idleInTransactionTimeoutMs: 4321, statementTimeoutMs: 8765 }) });
    try {
      const store = new PostgresEventStore({ pool, schema: `es_${randomUUID().slice(0, 8)}` });
      expect(pool.listenerCount('connect')).toBe(0);
      const { rows } = await store.pool.query<{ idle: string; statement: string }>(
        `SELECT current_setting('idle_in_transaction_session_timeout') AS idle, current_setting('statement_timeout') AS statement`,
      );
      expect(rows[0]).toEqual({ idle: '4321ms', statement: '8765ms' });
      await store.close();
    } finally {
      await pool.end();
    }
  });

  test('metrics: appends, their duration, and the age of the oldest open transaction', async () => {
    const registry = new Registry();
    const measured = await newStore({ metricsRegistry: registry });
    const stream = `metrics_${randomUUID()}`;
    await measured.appendToStream(stream, testEvents(3));
    await expect(measured.appendToStream(stream, testEvents(1), { expectedRevision: 'no_stream' })).rejects.toThrow();
    await held.query('BEGIN');
    await held.query('SELECT pg_current_xact_id()');
    let metrics = await registry.getMetricsAsJSON();
    const values = (name: string) => metrics.find((m) => m.name === name)?.values ?? [];
    const oldestWriting = () => values('event_store_oldest_transaction_age_seconds').find((v) => v.labels['kind'] === 'writing')?.value ?? 0;
    await waitFor(async () => {
      metrics = await registry.getMetricsAsJSON();
      return oldestWriting() >= 1;
    }, { intervalMs: 200, description: 'the open transaction to show its age' });
    await held.query('ROLLBACK');
    expect(values('event_store_appends_total')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ labels: { outcome: 'ok' }, value: 1 }),
        expect.objectContaining({ labels: { outcome: 'wrong_expected_version' }, value: 1 }),
      ]),
    );
    expect(values('event_store_appended_events_total')).toEqual([expect.objectContaining({ value: 3 })]);
    expect(values('event_store_append_duration_seconds').some((v) => v.labels['outcome'] === 'ok')).toBe(true);
    expect(oldestWriting()).toBeGreaterThanOrEqual(1);
  });
});
