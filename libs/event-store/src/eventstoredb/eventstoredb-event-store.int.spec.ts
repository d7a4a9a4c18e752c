// The event store contract on EventStoreDB / KurrentDB: runs when EVENTSTORE_CONNECTION_STRING is set (the jest
// global setup sets it with CRM_TEST_INFRA=containers); otherwise every case is reported as skipped, with why.
import { describeEventStoreContract } from '../contract/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

const connectionString = process.env['EVENTSTORE_CONNECTION_STRING'];

const contract = () =>
  describeEventStoreContract('EventStoreDB', async () => {
    const store = new EventStoreDbEventStore(connectionString ?? 'esdb://localhost:2113?tls=false');
    return { store, teardown: () => store.close() };
  });

if (connectionString) {
  contract();
} else {
  const reason = 'EventStoreDB contract suite skipped: EVENTSTORE_CONNECTION_STRING not set and no Docker (CRM_TEST_INFRA=containers)';
  console.warn(reason);
  describe.skip(reason, contract);
}
