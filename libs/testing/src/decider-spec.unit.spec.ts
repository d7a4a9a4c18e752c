import { AssertionError } from 'node:assert';
import { DeciderSpecification } from './decider-spec';

// A counter that cannot go below zero: the smallest decider with a rule.
type CounterEvent = { type: 'Incremented'; data: { by: number } } | { type: 'Decremented'; data: { by: number } };
type CounterCommand = { type: 'Increment'; data: { by: number } } | { type: 'Decrement'; data: { by: number } };
class BelowZero extends Error {
  constructor(readonly wouldBe: number) {
    super(`would be ${wouldBe}`);
  }
}

const counter = {
  initialState: () => 0,
  evolve: (n: number, e: CounterEvent) => (e.type === 'Incremented' ? n + e.data.by : n - e.data.by),
  decide(c: CounterCommand, n: number): CounterEvent[] {
    if (c.data.by === 0) return [];
    if (c.type === 'Increment') return [{ type: 'Incremented', data: { by: c.data.by } }];
    if (n - c.data.by < 0) throw new BelowZero(n - c.data.by);
    return [{ type: 'Decremented', data: { by: c.data.by } }];
  },
};

const spec = DeciderSpecification.for(counter);

describe('DeciderSpecification', () => {
  it('passes when the decided events are the expected ones', () => {
    spec.given([{ type: 'Incremented', data: { by: 2 } }]).when({ type: 'Decrement', data: { by: 1 } }).then([{ type: 'Decremented', data: { by: 1 } }]);
    spec.when({ type: 'Increment', data: { by: 3 } }).then({ type: 'Incremented', data: { by: 3 } });
  });

  it('fails with a diff when they differ', () => {
    expect(() => spec.when({ type: 'Increment', data: { by: 3 } }).then([{ type: 'Incremented', data: { by: 4 } }])).toThrow(AssertionError);
  });

  it('checks that nothing happened, and the state after', () => {
    spec.given({ type: 'Incremented', data: { by: 2 } }).when({ type: 'Increment', data: { by: 0 } }).thenNothingHappened();
    spec.given({ type: 'Incremented', data: { by: 2 } }).when({ type: 'Increment', data: { by: 5 } }).thenState(7);
    expect(() => spec.when({ type: 'Increment', data: { by: 1 } }).thenNothingHappened()).toThrow(AssertionError);
  });

  it('checks a rejection by class, by class and predicate, or by predicate', () => {
    const when = spec.given([{ type: 'Incremented', data: { by: 1 } }]).when({ type: 'Decrement', data: { by: 3 } });
    when.thenThrows(BelowZero);
    when.thenThrows(BelowZero, (e) => e.wouldBe === -2);
    when.thenThrows((e) => e instanceof Error && e.message === 'would be -2');
    expect(() => when.thenThrows(TypeError)).toThrow('Expected a TypeError');
    expect(() => when.thenThrows(BelowZero, (e) => e.wouldBe === 0)).toThrow('did not match the check');
    expect(() => when.thenThrows(() => false)).toThrow('did not match the check');
  });

  it('fails thenThrows when the command is accepted', () => {
    expect(() => spec.when({ type: 'Increment', data: { by: 1 } }).thenThrows(BelowZero)).toThrow('Expected the command to be rejected');
  });

  it('says so when a specification is awaited', async () => {
    await expect(Promise.resolve().then(() => spec.when({ type: 'Increment', data: { by: 1 } }))).rejects.toThrow('synchronous');
  });
});
