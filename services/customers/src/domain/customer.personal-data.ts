// Which parts of each customer event are personal data, for crypto-shredding.
//
// The event store never holds a personal value in clear: before an event is appended, infrastructure encrypts
// exactly the values at these paths (AES-256-GCM) with the data key of the data subject the path names, and
// decrypts them when reading. Erasure destroys the customer's key: its values can no longer be decrypted, and
// readers receive the event without them (`mapPersonalData(event, () => undefined)`), which `evolve` folds
// without error into an erased state that holds non-personal history only (purchase count, totals).
//
// The subject is normally the stream's customer. A merge copies A's values into B's stream: those are encrypted
// with A's key (`mergedId`), so erasing A shreds them in B's stream too, while B's own pre-merge values, kept for
// the revert, stay under B's key.
//
// Not personal, and left in clear: ids, times, tags, the acquisition source, custom attribute keys and types,
// consent channels and sources, order ids, amounts and items, erasure reasons, the operator who asked, lead ids.
// A new event type does not compile until it has an entry here.
import { mapPersonalValues, type EventPayload, type JsonData } from '@crm/event-store';
import type { CustomerEvent, CustomerEventType } from './customer.events';

/** The data property that holds the id of the person whose key encrypts the value. */
export type DataSubject = 'customerId' | 'mergedId';

/**
 * `path` is property names joined by dots; `*` stands for every element of an array (or property of an object).
 * It always ends with a property name.
 */
export type PersonalPath = { readonly path: string; readonly subject: DataSubject };

const PERSONAL_PROFILE_FIELDS = ['name', 'emails', 'phones', 'address', 'birthday', 'gender', 'company'] as const;

/** The personal paths of profile values at `prefix` + field + `suffix`: whole fields, and custom attribute values. */
function profilePaths(subject: DataSubject, prefix = '', suffix = '', fields: readonly string[] = PERSONAL_PROFILE_FIELDS): PersonalPath[] {
  return [
    ...fields.map((field) => ({ path: `${prefix}${field}${suffix}`, subject })),
    { path: `${prefix}customAttributes${suffix}.*.value`, subject },
  ];
}

export const PERSONAL_FIELDS: { readonly [T in CustomerEventType]: readonly PersonalPath[] } = {
  CustomerRegistered: profilePaths('customerId'),
  ContactDetailsUpdated: profilePaths(
    'customerId',
    '',
    '',
    PERSONAL_PROFILE_FIELDS.filter((field) => field !== 'address'),
  ),
  AddressChanged: [{ path: 'address', subject: 'customerId' }],
  CustomerTagged: [],
  CustomerUntagged: [],
  // Free text about a person ("moved abroad", "deceased") is personal.
  CustomerDeactivated: [{ path: 'reason', subject: 'customerId' }],
  CustomerReactivated: [],
  PurchaseRecorded: [],
  ConsentGiven: [],
  ConsentWithdrawn: [],
  CustomerMergedInto: [],
  CustomerMergeAbsorbed: [...profilePaths('customerId', 'changes.', '.previous'), ...profilePaths('mergedId', 'changes.', '.value')],
  CustomerUnmerged: [],
  CustomerMergeReverted: profilePaths('customerId', 'restored.'),
  CustomerErased: [],
  CustomerLeadLinked: [],
};

export type PersonalValueTransform = (value: JsonData, subjectId: string, path: string) => JsonData | undefined;

/**
 * The event with every personal value (not null, not absent) replaced by `transform`'s result, or removed where
 * it returns undefined: encrypt on write, decrypt on read, drop after erasure. The given event is not changed.
 */
export function mapPersonalData(event: CustomerEvent, transform: PersonalValueTransform): { type: CustomerEventType; data: EventPayload } {
  return { type: event.type, data: mapPersonalValues(event, PERSONAL_FIELDS[event.type], transform) as EventPayload };
}
