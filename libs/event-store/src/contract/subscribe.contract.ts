// Catch-up subscriptions. Ported from the client's subscribeToStream.test.ts, subscribeToAll.test.ts and
// subscribeToAll-filters.test.ts, plus back-pressure, unsubscribing and checkpoints past unmatched events.
import { randomUUID } from 'node:crypto';
import { waitFor } from '@crm/testing';
import { comparePositions, type EventData, type RecordedEvent } from '../types';
import { ALL_VISIBLE_TIMEOUT_MS, Recorder, finishEvent, testEvents, type ContractContext } from './helpers';

const revisions = (events: RecordedEvent[]) => events.map((e) => Number(e.revision));

export function subscribeCases(ctx: ContractContext): void {
  describe('subscribeToStream', () => {
    test('from start: the stream so far, caught up, then live', async () => {
      const stream = ctx.stream('sub_start');
      await ctx.store.appendToStream(stream, testEvents(4));
      const recorder = new Recorder().start((h) => ctx.store.subscribeToStream(stream, h));
      await recorder.waitForCaughtUp();
      await ctx.store.appendToStream(stream, [...testEvents(3), finishEvent()]);
      await recorder.waitForEvents(8);
      await recorder.stop();
      expect(recorder.beforeCaughtUp).toBe(4);
      expect(recorder.caughtUp).toBe(1);
      expect(revisions(recorder.events)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(recorder.types().at(-1)).toBe('finish-test');
    });

    test('from end: only what comes after', async () => {
      const stream = ctx.stream('sub_end');
      await ctx.store.appendToStream(stream, testEvents(4));
      const recorder = new Recorder().start((h) => ctx.store.subscribeToStream(stream, h, { fromRevision: 'end' }));
      await recorder.waitForCaughtUp();
      await ctx.store.appendToStream(stream, [...testEvents(3), finishEvent()]);
      await recorder.waitForEvents(4);
      await recorder.stop();
      expect(recorder.beforeCaughtUp).toBe(0);
      expect(revisions(recorder.events)).toEqual([4, 5, 6, 7]);
    });

    test('from a revision, which is excluded', async () => {
      const stream = ctx.stream('sub_revision');
      await ctx.store.appendToStream(stream, testEvents(4));
      const recorder = new Recorder().start((h) => ctx.store.subscribeToStream(stream, h, { fromRevision: 2n }));
      await recorder.waitForCaughtUp();
      await ctx.store.appendToStream(stream, [...testEvents(3), finishEvent()]);
      await recorder.waitForEvents(5);
      await recorder.stop();
      expect(recorder.beforeCaughtUp).toBe(1);
      expect(revisions(recorder.events)).toEqual([3, 4, 5, 6, 7]);
    });

    test('a stream that does not exist yet', async () => {
      const stream = ctx.stream('sub_later');
      const recorder = new Recorder().start((h) => ctx.store.subscribeToStream(stream, h));
      await recorder.waitForCaughtUp();
      await ctx.store.appendToStream(stream, testEvents(2));
      await recorder.waitForEvents(2);
      await recorder.stop();
      expect(revisions(recorder.events)).toEqual([0, 1]);
    });

    test('awaits each handler before the next event (back-pressure)', async () => {
      const stream = ctx.stream('sub_backpressure');
      await ctx.store.appendToStream(stream, testEvents(20));
      let running = 0;
      let maxRunning = 0;
      const recorder = new Recorder({
        onEvent: async () => {
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          await new Promise((resolve) => setImmediate(resolve));
          running -= 1;
        },
      }).start((h) => ctx.store.subscribeToStream(stream, h));
      await recorder.waitForEvents(20);
      await recorder.stop();
      expect(maxRunning).toBe(1);
      expect(revisions(recorder.events)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    });

    test('unsubscribing from inside a handler stops delivery and ends the subscription', async () => {
      const stream = ctx.stream('sub_unsubscribe');
      await ctx.store.appendToStream(stream, [...testEvents(3), finishEvent(), ...testEvents(3)]);
      const recorder: Recorder = new Recorder({
        onEvent: async (event) => {
          if (event.type === 'finish-test') await recorder.stop();
        },
      }).start((h) => ctx.store.subscribeToStream(stream, h));
      await recorder.subscription?.done;
      expect(recorder.types()).toEqual(['test', 'test', 'test', 'finish-test']);
    });

    test('a failing handler ends the subscription through onError', async () => {
      const stream = ctx.stream('sub_failing');
      await ctx.store.appendToStream(stream, testEvents(3));
      const recorder = new Recorder({
        onEvent: (event) => {
          if (event.revision === 1n) throw new Error('projection failed');
        },
      }).start((h) => ctx.store.subscribeToStream(stream, h));
      await recorder.subscription?.done;
      expect(recorder.events).toHaveLength(2);
      expect(recorder.errors.map((e) => (e instanceof Error ? e.message : String(e)))).toEqual(['projection failed']);
    });
  });

  describe('subscribeToAll', () => {
    const prefixed = () => `${ctx.stream('all')}-`;

    test('from start: everything so far, caught up once, then live', async () => {
      const prefix = prefixed();
      await ctx.store.appendToStream(`${prefix}a`, testEvents(4));
      await ctx.store.appendToStream(`${prefix}b`, testEvents(4));
      const recorder = new Recorder().start((h) => ctx.store.subscribeToAll(h, { filter: { streamNamePrefixes: [prefix] } }));
      await recorder.waitForCaughtUp();
      await ctx.store.appendToStream(`${prefix}a`, [...testEvents(3), finishEvent()]);
      await recorder.waitForEvents(12);
      await recorder.stop();
      expect(recorder.caughtUp).toBe(1);
      expect(recorder.events.map((e) => `${e.streamId.slice(prefix.length)}${e.revision}`)).toEqual([
        'a0', 'a1', 'a2', 'a3', 'b0', 'b1', 'b2', 'b3', 'a4', 'a5', 'a6', 'a7',
      ]);
    });

    test('from end: only what comes after', async () => {
      const prefix = prefixed();
      await ctx.store.appendToStream(`${prefix}a`, testEvents(4));
      const recorder = new Recorder({ accept: (e) => e.streamId.startsWith(prefix) }).start((h) => ctx.store.subscribeToAll(h, { fromPosition: 'end' }));
      await recorder.waitForCaughtUp();
      await ctx.store.appendToStream(`${prefix}a`, [...testEvents(3), finishEvent()]);
      await recorder.waitForEvents(4);
      await recorder.stop();
      expect(revisions(recorder.events)).toEqual([4, 5, 6, 7]);
    });

    test('from a position, which is excluded', async () => {
      const prefix = prefixed();
      const { position } = await ctx.store.appendToStream(`${prefix}marker`, { id: randomUUID(), type: 'marker_event', data: {} });
      await ctx.store.appendToStream(`${prefix}a`, testEvents(3));
      const recorder = new Recorder().start((h) => ctx.store.subscribeToAll(h, { fromPosition: position, filter: { streamNamePrefixes: [prefix] } }));
      await recorder.waitForCaughtUp();
      await ctx.store.appendToStream(`${prefix}a`, [...testEvents(3), finishEvent()]);
      await recorder.waitForEvents(7);
      await recorder.stop();
      expect(recorder.beforeCaughtUp).toBe(3);
      expect(recorder.types()).not.toContain('marker_event');
      expect(revisions(recorder.events)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    });

    test('filters on stream-name prefixes', async () => {
      const prefix = prefixed();
      const other = prefixed();
      await ctx.store.appendToStream(`${prefix}a`, testEvents(8));
      await ctx.store.appendToStream(`${other}b`, testEvents(8));
      await ctx.store.appendToStream(`${prefix}c`, [...testEvents(8), finishEvent()]);
      const recorder = new Recorder().start((h) => ctx.store.subscribeToAll(h, { filter: { streamNamePrefixes: [prefix] } }));
      await waitFor(() => recorder.types().includes('finish-test'), { timeoutMs: ALL_VISIBLE_TIMEOUT_MS, description: 'the finish event' });
      await recorder.stop();
      expect(recorder.events).toHaveLength(17);
      expect(recorder.events.every((e) => e.streamId.startsWith(prefix))).toBe(true);
    });

    test('filters on event types', async () => {
      const prefix = prefixed();
      const type = (k: string) => `${prefix}type_${k}`;
      await ctx.store.appendToStream(`${prefix}a`, testEvents(8, type('a')));
      await ctx.store.appendToStream(`${prefix}b`, testEvents(8, type('b')));
      await ctx.store.appendToStream(`${prefix}a`, [...testEvents(8, type('c')), finishEvent(type('finish'))]);
      const recorder = new Recorder().start((h) => ctx.store.subscribeToAll(h, { filter: { eventTypes: [type('a'), type('c'), type('finish')] } }));
      await waitFor(() => recorder.types().includes(type('finish')), { timeoutMs: ALL_VISIBLE_TIMEOUT_MS, description: 'the finish event' });
      await recorder.stop();
      expect(recorder.types()).toEqual([...Array(8).fill(type('a')), ...Array(8).fill(type('c')), type('finish')]);
    });

    test('filters on prefixes and types together', async () => {
      const prefix = prefixed();
      await ctx.store.appendToStream(`${prefix}a`, [...testEvents(2, 'wanted'), ...testEvents(2, 'unwanted')]);
      await ctx.store.appendToStream(`${prefixed()}b`, testEvents(2, 'wanted'));
      await ctx.store.appendToStream(`${prefix}a`, finishEvent('wanted'));
      const recorder = new Recorder().start((h) => ctx.store.subscribeToAll(h, { filter: { streamNamePrefixes: [prefix], eventTypes: ['wanted'] } }));
      await recorder.waitForEvents(3);
      await recorder.waitForCaughtUp();
      await recorder.stop();
      expect(recorder.events.map((e) => `${e.streamId.slice(prefix.length)}${e.revision}`)).toEqual(['a0', 'a1', 'a4']);
    });

    test('checkpoints move past events the filter skips, in order', async () => {
      const prefix = prefixed();
      const { position } = await ctx.store.appendToStream(`${prefix}marker`, { id: randomUUID(), type: 'marker_event', data: {} });
      const recorder = new Recorder().start((h) =>
        ctx.store.subscribeToAll(h, { fromPosition: position, filter: { streamNamePrefixes: [`${prefix}nothing`] }, checkpointInterval: 32 }),
      );
      for (let i = 0; i < 10; i++) await ctx.store.appendToStream(`${prefix}a`, testEvents(20));
      const halfway = (await ctx.store.appendToStream(`${prefix}a`, testEvents(1))).position;
      await ctx.store.appendToStream(`${prefix}a`, testEvents(100));
      await waitFor(() => recorder.checkpoints.some((c) => comparePositions(c, halfway) >= 0), { timeoutMs: ALL_VISIBLE_TIMEOUT_MS, description: 'a checkpoint past the skipped events' });
      await recorder.stop();
      expect(recorder.events).toEqual([]);
      expect(recorder.checkpoints.length).toBeGreaterThanOrEqual(6);
      for (let i = 1; i < recorder.checkpoints.length; i++) {
        const [previous, current] = [recorder.checkpoints[i - 1], recorder.checkpoints[i]];
        if (previous && current) expect(comparePositions(previous, current)).toBeLessThan(0);
      }
    });

    test('unsubscribe stops delivery and resolves done', async () => {
      const prefix = prefixed();
      const recorder = new Recorder().start((h) => ctx.store.subscribeToAll(h, { fromPosition: 'end', filter: { streamNamePrefixes: [prefix] } }));
      await recorder.waitForCaughtUp();
      await recorder.stop();
      await recorder.subscription?.done;
      const events: EventData[] = testEvents(2);
      await ctx.store.appendToStream(`${prefix}a`, events);
      const witness = new Recorder().start((h) => ctx.store.subscribeToAll(h, { filter: { streamNamePrefixes: [prefix] } }));
      await witness.waitForEvents(2);
      await witness.stop();
      expect(recorder.events).toEqual([]);
    });
  });
}
