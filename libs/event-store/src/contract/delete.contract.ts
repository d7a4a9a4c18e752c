// deleteStream, tombstoneStream and stream metadata. Ported from the client's deleteStream.test.ts,
// tombstoneStream.test.ts, getStreamMetadata.test.ts and setStreamMetadata.test.ts, plus recreation
// after a soft delete and the reads that $maxCount, $maxAge and $tb shape.
import { waitFor } from '@crm/testing';
import { DELETED_STREAM } from '../stream-metadata';
import type { RecordedEvent, StreamMetadata } from '../types';
import { collect, describeError, rejectionOf, testEvents, type ContractContext } from './helpers';

const revisions = (events: RecordedEvent[]) => events.map((e) => Number(e.revision));

export function deleteCases(ctx: ContractContext): void {
  describe('deleteStream', () => {
    test('any revision: the stream then reads as not found', async () => {
      const stream = ctx.stream('delete_any');
      await ctx.store.appendToStream(stream, testEvents(4));
      expect(await ctx.store.deleteStream(stream)).toHaveProperty('position');
      expect(describeError(await rejectionOf(collect(ctx.store.readStream(stream, { maxCount: 10 }))))).toEqual({ name: 'StreamNotFoundError', streamName: stream });
    });

    test('an exact revision fails when wrong and succeeds when right', async () => {
      const stream = ctx.stream('delete_exact');
      await ctx.store.appendToStream(stream, testEvents(4));
      expect(describeError(await rejectionOf(ctx.store.deleteStream(stream, { expectedRevision: 2n })))).toMatchObject({
        name: 'WrongExpectedVersionError',
        streamName: stream,
        expectedVersion: '2',
      });
      const [last] = await collect(ctx.store.readStream(stream, { direction: 'backwards', fromRevision: 'end', maxCount: 1 }));
      await ctx.store.deleteStream(stream, { expectedRevision: last?.revision ?? -1n });
      expect(describeError(await rejectionOf(collect(ctx.store.readStream(stream))))).toMatchObject({ name: 'StreamNotFoundError' });
    });

    test('no_stream fails when the stream exists', async () => {
      const stream = ctx.stream('delete_no_stream');
      await ctx.store.appendToStream(stream, testEvents(4));
      expect(describeError(await rejectionOf(ctx.store.deleteStream(stream, { expectedRevision: 'no_stream' })))).toMatchObject({
        name: 'WrongExpectedVersionError',
        streamName: stream,
      });
    });

    test('no_stream succeeds when the stream exists only by its metadata', async () => {
      const stream = ctx.stream('delete_implicit');
      await ctx.store.setStreamMetadata(stream, { custom: { cacheHint: 10 } });
      expect(await ctx.store.deleteStream(stream, { expectedRevision: 'no_stream' })).toHaveProperty('position');
    });

    test('marks the stream deleted with $tb = long.MaxValue, as EventStoreDB does', async () => {
      const stream = ctx.stream('delete_marker');
      await ctx.store.appendToStream(stream, testEvents(2));
      await ctx.store.deleteStream(stream);
      expect((await ctx.store.getStreamMetadata(stream)).metadata.truncateBefore).toBe(DELETED_STREAM);
    });

    test('a stream with neither events nor metadata cannot be soft-deleted', async () => {
      const stream = ctx.stream('delete_missing');
      expect(describeError(await rejectionOf(ctx.store.deleteStream(stream)))).toMatchObject({
        name: 'WrongExpectedVersionError',
        actualVersion: 'no_stream',
      });
    });

    test('writing metadata recreates a soft-deleted stream, empty', async () => {
      const stream = ctx.stream('delete_then_metadata');
      await ctx.store.appendToStream(stream, testEvents(2));
      await ctx.store.deleteStream(stream);
      await ctx.store.setStreamMetadata(stream, { maxCount: 5 });
      expect(await collect(ctx.store.readStream(stream))).toEqual([]);
      expect((await ctx.store.getStreamMetadata(stream)).metadata).toEqual({ maxCount: 5, truncateBefore: 2n });
    });

    test('a later append recreates the stream: revisions go on, only the new events read', async () => {
      const stream = ctx.stream('recreate');
      await ctx.store.appendToStream(stream, testEvents(2));
      await ctx.store.deleteStream(stream);
      const result = await ctx.store.appendToStream(stream, testEvents(3), { expectedRevision: 'any' });
      expect(result.nextExpectedRevision).toBe(4n);
      expect(revisions(await collect(ctx.store.readStream(stream)))).toEqual([2, 3, 4]);
      expect((await ctx.store.getStreamMetadata(stream)).metadata.truncateBefore).toBe(2n);
    });

    test('recreating with no_stream works once, then no_stream conflicts', async () => {
      const stream = ctx.stream('recreate_once');
      await ctx.store.appendToStream(stream, testEvents(2));
      await ctx.store.deleteStream(stream);
      await ctx.store.appendToStream(stream, testEvents(1), { expectedRevision: 'no_stream' });
      expect(describeError(await rejectionOf(ctx.store.appendToStream(stream, testEvents(1), { expectedRevision: 'no_stream' })))).toMatchObject({
        name: 'WrongExpectedVersionError',
        actualVersion: '2',
      });
    });

    test('recreating with the last revision before the delete works', async () => {
      const stream = ctx.stream('recreate_exact');
      const { nextExpectedRevision } = await ctx.store.appendToStream(stream, testEvents(2));
      await ctx.store.deleteStream(stream);
      const result = await ctx.store.appendToStream(stream, testEvents(1), { expectedRevision: nextExpectedRevision });
      expect(result.nextExpectedRevision).toBe(2n);
    });
  });

  describe('tombstoneStream', () => {
    test('any revision: reads, appends, metadata and deletes then throw StreamDeletedError', async () => {
      const stream = ctx.stream('tombstone_any');
      await ctx.store.appendToStream(stream, testEvents());
      expect(await ctx.store.tombstoneStream(stream)).toHaveProperty('position');
      const deleted = { name: 'StreamDeletedError', streamName: stream };
      expect(describeError(await rejectionOf(collect(ctx.store.readStream(stream, { maxCount: 10 }))))).toEqual(deleted);
      expect(describeError(await rejectionOf(ctx.store.appendToStream(stream, testEvents(1))))).toEqual(deleted);
      expect(describeError(await rejectionOf(ctx.store.setStreamMetadata(stream, { maxCount: 1 })))).toEqual(deleted);
      expect(describeError(await rejectionOf(ctx.store.getStreamMetadata(stream)))).toEqual(deleted);
      expect(describeError(await rejectionOf(ctx.store.deleteStream(stream)))).toEqual(deleted);
      expect(describeError(await rejectionOf(ctx.store.tombstoneStream(stream)))).toEqual(deleted);
    });

    test('an exact revision fails when wrong and succeeds when right', async () => {
      const stream = ctx.stream('tombstone_exact');
      await ctx.store.appendToStream(stream, testEvents());
      expect(describeError(await rejectionOf(ctx.store.tombstoneStream(stream, { expectedRevision: 2n })))).toMatchObject({
        name: 'WrongExpectedVersionError',
        expectedVersion: '2',
      });
      await ctx.store.tombstoneStream(stream, { expectedRevision: 3n });
      expect(describeError(await rejectionOf(collect(ctx.store.readStream(stream))))).toMatchObject({ name: 'StreamDeletedError' });
    });

    test('no_stream fails on an existing stream and succeeds on a missing one', async () => {
      const existing = ctx.stream('tombstone_existing');
      await ctx.store.appendToStream(existing, testEvents());
      expect(describeError(await rejectionOf(ctx.store.tombstoneStream(existing, { expectedRevision: 'no_stream' })))).toMatchObject({
        name: 'WrongExpectedVersionError',
      });
      const missing = ctx.stream('tombstone_missing');
      await ctx.store.tombstoneStream(missing, { expectedRevision: 'no_stream' });
      expect(describeError(await rejectionOf(collect(ctx.store.readStream(missing))))).toMatchObject({ name: 'StreamDeletedError' });
    });

    test('a soft-deleted stream can still be tombstoned', async () => {
      const stream = ctx.stream('soft_then_hard');
      await ctx.store.appendToStream(stream, testEvents(2));
      await ctx.store.deleteStream(stream);
      await ctx.store.tombstoneStream(stream);
      expect(describeError(await rejectionOf(collect(ctx.store.readStream(stream))))).toMatchObject({ name: 'StreamDeletedError' });
    });
  });

  describe('stream metadata', () => {
    test('is empty for a stream without any, with or without events', async () => {
      const missing = ctx.stream('meta_none');
      expect(await ctx.store.getStreamMetadata(missing)).toEqual({ streamName: missing, metadata: {} });
      const stream = ctx.stream('meta_events');
      await ctx.store.appendToStream(stream, testEvents());
      expect((await ctx.store.getStreamMetadata(stream)).metadata).toEqual({});
    });

    test.each<[string, StreamMetadata]>([
      ['partial', { maxAge: 2 }],
      ['all keys', { maxAge: 2, truncateBefore: 1n, maxCount: 12 }],
      ['custom keys', { maxCount: 12, custom: { turkey: '🦃', nested: { a: [1, 2] } } }],
    ])('round-trips %s', async (_, metadata) => {
      const stream = ctx.stream('meta_roundtrip');
      await ctx.store.setStreamMetadata(stream, metadata);
      const result = await ctx.store.getStreamMetadata(stream);
      expect(result.streamName).toBe(stream);
      expect(result.metadata).toEqual(metadata);
    });

    test('a second write replaces the first; the metastream revision counts writes', async () => {
      const stream = ctx.stream('meta_twice');
      await ctx.store.setStreamMetadata(stream, { maxCount: 12, custom: { turkey: '🦃' } });
      const second = await ctx.store.setStreamMetadata(stream, { maxCount: 11, custom: { turkey: '🍗' } }, { expectedRevision: 0n });
      expect(second.nextExpectedRevision).toBe(1n);
      const result = await ctx.store.getStreamMetadata(stream);
      expect(result.metadata).toEqual({ maxCount: 11, custom: { turkey: '🍗' } });
      expect(result.metastreamRevision).toBe(1n);
    });

    test('a metadata write with a stale metastream revision conflicts', async () => {
      const stream = ctx.stream('meta_conflict');
      await ctx.store.setStreamMetadata(stream, { maxCount: 1 });
      expect(describeError(await rejectionOf(ctx.store.setStreamMetadata(stream, { maxCount: 2 }, { expectedRevision: 'no_stream' })))).toMatchObject({
        name: 'WrongExpectedVersionError',
        actualVersion: '0',
      });
    });

    test('$maxCount keeps the last events only', async () => {
      const stream = ctx.stream('max_count');
      await ctx.store.setStreamMetadata(stream, { maxCount: 2 });
      await ctx.store.appendToStream(stream, testEvents(20));
      expect(revisions(await collect(ctx.store.readStream(stream, { fromRevision: 'start', maxCount: 200 })))).toEqual([18, 19]);
      expect(revisions(await collect(ctx.store.readStream(stream, { direction: 'backwards' })))).toEqual([19, 18]);
    });

    test('$tb hides the events before it', async () => {
      const stream = ctx.stream('truncate_before');
      await ctx.store.appendToStream(stream, testEvents(8));
      await ctx.store.setStreamMetadata(stream, { truncateBefore: 5n });
      expect(revisions(await collect(ctx.store.readStream(stream)))).toEqual([5, 6, 7]);
      expect(revisions(await collect(ctx.store.readStream(stream, { direction: 'backwards' })))).toEqual([7, 6, 5]);
      expect(revisions(await collect(ctx.store.readStream(stream, { fromRevision: 6n })))).toEqual([6, 7]);
    });

    test('$tb past the last event reads as an empty stream, not a missing one', async () => {
      const stream = ctx.stream('truncate_all');
      await ctx.store.appendToStream(stream, testEvents(2));
      await ctx.store.setStreamMetadata(stream, { truncateBefore: 2n });
      expect(await collect(ctx.store.readStream(stream))).toEqual([]);
    });

    test('$maxAge hides events older than it', async () => {
      const stream = ctx.stream('max_age');
      await ctx.store.appendToStream(stream, testEvents(3));
      await ctx.store.setStreamMetadata(stream, { maxAge: 1 });
      await waitFor(async () => (await collect(ctx.store.readStream(stream))).length === 0, { timeoutMs: 10_000, description: 'events past $maxAge to disappear' });
      await ctx.store.appendToStream(stream, testEvents(1));
      expect(revisions(await collect(ctx.store.readStream(stream)))).toEqual([3]);
    });
  });
}
