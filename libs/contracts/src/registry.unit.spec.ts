import {
  allContracts,
  contractOf,
  contracts,
  contractsOn,
  customersTopic,
  CustomerRegisteredV1,
  EVENT_TYPE_PATTERN,
  isKnownType,
  keyOf,
  LeadConvertedV1,
  OpportunityWonV1,
  salesTopic,
  topicConfigEntries,
  topicOf,
  topics,
  UnknownEventTypeError,
  validate,
  type ContractType,
  type IntegrationEvent,
} from './index';

describe('the registry', () => {
  it('names every type crm.<name>.v<version>, once', () => {
    const types = allContracts.map((c) => c.type);
    expect(new Set(types).size).toBe(types.length);
    for (const c of allContracts) {
      expect(c.type).toBe(`crm.${c.name}.v${c.version}`);
      expect(c.type).toMatch(new RegExp(EVENT_TYPE_PATTERN));
      expect(c.name.startsWith(`${c.aggregate}.`)).toBe(true);
    }
  });

  it('publishes the customers and sales events on their own topics', () => {
    expect(contractsOn(customersTopic.name).map((c) => c.name)).toEqual([
      'customer.registered',
      'customer.contact-details-updated',
      'customer.address-changed',
      'customer.tagged',
      'customer.untagged',
      'customer.deactivated',
      'customer.reactivated',
      'customer.purchase-recorded',
      'customer.consent-given',
      'customer.consent-withdrawn',
      'customer.merged',
      'customer.unmerged',
      'customer.erased',
      'customer.lead-linked',
    ]);
    expect(contractsOn(salesTopic.name).every((c) => c.aggregate === 'lead' || c.aggregate === 'opportunity' || c.aggregate === 'activity')).toBe(true);
    expect(topics.map((t) => t.name)).toEqual(['crm.customers.v1', 'crm.sales.v1']);
    expect(allContracts.every((c) => topics.includes(c.topic))).toBe(true);
  });

  it('keys every event by a required uuid field of its aggregate', () => {
    for (const c of allContracts) {
      const schema = c.schema as unknown as { required: string[]; properties: Record<string, { format?: string }> };
      expect(schema.required).toContain(c.keyField);
      expect(schema.properties[c.keyField]?.format).toBe('uuid');
      expect(c.keyField).toBe(`${c.aggregate}Id`);
      expect(c.keyOf(c.example)).toBe((c.example as Record<string, unknown>)[c.keyField]);
    }
  });

  it('looks types up: known or not, topic, key', () => {
    expect(isKnownType('crm.customer.registered.v1')).toBe(true);
    expect(isKnownType('crm.customer.registered.v9')).toBe(false);
    expect(isKnownType('toString')).toBe(false);
    expect(topicOf('crm.lead.converted.v1')).toBe('crm.sales.v1');
    expect(contractOf('crm.customer.erased.v1')).toBe(contracts['crm.customer.erased.v1']);
    expect(() => topicOf('crm.customer.teleported.v1')).toThrow(UnknownEventTypeError);
    expect(keyOf('crm.opportunity.won.v1', OpportunityWonV1.example)).toBe(OpportunityWonV1.example.opportunityId);
    expect(() => keyOf('crm.customer.erased.v1', {})).toThrow(/customerId/);
  });

  it('gives each topic a fixed partition count and a delete policy with 30 days of retention', () => {
    for (const t of topics) {
      expect(t.partitions).toBe(6);
      expect(topicConfigEntries(t)).toEqual([
        { name: 'cleanup.policy', value: 'delete' },
        { name: 'retention.ms', value: String(30 * 24 * 3600 * 1000) },
        { name: 'min.insync.replicas', value: '2' },
      ]);
    }
  });

  it('lists personal data by paths that exist in the schema', () => {
    for (const c of allContracts) {
      for (const path of c.personalData) expect([c.type, path, hasPath(c.schema, path.split('.'))]).toEqual([c.type, path, true]);
    }
    expect(contracts['crm.customer.erased.v1'].personalData).toEqual([]);
  });

  it('gives every event an example that its own schema accepts', () => {
    for (const c of allContracts) expect([c.type, validate(c.type, c.example)]).toEqual([c.type, { ok: true, value: c.example }]);
  });

  it('types payloads from the same schema: a switch on the type narrows the payload', () => {
    const whoIs = (event: IntegrationEvent): string => {
      switch (event.type) {
        case 'crm.lead.converted.v1': {
          const { customer } = event.payload;
          return customer.kind === 'existing-customer' ? customer.customerId : customer.contact.name.fullName;
        }
        case 'crm.customer.registered.v1':
          return event.payload.contact.name.fullName;
        default:
          return event.type satisfies ContractType;
      }
    };
    const registered: CustomerRegisteredV1 = CustomerRegisteredV1.example;
    expect(whoIs({ type: LeadConvertedV1.type, payload: LeadConvertedV1.example })).toBe('Grace Hopper');
    expect(whoIs({ type: CustomerRegisteredV1.type, payload: registered })).toBe('Ada Lovelace');
    expect(whoIs({ type: 'crm.customer.erased.v1', payload: { customerId: registered.customerId } })).toBe('crm.customer.erased.v1');
  });
});

function hasPath(schema: unknown, path: string[]): boolean {
  const node = schema as { properties?: Record<string, unknown>; anyOf?: unknown[] };
  if (path.length === 0) return true;
  if (node.anyOf) return node.anyOf.some((branch) => hasPath(branch, path));
  const [head, ...rest] = path;
  const child = node.properties?.[head!];
  return child !== undefined && hasPath(child, rest);
}
