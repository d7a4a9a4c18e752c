// A contract's topic as created here, and the mapper that publishes only valid events of that topic's contracts.
import { contractOf, customersTopic, salesTopic } from '@crm/contracts';
import type { RecordedEvent } from '@crm/event-store';
import { ContractViolationError, contractMapper, topicSpecOf } from './contract-publishing';

const recorded = (type: string, data: unknown, streamId = 'lead-c3a1e4b2-6d5f-4e7a-8b9c-0d1e2f3a4b5c'): RecordedEvent =>
  ({ id: 'e-1', streamId, revision: 4n, type, data, metadata: {}, created: new Date(), position: { commit: 1n, prepare: 1n } }) as unknown as RecordedEvent;

describe('topicSpecOf', () => {
  it('prefixes the contract topic and caps min.insync.replicas at the replication factor', () => {
    expect(topicSpecOf(salesTopic, { prefix: 'test-1.', replicationFactor: 1 })).toEqual({
      name: 'test-1.crm.sales.v1',
      partitions: salesTopic.partitions,
      replicationFactor: 1,
      config: { 'cleanup.policy': 'delete', 'retention.ms': String(salesTopic.retentionMs), 'min.insync.replicas': '1' },
    });
    expect(topicSpecOf(salesTopic, { replicationFactor: 3 })).toMatchObject({ name: 'crm.sales.v1', config: { 'min.insync.replicas': String(salesTopic.minInSyncReplicas) } });
  });
});

describe('contractMapper', () => {
  const map = contractMapper({ topic: salesTopic, publishTo: 'test-1.crm.sales.v1' });
  const captured = contractOf('crm.lead.captured.v1');

  it('publishes a valid event of the topic to the prefixed topic, keyed by default from the stream', () => {
    expect(map(recorded(captured.type, captured.example))).toEqual({ topic: 'test-1.crm.sales.v1', type: captured.type, payload: captured.example });
    const keyed = contractMapper({ topic: salesTopic, publishTo: 'x', keyOf: (event) => `key-of-${event.streamId}` });
    expect(keyed(recorded(captured.type, captured.example, 'lead-1'))).toMatchObject({ key: 'key-of-lead-1' });
  });

  it('leaves internal event types out', () => {
    expect(map(recorded('LeadCaptured', { anything: true }))).toBeNull();
  });

  it('stops on a payload that breaks its contract, or a contract of another topic', () => {
    expect(() => map(recorded(captured.type, { ...captured.example, leadId: 'not-a-uuid' }))).toThrow(ContractViolationError);
    const registered = contractOf('crm.customer.registered.v1');
    expect(registered.topic).toBe(customersTopic);
    expect(() => map(recorded(registered.type, registered.example))).toThrow(/belongs on crm.customers.v1/);
  });
});
