// Group commit's batching rules, with a writer that answers when told to.
import { GroupCommitter, type AppendWriter, type PendingAppend } from './group-commit';
import type { StatusRow } from './queries';

const ok = (append: PendingAppend): StatusRow => ({ status: 'ok', revision: append.expected.toString(), commit_position: '1', prepare_position: '1' });
const append = (stream: string, expected = -2n): PendingAppend => ({ stream, expected, events: '[]' });

/** A writer whose statements stay open until released, recording what each statement held. */
class HeldWriter implements AppendWriter {
  readonly statements: string[][] = [];
  private releases: Array<() => void> = [];
  failMany = false;
  failOne = new Set<string>();

  one(a: PendingAppend): Promise<StatusRow> {
    this.statements.push([a.stream]);
    return this.hold(() => {
      if (this.failOne.has(a.stream)) throw new Error(`cannot write ${a.stream}`);
      return ok(a);
    });
  }

  many(appends: readonly PendingAppend[]): Promise<readonly StatusRow[]> {
    this.statements.push(appends.map((a) => a.stream));
    return this.hold(() => {
      if (this.failMany) throw new Error('deadlock detected');
      return appends.map(ok);
    });
  }

  releaseAll(): void {
    const releases = this.releases;
    this.releases = [];
    releases.forEach((release) => release());
  }

  private hold<T>(answer: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      this.releases.push(() => {
        try {
          resolve(answer());
        } catch (error) {
          reject(error);
        }
      }),
    );
  }
}

/** Releases statements until every promise has settled. */
async function settle<T>(writer: HeldWriter, promises: Array<Promise<T>>): Promise<Array<PromiseSettledResult<T>>> {
  let done = false;
  const all = Promise.allSettled(promises).finally(() => (done = true));
  while (!done) {
    writer.releaseAll();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return all;
}

describe('GroupCommitter', () => {
  it('writes an append at once, alone, when nothing is in flight', async () => {
    const writer = new HeldWriter();
    const committer = new GroupCommitter(writer, { maxInFlight: 1 });
    const first = committer.submit(append('a'));
    expect(writer.statements).toEqual([['a']]);
    await settle(writer, [first]);
  });

  it('gathers the appends that arrive while a statement is in flight into the next one, streams in lock order', async () => {
    const writer = new HeldWriter();
    const committer = new GroupCommitter(writer, { maxInFlight: 1 });
    const submitted = [committer.submit(append('c')), committer.submit(append('b', 3n)), committer.submit(append('a')), committer.submit(append('b', 4n))];
    const results = await settle(writer, submitted);
    expect(writer.statements).toEqual([['c'], ['a', 'b', 'b']]);
    // Each caller gets its own row, though the statement ran them in another order.
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.revision : 'failed'))).toEqual(['-2', '3', '-2', '4']);
  });

  it('caps the batch size and the statements in flight', async () => {
    const writer = new HeldWriter();
    const committer = new GroupCommitter(writer, { maxInFlight: 2, maxBatch: 3 });
    const submitted = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((stream) => committer.submit(append(stream)));
    expect(writer.statements).toEqual([['a'], ['b']]);
    await settle(writer, submitted);
    expect(writer.statements.map((s) => s.length)).toEqual([1, 1, 3, 2]);
  });

  it('writes every append of a failed batch on its own, so each gets its own outcome', async () => {
    const writer = new HeldWriter();
    writer.failMany = true;
    writer.failOne.add('bad');
    const committer = new GroupCommitter(writer, { maxInFlight: 1 });
    const submitted = ['first', 'good', 'bad', 'fine'].map((stream) => committer.submit(append(stream)));
    const results = await settle(writer, submitted);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(writer.statements).toEqual([['first'], ['bad', 'fine', 'good'], ['good'], ['bad'], ['fine']]);
  });

  it('refuses nonsense limits', () => {
    expect(() => new GroupCommitter(new HeldWriter(), { maxInFlight: 0 })).toThrow(RangeError);
    expect(() => new GroupCommitter(new HeldWriter(), { maxBatch: 1.5 })).toThrow(RangeError);
  });
});
