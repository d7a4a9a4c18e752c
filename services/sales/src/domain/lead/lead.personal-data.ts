// Which parts of each lead event are personal data, for crypto-shredding. The data subject is the lead: the sales
// service keeps one data key per lead id, encrypts exactly these values with it before appending, and destroys it
// on LeadContactErased, after which readers get the events without them (`mapPersonalData(event, () => undefined)`)
// and `evolve` folds them into a lead with no personal fields.
// Personal: the contact (also where a conversion carries it to the customers service), the interest and the
// disqualification reason (free text about a person). Not personal: ids, source, owner, times, the opportunity
// draft, erasure reasons (a closed list). A new event type does not compile until it has an entry here.
import { mapPersonalValues, type EventPayload, type PersonalValueTransform } from '@crm/event-store';
import type { LeadEvent, LeadEventType } from './lead.events';

/** The data property that holds the id of the person whose key encrypts the value. */
export type DataSubject = 'leadId';

/** `path` is property names joined by dots; `*` stands for every element of an array (or property of an object). */
export type PersonalPath = { readonly path: string; readonly subject: DataSubject };

export const PERSONAL_FIELDS: { readonly [T in LeadEventType]: readonly PersonalPath[] } = {
  LeadCaptured: [
    { path: 'contact', subject: 'leadId' },
    { path: 'interest', subject: 'leadId' },
  ],
  LeadQualified: [],
  LeadDisqualified: [{ path: 'reason', subject: 'leadId' }],
  LeadConverted: [{ path: 'customer.contact', subject: 'leadId' }],
  LeadConversionRetried: [{ path: 'customer.contact', subject: 'leadId' }],
  LeadCustomerLinked: [],
  LeadContactErased: [],
};

export type { PersonalValueTransform };

/**
 * The event with every personal value (not null, not absent) replaced by `transform`'s result, or removed where
 * it returns undefined: encrypt on write, decrypt on read, drop after erasure. The given event is not changed.
 */
export function mapPersonalData(event: LeadEvent, transform: PersonalValueTransform): { type: LeadEventType; data: EventPayload } {
  return { type: event.type, data: mapPersonalValues(event, PERSONAL_FIELDS[event.type], transform) as EventPayload };
}
