// The contract every EventStore adapter meets, with EventStoreDB's semantics. Run it from an adapter's
// *.int.spec.ts: describeEventStoreContract('PostgreSQL', async () => ({ store, teardown })).
// Tests name their streams uniquely, so the store may be shared (EventStoreDB is).
import type { EventStore } from '../types';
import { appendCases } from './append.contract';
import { deleteCases } from './delete.contract';
import { uniqueName, type ContractContext, type ContractOptions, type EventStoreFactory, type EventStoreUnderTest } from './helpers';
import { readCases } from './read.contract';
import { stressCases } from './stress.contract';
import { subscribeCases } from './subscribe.contract';

export type { ContractOptions, EventStoreFactory, EventStoreUnderTest } from './helpers';

export function describeEventStoreContract(name: string, factory: EventStoreFactory, options: ContractOptions = {}): void {
  describe(`EventStore contract: ${name}`, () => {
    let underTest: EventStoreUnderTest | undefined;
    const ctx: ContractContext = {
      get store(): EventStore {
        if (!underTest) throw new Error('The store under test is not ready');
        return underTest.store;
      },
      options,
      stream: (label) => uniqueName(label),
    };

    beforeAll(async () => {
      underTest = await factory();
    });
    afterAll(async () => {
      await underTest?.teardown();
    });

    appendCases(ctx);
    readCases(ctx);
    deleteCases(ctx);
    subscribeCases(ctx);
    describe('stress', () => stressCases(ctx));
  });
}
