// The lead's personal-data map: what crypto-shredding encrypts, and that a shredded stream still folds.
import { fold, type JsonData } from '@crm/event-store';
import { CUSTOMER, draft, grace, LEAD, OPPORTUNITY, OWNER, t } from '../__fixtures__/sales.fixtures';
import { leadDecider } from './lead.decider';
import type { LeadEvent, LeadEventType } from './lead.events';
import { mapPersonalData, PERSONAL_FIELDS } from './lead.personal-data';

/** Every event type, with personal values the specs look for. */
const lifeOfGrace: LeadEvent[] = [
  { type: 'LeadCaptured', data: { leadId: LEAD, source: 'trade-fair', contact: grace, interest: 'Fleet licence for Grace', ownerId: OWNER, capturedAt: t(0) } },
  { type: 'LeadDisqualified', data: { leadId: LEAD, reason: 'Grace retired', at: t(1) } },
  { type: 'LeadQualified', data: { leadId: LEAD, at: t(2) } },
  { type: 'LeadConverted', data: { leadId: LEAD, customer: { kind: 'new-customer', contact: grace }, opportunity: draft, convertedAt: t(3) } },
  { type: 'LeadConversionRetried', data: { leadId: LEAD, customer: { kind: 'new-customer', contact: grace }, opportunityId: OPPORTUNITY, at: t(4) } },
  { type: 'LeadCustomerLinked', data: { leadId: LEAD, customerId: CUSTOMER, how: 'registered', at: t(5) } },
];
const erased: LeadEvent = { type: 'LeadContactErased', data: { leadId: LEAD, reason: 'data_subject_request', erasedAt: t(6) } };
const personalValues = ['Grace', 'Hopper', 'grace@example.com', '+4930123456', 'Cobol Corp', 'Fleet licence', 'retired'];

const shred = (event: LeadEvent) => mapPersonalData(event, () => undefined) as LeadEvent;

describe('PERSONAL_FIELDS and mapPersonalData', () => {
  it('covers every event type', () => {
    const types = new Set<LeadEventType>([...lifeOfGrace, erased].map((event) => event.type));
    expect(new Set(Object.keys(PERSONAL_FIELDS))).toEqual(types);
  });

  it('leaves no personal value in clear once every personal path is encrypted', () => {
    const sealed = [...lifeOfGrace, erased].map((event) => mapPersonalData(event, (value) => `sealed:${Buffer.from(JSON.stringify(value)).toString('base64')}`));
    const text = JSON.stringify(sealed);
    for (const value of personalValues) expect(text).not.toContain(value);
    expect(text).toContain(LEAD);
    expect(text).toContain('trade-fair');
  });

  it('encrypts with the lead as data subject and says which path', () => {
    const seen: [string, string][] = [];
    mapPersonalData(lifeOfGrace[0]!, (value, subjectId, path) => (seen.push([subjectId, path]), value));
    expect(seen).toEqual([
      [LEAD, 'contact'],
      [LEAD, 'interest'],
    ]);
  });

  it('round-trips: decrypting what was encrypted gives the event back, and the given event is not changed', () => {
    const original = structuredClone(lifeOfGrace[3]!);
    const sealed = mapPersonalData(lifeOfGrace[3]!, (value) => JSON.stringify(value));
    expect(sealed.data).toMatchObject({ customer: { kind: 'new-customer', contact: JSON.stringify(grace) }, opportunity: draft });
    const opened = mapPersonalData(sealed as LeadEvent, (value) => JSON.parse(value as string) as JsonData);
    expect(opened).toEqual(lifeOfGrace[3]);
    expect(lifeOfGrace[3]).toEqual(original);
  });

  it('folds a shredded stream into a lead with no personal data, in the same status', () => {
    const history = [...lifeOfGrace, erased];
    const state = fold(leadDecider, history.map(shred));
    expect(state).toEqual({ ...fold(leadDecider, history) });
    expect(state).toEqual({
      status: 'customer-linked',
      leadId: LEAD,
      source: 'trade-fair',
      ownerId: OWNER,
      capturedAt: t(0),
      conversion: { target: { kind: 'new-customer' }, opportunity: draft, convertedAt: t(3) },
      customerId: CUSTOMER,
      how: 'registered',
      linkedAt: t(5),
      erasedAt: t(6),
    });
  });

  it('folds a shredded disqualified lead without its reason', () => {
    const state = fold(leadDecider, lifeOfGrace.slice(0, 2).map(shred));
    expect(state).toEqual({ status: 'disqualified', leadId: LEAD, source: 'trade-fair', ownerId: OWNER, capturedAt: t(0) });
  });
});
