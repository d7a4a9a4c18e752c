// The internal domain events of a customer stream (`customer-<uuid>`). Integration events for other services
// are mapped from these in @crm/contracts; these shapes may change with upcasters, those are versioned contracts.
// Every event names its customer; times are ISO-8601 UTC; `null` in a patch clears an optional field.
import type { Event } from '@crm/event-store';
import type {
  ConsentChannel,
  ConsentRecord,
  CustomAttribute,
  CustomerProfile,
  EmailAddress,
  PersonName,
  PhoneNumber,
  ErasureReason,
  MergeChoices,
  Money,
  Orders,
  ProfileField,
  ProfilePatch,
  ProfileValue,
  PostalAddress,
  PurchaseItem,
} from './customer.values';

type Id = { customerId: string };

/** The profile fields UpdateContactDetails may change (the address, tags and source have their own events). */
export type ContactDetailsPatch = {
  name?: PersonName;
  emails?: readonly EmailAddress[];
  phones?: readonly PhoneNumber[];
  birthday?: string | null;
  gender?: string | null;
  company?: string | null;
  customAttributes?: readonly CustomAttribute[];
};
export const CONTACT_DETAILS_FIELDS = [
  'name',
  'emails',
  'phones',
  'birthday',
  'gender',
  'company',
  'customAttributes',
] as const satisfies readonly (keyof ContactDetailsPatch)[];

/** Per profile field a merge changed on the survivor: its value before (null: none) and after. */
export type ProfileChanges = { [K in ProfileField]?: { previous: ProfileValue<K> | null; value: ProfileValue<K> | null } };
/** Per consent channel a merge changed on the survivor: the survivor's record before (null: none) and the merged one. */
export type ConsentChanges = { [C in ConsentChannel]?: { previous: ConsentRecord | null; value: ConsentRecord } };
/** Per consent channel, the record put back (null: the channel had none). */
export type ConsentsRestored = { [C in ConsentChannel]?: ConsentRecord | null };

/** `leadId`: the sales lead whose conversion registered the customer, when one did. */
export type CustomerRegistered = Event<'CustomerRegistered', Id & CustomerProfile & { registeredAt: string; leadId?: string }>;
export type ContactDetailsUpdated = Event<'ContactDetailsUpdated', Id & ContactDetailsPatch & { at: string }>;
export type AddressChanged = Event<'AddressChanged', Id & { address: PostalAddress | null; at: string }>;
export type CustomerTagged = Event<'CustomerTagged', Id & { tag: string; at: string }>;
export type CustomerUntagged = Event<'CustomerUntagged', Id & { tag: string; at: string }>;
export type CustomerDeactivated = Event<'CustomerDeactivated', Id & { reason?: string; at: string }>;
export type CustomerReactivated = Event<'CustomerReactivated', Id & { at: string }>;
export type PurchaseRecorded = Event<
  'PurchaseRecorded',
  Id & { orderId: string; amount: Money; items: readonly PurchaseItem[]; purchasedAt: string; recordedAt: string }
>;
export type ConsentGiven = Event<'ConsentGiven', Id & { channel: ConsentChannel; source: string; at: string }>;
export type ConsentWithdrawn = Event<'ConsentWithdrawn', Id & { channel: ConsentChannel; source: string; at: string }>;

/** On the merged customer (A): it now lives on in `survivorId`; its state is frozen until unmerged. */
export type CustomerMergedInto = Event<'CustomerMergedInto', Id & { survivorId: string; at: string }>;

/**
 * On the survivor (B): what it took from `mergedId` — the resolved field choices, every field it changed with
 * the value before and after, the consent records it took, and A's orders it now counts — so that a revert
 * can put B back exactly, with a new event.
 */
export type CustomerMergeAbsorbed = Event<
  'CustomerMergeAbsorbed',
  Id & {
    mergedId: string;
    fieldChoices: MergeChoices;
    changes: ProfileChanges;
    consentChanges: ConsentChanges;
    purchasesCarriedOver: Orders;
    at: string;
  }
>;

/** On the merged customer (A): it is itself again, exactly as it was before the merge. */
export type CustomerUnmerged = Event<'CustomerUnmerged', Id & { survivorId: string; at: string }>;

/**
 * On the survivor (B): the merge of `mergedId` is undone. `restored` holds B's pre-merge values of the fields the
 * merge changed and nothing changed since; `keptFields` and `consentsKept` were changed after the merge and stay.
 */
export type CustomerMergeReverted = Event<
  'CustomerMergeReverted',
  Id & {
    mergedId: string;
    restored: ProfilePatch;
    keptFields: readonly ProfileField[];
    consentsRestored: ConsentsRestored;
    consentsKept: readonly ConsentChannel[];
    purchasesRemoved: readonly string[];
    at: string;
  }
>;

/**
 * The customer's data key is destroyed with this event; it carries no personal data. `linkedCustomerIds` are the
 * same person's other streams (the survivor it was merged into, the customers it absorbed), which the erasure
 * process erases as well.
 */
export type CustomerErased = Event<
  'CustomerErased',
  Id & { reason: ErasureReason; requestedBy?: string; linkedCustomerIds: readonly string[]; erasedAt: string }
>;

/** A converted sales lead belongs to this existing customer (its contact data matched, or sales named the customer). */
export type CustomerLeadLinked = Event<'CustomerLeadLinked', Id & { leadId: string; at: string }>;

export type CustomerEvent =
  | CustomerRegistered
  | ContactDetailsUpdated
  | AddressChanged
  | CustomerTagged
  | CustomerUntagged
  | CustomerDeactivated
  | CustomerReactivated
  | PurchaseRecorded
  | ConsentGiven
  | ConsentWithdrawn
  | CustomerMergedInto
  | CustomerMergeAbsorbed
  | CustomerUnmerged
  | CustomerMergeReverted
  | CustomerErased
  | CustomerLeadLinked;

export type CustomerEventType = CustomerEvent['type'];
