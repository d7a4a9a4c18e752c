import { validate } from '@crm/contracts';
import type { BusMessage } from '../bus/types';
import { CeHeader } from '../cloudevents/headers';
import { toOutgoingMessage } from '../relay/envelope';
import { decodeMessage } from './consumed-event';

const customerId = '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21';
const all = () => true;

/** What the relay publishes for a recorded event, as a consumer receives it. */
function published(type: string, payload: unknown, value?: string): BusMessage {
  const out = toOutgoingMessage(
    {
      id: '11111111-2222-4333-8444-555555555555',
      type: 'CustomerDeactivated',
      data: {},
      metadata: { correlationId: 'corr-1', causationId: 'cmd-1', time: '2026-01-02T03:04:05.000Z' },
      streamId: `customer-${customerId}`,
      revision: 7n,
      position: { commit: 1n, prepare: 1n },
      created: new Date(),
    },
    { topic: 'crm.customers.v1', type, payload },
    '/crm/customers',
  );
  return { topic: out.topic, partition: 2, offset: '41', key: out.key, value: Buffer.from(value ?? String(out.value)), headers: out.headers };
}

describe('decodeMessage (relay envelope → consumer, validated by @crm/contracts)', () => {
  it('decodes what the relay published, with the contract validator', () => {
    const decoded = decodeMessage(published('crm.customer.deactivated.v1', { customerId }), all, validate);
    expect(decoded).toMatchObject({
      kind: 'event',
      event: {
        id: '11111111-2222-4333-8444-555555555555',
        type: 'crm.customer.deactivated.v1',
        source: '/crm/customers',
        subject: customerId,
        key: customerId,
        time: '2026-01-02T03:04:05.000Z',
        data: { customerId },
        correlationId: 'corr-1',
        causationId: 'cmd-1',
        revision: 7n,
        topic: 'crm.customers.v1',
        partition: 2,
        offset: '41',
      },
    });
  });

  it('calls a payload that breaks its schema poison, naming the field', () => {
    const decoded = decodeMessage(published('crm.customer.deactivated.v1', { customerId: 'not-a-uuid' }), all, validate);
    expect(decoded.kind).toBe('poison');
    expect(decoded.kind === 'poison' && decoded.error.name).toBe('SchemaViolationError');
    expect(decoded.kind === 'poison' && decoded.error.message).toContain('/customerId');
  });

  it('calls invalid JSON and a missing envelope poison', () => {
    const junk = decodeMessage(published('crm.customer.deactivated.v1', {}, '{"customerId":'), all, validate);
    expect(junk.kind === 'poison' && junk.error.name).toBe('InvalidJsonError');
    const bare = published('crm.customer.deactivated.v1', { customerId });
    delete bare.headers[CeHeader.Id];
    const noId = decodeMessage(bare, all, validate);
    expect(noId.kind === 'poison' && noId.error.name).toBe('InvalidEnvelopeError');
  });

  it('skips types the consumer does not handle without parsing or validating them', () => {
    const decoded = decodeMessage(published('crm.customer.unknown.v9', {}, 'not json'), (t) => t !== 'crm.customer.unknown.v9', validate);
    expect(decoded).toMatchObject({ kind: 'ignored', type: 'crm.customer.unknown.v9' });
  });
});
