// Definitions are checked when they are made, and events are routed by type and filter as the store does.
import type { ClientBase } from 'pg';
import { applyEvent, defineProjection, matchesFilter, subscriptionFilterOf, type ProjectionEvent } from './definition';
import { fromConsumedEvent } from './consumer-feed';

const base = {
  name: 'customer_summary',
  version: 1,
  tables: ['customer_summary'] as const,
  createTables: (t: { customer_summary: string }) => `CREATE TABLE ${t.customer_summary} (id text)`,
  handlers: { CustomerRegistered: async () => undefined },
};

const event = (type: string, streamId = 'customer-1'): ProjectionEvent => ({ id: 'e', type, data: {}, streamId, revision: 0n, created: new Date() });

describe('defineProjection', () => {
  it('accepts a well-formed definition', () => {
    expect(defineProjection(base).name).toBe('customer_summary');
  });

  it.each([
    ['a name that is not an identifier', { name: 'Customer-Summary' }, /lower-case identifier/],
    ['a name too long for <name>_v<N>', { name: 'x'.repeat(51) }, /at most 50/],
    ['version 0', { version: 0 }, /positive integer/],
    ['no tables', { tables: [] }, /owns no tables/],
    ['a table name that is not an identifier', { tables: ['Customer Summary'] }, /table/],
    ['no handlers', { handlers: {} }, /no handlers/],
  ])('rejects %s', (_, override, message) => {
    expect(() => defineProjection({ ...base, ...override } as typeof base)).toThrow(message);
  });
});

describe('routing events', () => {
  it('subscribes to the handled types unless the definition filters itself', () => {
    expect(subscriptionFilterOf(defineProjection(base))).toEqual({ eventTypes: ['CustomerRegistered'] });
    expect(subscriptionFilterOf(defineProjection({ ...base, filter: { streamNamePrefixes: ['customer-'] } }))).toEqual({
      eventTypes: ['CustomerRegistered'],
      streamNamePrefixes: ['customer-'],
    });
  });

  it('matches stream prefixes and event types like the store', () => {
    const filter = { streamNamePrefixes: ['customer-'], eventTypes: ['CustomerRegistered'] };
    expect(matchesFilter(event('CustomerRegistered'), filter)).toBe(true);
    expect(matchesFilter(event('CustomerRegistered', 'invoice-1'), filter)).toBe(false);
    expect(matchesFilter(event('InvoiceIssued'), filter)).toBe(false);
    expect(matchesFilter(event('InvoiceIssued', 'invoice-1'), {})).toBe(true);
  });

  it('applies only own handlers: an event type named like an Object method writes nothing', async () => {
    const seen: string[] = [];
    const projection = defineProjection({ ...base, handlers: { CustomerRegistered: async (_tx, e) => void seen.push(e.id) } });
    const tx = {} as ClientBase;
    expect(await applyEvent(tx, projection, { customer_summary: 't' }, event('CustomerRegistered'))).toBe(true);
    expect(await applyEvent(tx, projection, { customer_summary: 't' }, event('toString'))).toBe(false);
    expect(seen).toEqual(['e']);
  });

  it('turns a consumed Kafka event into a projection event keyed by its subject', () => {
    expect(
      fromConsumedEvent({ id: 'e1', type: 'crm.customer.registered.v1', subject: 'c-1', time: '2025-01-02T03:04:05.000Z', data: { a: 1 }, revision: 3n, correlationId: 'k' }),
    ).toEqual({
      id: 'e1',
      type: 'crm.customer.registered.v1',
      data: { a: 1 },
      streamId: 'c-1',
      revision: 3n,
      created: new Date('2025-01-02T03:04:05.000Z'),
      metadata: { correlationId: 'k' },
    });
  });
});
