// A stream's history pages: who and why from the metadata, paging by revision, null for a missing stream.
import { StreamNotFoundError } from '../errors';
import type { EventStore, ReadStreamOptions, RecordedEvent } from '../types';
import { readStreamHistory } from './stream-history';

function recorded(revision: number, metadata: RecordedEvent['metadata'] = {}): RecordedEvent {
  return {
    id: `00000000-0000-4000-8000-00000000000${revision}`,
    type: 'NoteTaken',
    data: { n: revision },
    metadata,
    streamId: 'note-1',
    revision: BigInt(revision),
    position: { commit: 1n, prepare: BigInt(revision) },
    created: new Date(Date.UTC(2030, 0, 1, 0, 0, revision)),
  };
}

/** A store that holds one stream, note-1; only readStream is used. */
function storeWith(events: RecordedEvent[]): EventStore {
  return {
    async *readStream(stream: string, { fromRevision = 0n, maxCount = Infinity }: ReadStreamOptions = {}) {
      if (stream !== 'note-1') throw new StreamNotFoundError(stream);
      const from = typeof fromRevision === 'bigint' ? fromRevision : 0n;
      yield* events.filter((e) => e.revision >= from).slice(0, Number(maxCount));
    },
  } as unknown as EventStore;
}

const events = [
  recorded(0, { actor: 'op:1', correlationId: 'c-1', causationId: 'k-1', commandId: 'k-1', time: '2030-01-01T00:00:00.000Z', other: 'x' }),
  recorded(1, { actor: 7 }),
  recorded(2),
];

describe('readStreamHistory', () => {
  it('gives each event with the string metadata that says who and why, and no next page after the last', async () => {
    const page = await readStreamHistory(storeWith(events), 'note-1');
    expect(page?.nextFromRevision).toBeNull();
    expect(page?.events[0]).toEqual({
      eventId: events[0]!.id,
      revision: 0,
      type: 'NoteTaken',
      at: '2030-01-01T00:00:00.000Z',
      acceptedAt: '2030-01-01T00:00:00.000Z',
      actor: 'op:1',
      correlationId: 'c-1',
      causationId: 'k-1',
      commandId: 'k-1',
      data: { n: 0 },
    });
    expect(page?.events[1]).toEqual({ eventId: events[1]!.id, revision: 1, type: 'NoteTaken', at: '2030-01-01T00:00:01.000Z', data: { n: 1 } });
  });

  it('pages by revision: a full page points at the next one', async () => {
    const store = storeWith(events);
    expect(await readStreamHistory(store, 'note-1', { limit: 2 })).toMatchObject({ events: [{ revision: 0 }, { revision: 1 }], nextFromRevision: 2 });
    expect(await readStreamHistory(store, 'note-1', { fromRevision: 2, limit: 2 })).toMatchObject({ events: [{ revision: 2 }], nextFromRevision: null });
  });

  it('answers null for a stream that does not exist, and lets other failures through', async () => {
    expect(await readStreamHistory(storeWith(events), 'note-2')).toBeNull();
    const broken = { readStream: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('connection lost')) }) }) } as unknown as EventStore;
    await expect(readStreamHistory(broken, 'note-1')).rejects.toThrow('connection lost');
  });
});
