// appendToStream: expected revisions, idempotency and concurrency. Ported from the client's
// appendToStream.test.ts and appendToStream-errors.test.ts, plus our own cases.
import { randomUUID } from 'node:crypto';
import { comparePositions } from '../types';
import { collect, describeError, rejectionOf, testEvents, type ContractContext } from './helpers';

export function appendCases(ctx: ContractContext): void {
  describe('appendToStream', () => {
    test('appends json events from revision 0 and returns the last revision and its position', async () => {
      const stream = ctx.stream('json');
      const result = await ctx.store.appendToStream(stream, testEvents(4));
      expect(result.nextExpectedRevision).toBe(3n);

      const events = await collect(ctx.store.readStream(stream));
      expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n]);
      const last = events[3];
      expect(last && comparePositions(last.position, result.position)).toBe(0);
    });

    test('round-trips ids, types, data and metadata', async () => {
      const stream = ctx.stream('roundtrip');
      const id = randomUUID();
      const data = { name: 'CC ‐ 1830', nested: { list: [1, 'two', null, true] }, emoji: '😾' };
      const metadata = { correlationId: randomUUID(), causationId: randomUUID(), actor: 'user-1', time: '2024-01-01T00:00:00.000Z', schemaVersion: 2 };
      await ctx.store.appendToStream(stream, [{ id, type: 'CustomerRegistered', data, metadata }]);

      const [event] = await collect(ctx.store.readStream(stream, { maxCount: 1 }));
      expect(event).toMatchObject({ id, type: 'CustomerRegistered', data, metadata, streamId: stream });
      expect(event?.created).toBeInstanceOf(Date);
    });

    test('a unicode string is valid json data', async () => {
      const stream = ctx.stream('encode');
      await ctx.store.appendToStream(stream, { id: randomUUID(), type: 'TestEncode', data: 'CC ‐ 1830' });
      const [event] = await collect(ctx.store.readStream(stream, { maxCount: 1 }));
      expect(event?.data).toBe('CC ‐ 1830');
    });

    test('events without metadata read back with empty metadata', async () => {
      const stream = ctx.stream('no_metadata');
      await ctx.store.appendToStream(stream, { id: randomUUID(), type: 'metadata-test', data: { message: 'x' } });
      const [event] = await collect(ctx.store.readStream(stream));
      expect(event?.metadata).toEqual({});
    });

    test('revisions continue across appends', async () => {
      const stream = ctx.stream('continue');
      const first = await ctx.store.appendToStream(stream, testEvents(2));
      const second = await ctx.store.appendToStream(stream, testEvents(3), { expectedRevision: first.nextExpectedRevision });
      expect(second.nextExpectedRevision).toBe(4n);
      expect(comparePositions(first.position, second.position)).toBeLessThan(0);
    });

    describe('expected revision', () => {
      test('any succeeds on a new and on an existing stream', async () => {
        const stream = ctx.stream('any');
        await ctx.store.appendToStream(stream, testEvents(), { expectedRevision: 'any' });
        const result = await ctx.store.appendToStream(stream, testEvents(), { expectedRevision: 'any' });
        expect(result.nextExpectedRevision).toBe(7n);
      });

      test('no_stream succeeds on a new stream', async () => {
        const result = await ctx.store.appendToStream(ctx.stream('no_stream'), testEvents(), { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(3n);
      });

      test('no_stream fails when the stream exists, with the actual revision', async () => {
        const stream = ctx.stream('no_stream_exists');
        await ctx.store.appendToStream(stream, testEvents());
        const error = await rejectionOf(ctx.store.appendToStream(stream, testEvents(), { expectedRevision: 'no_stream' }));
        expect(describeError(error)).toEqual({ name: 'WrongExpectedVersionError', streamName: stream, expectedVersion: 'no_stream', actualVersion: '3' });
      });

      test('stream_exists succeeds when the stream exists', async () => {
        const stream = ctx.stream('exists');
        await ctx.store.appendToStream(stream, testEvents());
        const result = await ctx.store.appendToStream(stream, testEvents(), { expectedRevision: 'stream_exists' });
        expect(result.nextExpectedRevision).toBe(7n);
      });

      test('stream_exists fails on a missing stream, actual no_stream', async () => {
        const stream = ctx.stream('exists_missing');
        const error = await rejectionOf(ctx.store.appendToStream(stream, testEvents(), { expectedRevision: 'stream_exists' }));
        expect(describeError(error)).toEqual({ name: 'WrongExpectedVersionError', streamName: stream, expectedVersion: 'stream_exists', actualVersion: 'no_stream' });
      });

      test('an exact revision succeeds when it is the last one', async () => {
        const stream = ctx.stream('exact');
        const { nextExpectedRevision } = await ctx.store.appendToStream(stream, testEvents());
        const result = await ctx.store.appendToStream(stream, testEvents(), { expectedRevision: nextExpectedRevision });
        expect(result.nextExpectedRevision).toBe(nextExpectedRevision + 4n);
      });

      test('an exact revision fails on a missing stream, actual no_stream', async () => {
        const stream = ctx.stream('exact_missing');
        const error = await rejectionOf(ctx.store.appendToStream(stream, testEvents(), { expectedRevision: 1n }));
        expect(describeError(error)).toEqual({ name: 'WrongExpectedVersionError', streamName: stream, expectedVersion: '1', actualVersion: 'no_stream' });
      });

      test('an exact revision fails when the stream is elsewhere, with the actual revision', async () => {
        const stream = ctx.stream('exact_wrong');
        const { nextExpectedRevision } = await ctx.store.appendToStream(stream, testEvents());
        const error = await rejectionOf(ctx.store.appendToStream(stream, testEvents(), { expectedRevision: nextExpectedRevision + 1n }));
        expect(describeError(error)).toEqual({
          name: 'WrongExpectedVersionError',
          streamName: stream,
          expectedVersion: String(nextExpectedRevision + 1n),
          actualVersion: String(nextExpectedRevision),
        });
      });
    });

    describe('idempotency', () => {
      test('the same events with the same exact revision return the original result and append nothing', async () => {
        const stream = ctx.stream('idempotent_exact');
        const first = await ctx.store.appendToStream(stream, testEvents(2));
        const events = testEvents(3);
        const original = await ctx.store.appendToStream(stream, events, { expectedRevision: first.nextExpectedRevision });
        const retried = await ctx.store.appendToStream(stream, events, { expectedRevision: first.nextExpectedRevision });
        expect(retried.nextExpectedRevision).toBe(original.nextExpectedRevision);
        expect(comparePositions(retried.position, original.position)).toBe(0);
        expect((await collect(ctx.store.readStream(stream))).map((e) => e.id)).toHaveLength(5);
      });

      test('the same events with no_stream are idempotent', async () => {
        const stream = ctx.stream('idempotent_no_stream');
        const events = testEvents(2);
        const original = await ctx.store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
        const retried = await ctx.store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
        expect(retried.nextExpectedRevision).toBe(original.nextExpectedRevision);
        expect(await collect(ctx.store.readStream(stream))).toHaveLength(2);
      });

      test('the same events with any are idempotent', async () => {
        const stream = ctx.stream('idempotent_any');
        const events = testEvents(2);
        await ctx.store.appendToStream(stream, events);
        const retried = await ctx.store.appendToStream(stream, events);
        expect(retried.nextExpectedRevision).toBe(1n);
        expect(await collect(ctx.store.readStream(stream))).toHaveLength(2);
      });

      test('the same events with another expected revision fail', async () => {
        const stream = ctx.stream('idempotent_other_revision');
        const events = testEvents(2);
        await ctx.store.appendToStream(stream, testEvents(1));
        await ctx.store.appendToStream(stream, events, { expectedRevision: 0n });
        const error = await rejectionOf(ctx.store.appendToStream(stream, events, { expectedRevision: 1n }));
        expect(describeError(error)).toMatchObject({ name: 'WrongExpectedVersionError', actualVersion: '2' });
        expect(await collect(ctx.store.readStream(stream))).toHaveLength(3);
      });

      test('a batch that only partly overlaps the written one fails', async () => {
        const stream = ctx.stream('idempotent_partial');
        const events = testEvents(2);
        await ctx.store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
        const overlapping = [...events, ...testEvents(1)];
        const error = await rejectionOf(ctx.store.appendToStream(stream, overlapping, { expectedRevision: 'no_stream' }));
        expect(describeError(error)).toMatchObject({ name: 'WrongExpectedVersionError', actualVersion: '1' });
        expect(await collect(ctx.store.readStream(stream))).toHaveLength(2);
      });
    });

    test('50 concurrent appends at the same revision: one wins, the others conflict on its revision, no gaps', async () => {
      const stream = ctx.stream('race');
      const { nextExpectedRevision } = await ctx.store.appendToStream(stream, testEvents(1));
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, () => ctx.store.appendToStream(stream, testEvents(2), { expectedRevision: nextExpectedRevision })),
      );
      const winners = outcomes.filter((o) => o.status === 'fulfilled');
      const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [describeError(o.reason)] : []));
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(49);
      for (const loser of losers) {
        expect(loser).toEqual({ name: 'WrongExpectedVersionError', streamName: stream, expectedVersion: String(nextExpectedRevision), actualVersion: '2' });
      }
      const revisions = (await collect(ctx.store.readStream(stream))).map((e) => e.revision);
      expect(revisions).toEqual([0n, 1n, 2n]);
    });
  });
}
