// Group commit on a real PostgreSQL: overlapping appends share statements, yet each keeps the semantics of an
// append of its own (revisions, conflicts, idempotency, errors).
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { WrongExpectedVersionError } from '../errors';
import { collect } from '../contract/helpers';
import type { EventData, JsonObject } from '../types';
import { PostgresEventStore } from './postgres-event-store';

let db: TestDatabase;
let store: PostgresEventStore;
let statements = 0;

const event = (type = 'Happened', data: JsonObject = {}): EventData => ({ id: randomUUID(), type, data, metadata: {} });

beforeAll(async () => {
  db = await createTestDatabase('group_commit');
  store = await PostgresEventStore.create({ connectionString: db.url, schema: 'gc', groupCommit: { maxInFlight: 1 } });
  // Count the append statements, to see that they were shared.
  const query = store.pool.query.bind(store.pool) as (...args: unknown[]) => unknown;
  (store.pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const text = (args[0] as { text?: string }).text ?? '';
    if (text.includes('append_to_stream')) statements += 1;
    return query(...args);
  };
});
afterAll(async () => {
  await store.close();
  await db.drop();
});

describe('PostgresEventStore with group commit', () => {
  it('writes 200 overlapping appends to 50 streams in fewer statements, every stream in its own order', async () => {
    const before = statements;
    const streams = Array.from({ length: 50 }, (_, i) => `order-${i}-${randomUUID()}`);
    await Promise.all(
      streams.map(async (stream) => {
        for (let i = 0; i < 4; i += 1) await store.appendToStream(stream, event('Step', { i }), { expectedRevision: i === 0 ? 'no_stream' : BigInt(i - 1) });
      }),
    );
    expect(statements - before).toBeLessThan(200);
    for (const stream of streams) {
      const events = await collect(store.readStream(stream));
      expect(events.map((e) => [Number(e.revision), (e.data as { i: number }).i])).toEqual([[0, 0], [1, 1], [2, 2], [3, 3]]);
    }
  });

  it('lets exactly one of 20 racing appends with the same expected revision through', async () => {
    const stream = `race-${randomUUID()}`;
    await store.appendToStream(stream, event());
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => store.appendToStream(stream, event(), { expectedRevision: 0n })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
    expect(refused).toHaveLength(19);
    for (const error of refused) expect(error).toBeInstanceOf(WrongExpectedVersionError);
  });

  it('treats the same events appended twice at once as one append', async () => {
    const stream = `twice-${randomUUID()}`;
    const events = [event(), event()];
    const [a, b] = await Promise.all([store.appendToStream(stream, events, { expectedRevision: 'no_stream' }), store.appendToStream(stream, events, { expectedRevision: 'no_stream' })]);
    expect(a.nextExpectedRevision).toBe(1n);
    expect(b.nextExpectedRevision).toBe(1n);
    expect(await collect(store.readStream(stream))).toHaveLength(2);
  });

  it('fails only the append that PostgreSQL refuses when it shares a batch with good ones', async () => {
    const streams = Array.from({ length: 10 }, (_, i) => `mixed-${i}-${randomUUID()}`);
    // Keep a statement in flight so that the rest queue into one batch.
    const results = await Promise.allSettled(
      streams.map((stream, i) => store.appendToStream(stream, i === 5 ? event('Bad', { text: 'nul \u0000 byte' }) : event('Good'))),
    );
    expect(results.map((r) => r.status)).toEqual(streams.map((_, i) => (i === 5 ? 'rejected' : 'fulfilled')));
    for (const [i, stream] of streams.entries()) {
      if (i !== 5) expect(await collect(store.readStream(stream))).toHaveLength(1);
    }
  });
});
