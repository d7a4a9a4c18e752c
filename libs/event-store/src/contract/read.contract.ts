// readStream and readAll. Ported from the client's readStream.test.ts and readAll.test.ts.
import { waitFor } from '@crm/testing';
import { comparePositions, type Position, type RecordedEvent } from '../types';
import { ALL_VISIBLE_TIMEOUT_MS, collect, describeError, positionText, rejectionOf, testEvents, type ContractContext } from './helpers';

export function readCases(ctx: ContractContext): void {
  describe('readStream', () => {
    let stream: string;
    let lastPosition: Position;

    beforeAll(async () => {
      stream = ctx.stream('read');
      await ctx.store.appendToStream(stream, testEvents(4, 'json-test'));
      lastPosition = (await ctx.store.appendToStream(stream, testEvents(4, 'other-test'))).position;
      await ctx.store.appendToStream(ctx.stream('out_of_stream'), testEvents(5, 'out-of-stream-test'));
    });

    const revisions = (events: RecordedEvent[]) => events.map((e) => Number(e.revision));

    test('from start', async () => {
      expect(revisions(await collect(ctx.store.readStream(stream)))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    });

    test('from a revision, inclusive', async () => {
      const events = await collect(ctx.store.readStream(stream, { fromRevision: 1n }));
      expect(revisions(events)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(events[0]).toMatchObject({ type: 'json-test', data: { index: 1, message: 'test' } });
    });

    test('backwards from end', async () => {
      expect(revisions(await collect(ctx.store.readStream(stream, { direction: 'backwards', fromRevision: 'end' })))).toEqual([7, 6, 5, 4, 3, 2, 1, 0]);
    });

    test('backwards from a revision, inclusive', async () => {
      expect(revisions(await collect(ctx.store.readStream(stream, { direction: 'backwards', fromRevision: 1n })))).toEqual([1, 0]);
    });

    test('maxCount, forwards and backwards', async () => {
      expect(revisions(await collect(ctx.store.readStream(stream, { maxCount: 2 })))).toEqual([0, 1]);
      expect(revisions(await collect(ctx.store.readStream(stream, { maxCount: 3n, direction: 'backwards' })))).toEqual([7, 6, 5]);
    });

    test('forwards from end reads nothing', async () => {
      expect(await collect(ctx.store.readStream(stream, { fromRevision: 'end' }))).toEqual([]);
    });

    test('the last event carries the position the append returned', async () => {
      const [last] = await collect(ctx.store.readStream(stream, { direction: 'backwards', maxCount: 1 }));
      expect(last && positionText(last.position)).toBe(positionText(lastPosition));
    });

    test('a missing stream throws StreamNotFoundError', async () => {
      const missing = ctx.stream('missing');
      const error = await rejectionOf(collect(ctx.store.readStream(missing)));
      expect(describeError(error)).toEqual({ name: 'StreamNotFoundError', streamName: missing });
    });

    test('a long stream reads in order, page after page, both ways', async () => {
      const long = ctx.stream('long');
      for (let i = 0; i < 5; i++) await ctx.store.appendToStream(long, testEvents(500));
      const forwards = revisions(await collect(ctx.store.readStream(long)));
      expect(forwards).toEqual(Array.from({ length: 2500 }, (_, i) => i));
      const backwards = revisions(await collect(ctx.store.readStream(long, { direction: 'backwards', fromRevision: 1800n, maxCount: 1500 })));
      expect(backwards).toEqual(Array.from({ length: 1500 }, (_, i) => 1800 - i));
    });
  });

  describe('readAll', () => {
    let a: string;
    let b: string;
    let marker: Position;
    const ours = (events: RecordedEvent[]) => events.filter((e) => e.streamId === a || e.streamId === b).map((e) => `${e.streamId === a ? 'a' : 'b'}${e.revision}`);

    beforeAll(async () => {
      a = ctx.stream('all_a');
      b = ctx.stream('all_b');
      marker = (await ctx.store.appendToStream(ctx.stream('all_marker'), testEvents(1))).position;
      await ctx.store.appendToStream(a, testEvents(4));
      await ctx.store.appendToStream(b, testEvents(4));
    });

    // A PostgreSQL reader sees a commit once every older transaction in the cluster has ended.
    const readAllOurs = async (read: () => AsyncIterable<RecordedEvent>) => {
      let events: string[] = [];
      await waitFor(async () => (events = ours(await collect(read()))).length === 8, { timeoutMs: ALL_VISIBLE_TIMEOUT_MS, description: 'our 8 events in $all' });
      return events;
    };

    test('from start, in order', async () => {
      expect(await readAllOurs(() => ctx.store.readAll())).toEqual(['a0', 'a1', 'a2', 'a3', 'b0', 'b1', 'b2', 'b3']);
    });

    test('from a position, which is included', async () => {
      const [first] = await collect(ctx.store.readAll({ fromPosition: marker, maxCount: 1 }));
      expect(first && positionText(first.position)).toBe(positionText(marker));
      const [a2] = await collect(ctx.store.readStream(a, { fromRevision: 2n, maxCount: 1 }));
      const [again] = a2 ? await collect(ctx.store.readAll({ fromPosition: a2.position, maxCount: 1 })) : [];
      expect(again?.id).toBe(a2?.id);
    });

    test('backwards from end', async () => {
      expect(await readAllOurs(() => ctx.store.readAll({ direction: 'backwards', fromPosition: 'end' }))).toEqual([
        'b3', 'b2', 'b1', 'b0', 'a3', 'a2', 'a1', 'a0',
      ]);
    });

    test('maxCount', async () => {
      expect(await collect(ctx.store.readAll({ maxCount: 2 }))).toHaveLength(2);
    });

    test('positions strictly increase forwards', async () => {
      const events = await collect(ctx.store.readAll({ fromPosition: marker }));
      for (let i = 1; i < events.length; i++) {
        const [previous, current] = [events[i - 1], events[i]];
        if (previous && current) expect(comparePositions(previous.position, current.position)).toBeLessThan(0);
      }
    });
  });
}
