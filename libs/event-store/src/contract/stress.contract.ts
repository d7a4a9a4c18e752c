// Many writers, several $all subscribers: each subscriber sees every event exactly once, in readAll order.
import { randomUUID } from 'node:crypto';
import { collect, Recorder, testEvents, type ContractContext } from './helpers';

const DEFAULT_STRESS = { writers: 8, appendsPerWriter: 2000, subscribers: 3 };

/** Index of the first difference between two lists, or -1: a failure names one position, not 16,000 lines. */
function firstDifference(actual: string[], expected: string[]): number {
  const length = Math.max(actual.length, expected.length);
  for (let i = 0; i < length; i++) if (actual[i] !== expected[i]) return i;
  return -1;
}

export function stressCases(ctx: ContractContext): void {
  const { writers, appendsPerWriter, subscribers } = ctx.options.stress ?? DEFAULT_STRESS;

  test(`${writers} writers × ${appendsPerWriter} appends on random streams while ${subscribers} $all subscribers run`, async () => {
    const prefix = `${ctx.stream('stress')}-`;
    const { position } = await ctx.store.appendToStream(`${prefix}marker`, testEvents(1));
    const recorders = Array.from({ length: subscribers }, () =>
      new Recorder().start((h) => ctx.store.subscribeToAll(h, { fromPosition: position, filter: { streamNamePrefixes: [prefix] } })),
    );
    await Promise.all(recorders.map((r) => r.waitForCaughtUp()));

    const streams = Array.from({ length: 100 }, (_, i) => `${prefix}customer-${i}`);
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let i = 0; i < appendsPerWriter; i++) {
          const stream = streams[Math.floor(Math.random() * streams.length)] ?? `${prefix}customer`;
          await ctx.store.appendToStream(stream, { id: randomUUID(), type: 'stress', data: { writer, i } });
        }
      }),
    );
    const total = writers * appendsPerWriter;
    await Promise.all(recorders.map((r) => r.waitForEvents(total, 90_000)));
    await Promise.all(recorders.map((r) => r.stop()));

    const expected = (await collect(ctx.store.readAll({ fromPosition: position })))
      .filter((e) => e.streamId.startsWith(prefix) && e.type === 'stress')
      .map((e) => e.id);
    expect(expected).toHaveLength(total);
    expect(new Set(expected).size).toBe(total);
    for (const recorder of recorders) {
      const seen = recorder.events.map((e) => e.id);
      expect(seen).toHaveLength(total);
      expect(firstDifference(seen, expected)).toBe(-1);
    }
  }, 180_000);
}
