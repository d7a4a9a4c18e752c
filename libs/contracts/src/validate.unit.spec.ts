import { CustomerPurchaseRecordedV1, CustomerRegisteredV1, EnvelopeHeader, LeadConvertedV1, validate, validateHeaders } from './index';

const registered = CustomerRegisteredV1.example;

describe('validate', () => {
  it('given a valid payload, then it returns the same value, typed', () => {
    const result = validate('crm.customer.registered.v1', registered);
    expect(result).toEqual({ ok: true, value: registered });
    if (result.ok) expect(result.value.contact.name.fullName).toBe('Ada Lovelace');
  });

  it('given fields it does not know, then it accepts them: producers add optional fields within a version', () => {
    const newer = { ...registered, loyaltyTier: 'gold', contact: { ...registered.contact, preferredLanguage: 'en' } };
    const result = validate('crm.customer.registered.v1', newer);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value).toBe(newer);
  });

  it('given a missing required field, then the error names its path', () => {
    const { customerId: _, ...withoutId } = registered;
    expect(validate('crm.customer.registered.v1', withoutId)).toEqual({
      ok: false,
      errors: [{ path: '/customerId', message: 'is required' }],
    });
  });

  it('given several faults, then it reports all of them with paths', () => {
    const contact = { ...registered.contact, email: 'nope', phone: '0301234' };
    const bad = { ...registered, customerId: 'not-a-uuid', contact, tags: ['vip', 'vip'] };
    const result = validate('crm.customer.registered.v1', bad);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path).sort()).toEqual(['/contact/email', '/contact/phone', '/customerId', '/tags']);
  });

  it('given a wrong enum value, a float amount or a non-object, then it rejects them', () => {
    const consent = { customerId: registered.customerId, channel: 'fax', source: 'x', givenAt: '2024-05-01T12:00:00Z' };
    const purchase = CustomerPurchaseRecordedV1.example;
    expect(validate('crm.customer.consent-given.v1', consent).ok).toBe(false);
    expect(validate('crm.customer.purchase-recorded.v1', { ...purchase, amount: { amount: 129.9, currency: 'EUR' } }).ok).toBe(false);
    expect(validate('crm.customer.purchase-recorded.v1', { ...purchase, purchasedAt: '2024-05-02 09:30' }).ok).toBe(false);
    expect(validate('crm.customer.erased.v1', null)).toEqual({ ok: false, errors: [{ path: '', message: 'must be object' }] });
  });

  it('given a lead conversion, then exactly one kind of customer is accepted', () => {
    const existing = { leadId: LeadConvertedV1.example.leadId, customer: { kind: 'existing-customer', customerId: registered.customerId } };
    expect(validate('crm.lead.converted.v1', existing).ok).toBe(true);
    expect(validate('crm.lead.converted.v1', { ...existing, customer: { kind: 'existing-customer' } }).ok).toBe(false);
    expect(validate('crm.lead.converted.v1', { ...existing, customer: { kind: 'someone', customerId: registered.customerId } }).ok).toBe(false);
  });

  it('given an unknown type, then it says so instead of throwing', () => {
    expect(validate('crm.customer.teleported.v1', {})).toEqual({
      ok: false,
      errors: [{ path: '', message: 'unknown event type "crm.customer.teleported.v1"' }],
    });
  });
});

describe('validateHeaders', () => {
  const headers = {
    [EnvelopeHeader.SpecVersion]: '1.0',
    [EnvelopeHeader.Id]: '7d1c6f0e-3b7a-4c2e-9f51-2a8d4b6e0c13',
    [EnvelopeHeader.Source]: '/crm/customers',
    [EnvelopeHeader.Type]: 'crm.customer.registered.v1',
    [EnvelopeHeader.Time]: '2024-05-01T12:00:00.000Z',
    [EnvelopeHeader.Subject]: registered.customerId,
    [EnvelopeHeader.ContentType]: 'application/json',
    [EnvelopeHeader.CorrelationId]: 'c-1',
    [EnvelopeHeader.StreamRevision]: '0',
  };

  it('given the CloudEvents binary-mode headers, then they are valid; extra headers are tolerated', () => {
    expect(validateHeaders({ ...headers, 'x-extra': 'yes' }).ok).toBe(true);
  });

  it.each([
    ['a missing event id', { ...headers, [EnvelopeHeader.Id]: undefined }, '/ce_id'],
    ['another spec version', { ...headers, [EnvelopeHeader.SpecVersion]: '0.3' }, '/ce_specversion'],
    ['an unversioned type', { ...headers, [EnvelopeHeader.Type]: 'CustomerRegistered' }, '/ce_type'],
    ['a negative revision', { ...headers, [EnvelopeHeader.StreamRevision]: '-1' }, '/crm_stream_revision'],
    ['a bad traceparent', { ...headers, [EnvelopeHeader.TraceParent]: 'abc' }, '/traceparent'],
  ])('given %s, then the error names the header', (_case, bad, path) => {
    const result = validateHeaders(bad);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toContain(path);
  });
});
