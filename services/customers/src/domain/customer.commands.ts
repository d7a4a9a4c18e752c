// What can be asked of a customer. Built at the edge from validated, normalised input; `at` is the time the
// command was accepted (ISO-8601 UTC), given from outside because the decider has no clock.
import type { Command } from '@crm/event-store';
import type { ContactDetailsPatch } from './customer.events';
import type {
  ConsentChannel,
  Consents,
  CustomerProfile,
  ErasureReason,
  MergeChoices,
  Money,
  Orders,
  PostalAddress,
  PurchaseItem,
} from './customer.values';

type Id = { customerId: string; at: string };

/** The merged customer (A) as it was when it was marked merged: what the survivor absorbs. See `mergeSnapshotOf`. */
export type MergeSnapshot = { customerId: string; profile: CustomerProfile; consents: Consents; orders: Orders };

/** `leadId`: the sales lead whose conversion registers this customer (not personal: an id). */
export type RegisterCustomer = Command<'RegisterCustomer', Id & CustomerProfile & { leadId?: string }>;
/** Only the given fields change; `null` clears an optional one. */
export type UpdateContactDetails = Command<'UpdateContactDetails', Id & ContactDetailsPatch>;
export type ChangeAddress = Command<'ChangeAddress', Id & { address: PostalAddress | null }>;
export type TagCustomer = Command<'TagCustomer', Id & { tag: string }>;
export type UntagCustomer = Command<'UntagCustomer', Id & { tag: string }>;
export type DeactivateCustomer = Command<'DeactivateCustomer', Id & { reason?: string }>;
export type ReactivateCustomer = Command<'ReactivateCustomer', Id>;
export type RecordPurchase = Command<
  'RecordPurchase',
  Id & { orderId: string; amount: Money; items: readonly PurchaseItem[]; purchasedAt: string }
>;
export type GiveConsent = Command<'GiveConsent', Id & { channel: ConsentChannel; source: string }>;
export type WithdrawConsent = Command<'WithdrawConsent', Id & { channel: ConsentChannel; source: string }>;
/** To A, first: A is frozen from here on, so its snapshot for AbsorbMerge cannot change under the merge. */
export type MarkMergedInto = Command<'MarkMergedInto', Id & { survivorId: string }>;
/** To B, second: fields without a choice keep B's value when B has one, lists are united. */
export type AbsorbMerge = Command<'AbsorbMerge', Id & { merged: MergeSnapshot; fieldChoices?: Partial<MergeChoices> }>;
/** To A, after RevertMerge on B succeeded. */
export type Unmerge = Command<'Unmerge', Id>;
/** To B, first in an unmerge: it is the step that can be refused (B merged on, or erased). */
export type RevertMerge = Command<'RevertMerge', Id & { mergedId: string }>;
/** `requestedBy` is the operator's principal id, never the data subject's contact data. */
export type EraseCustomer = Command<'EraseCustomer', Id & { reason: ErasureReason; requestedBy?: string }>;
/** A converted lead whose contact data matched this customer: the lead is linked here instead of registering anew. */
export type LinkLead = Command<'LinkLead', Id & { leadId: string }>;

export type CustomerCommand =
  | RegisterCustomer
  | UpdateContactDetails
  | ChangeAddress
  | TagCustomer
  | UntagCustomer
  | DeactivateCustomer
  | ReactivateCustomer
  | RecordPurchase
  | GiveConsent
  | WithdrawConsent
  | MarkMergedInto
  | AbsorbMerge
  | Unmerge
  | RevertMerge
  | EraseCustomer
  | LinkLead;

export type CustomerCommandType = CustomerCommand['type'];
