// Merging duplicate customers, and undoing it with new events only.
//
// Merge A into B, in this order, each step one command on one stream:
//   1. MarkMergedInto on A: A is frozen (every command but Unmerge and EraseCustomer is refused with
//      CUSTOMER_MERGED and the survivor's id) and keeps its whole state in `beforeMerge`.
//   2. AbsorbMerge on B with `mergeSnapshotOf(A)`: B records every field it changed (before and after),
//      the consent records it took and A's orders it now counts. If B refuses, the process unmerges A.
// Unmerge, in this order:
//   1. RevertMerge on B: puts back B's pre-merge value of every field the merge changed and nothing changed since
//      (a field edited after the merge keeps its newer value), its consent records likewise, and drops A's orders.
//   2. Unmerge on A: A's state becomes `beforeMerge` again, exactly.
// With no changes in between, both customers are exactly as before the merge.
import { CustomerRuleViolation } from './customer.errors';
import type {
  ConsentChanges,
  ConsentsRestored,
  CustomerEvent,
  CustomerMergeAbsorbed,
  CustomerMergeReverted,
  ProfileChanges,
} from './customer.events';
import type { AbsorbMerge, MarkMergedInto, MergeSnapshot, RevertMerge, Unmerge } from './customer.commands';
import { applyPatch, checkProfile, fieldValue, jsonEqual, profileOf, uniqueTags } from './customer.profile';
import { isLater, purchasesOf } from './customer.purchases';
import { registeredCustomer, type CustomerState, type MergedCustomer, type RegisteredCustomer } from './customer.state';
import {
  CONSENT_CHANNELS,
  LIST_FIELDS,
  PROFILE_FIELDS,
  type ConsentChannel,
  type ConsentRecord,
  type Consents,
  type CustomerProfile,
  type MergeChoice,
  type MergeChoices,
  type Orders,
  type ProfileField,
  type ProfilePatch,
} from './customer.values';

/** What AbsorbMerge needs of a merged customer: its state from before the merge, which cannot change any more. */
export function mergeSnapshotOf(merged: MergedCustomer): MergeSnapshot {
  const { customerId, profile, consents, purchases } = merged.beforeMerge;
  return { customerId, profile, consents, orders: purchases.orders };
}

export function decideMarkMergedInto({ data }: MarkMergedInto, state: CustomerState): CustomerEvent[] {
  const { customerId, survivorId, at } = data;
  if (survivorId === customerId) throw cannotMergeIntoSelf(customerId);
  if (state.status === 'merged' && state.survivorId === survivorId) return [];
  registeredCustomer(state, customerId);
  return [{ type: 'CustomerMergedInto', data: { customerId, survivorId, at } }];
}

export function decideUnmerge({ data }: Unmerge, state: CustomerState): CustomerEvent[] {
  const { customerId, at } = data;
  if (state.status !== 'merged') {
    registeredCustomer(state, customerId);
    throw new CustomerRuleViolation(customerId, 'NOT_MERGED', `Customer ${customerId} is not merged`);
  }
  return [{ type: 'CustomerUnmerged', data: { customerId, survivorId: state.survivorId, at } }];
}

export function decideAbsorbMerge({ data }: AbsorbMerge, state: CustomerState): CustomerEvent[] {
  const { customerId, merged, at } = data;
  if (merged.customerId === customerId) throw cannotMergeIntoSelf(customerId);
  const survivor = registeredCustomer(state, customerId);
  if (Object.hasOwn(survivor.absorbed, merged.customerId)) return [];
  if (survivor.status === 'inactive') {
    throw new CustomerRuleViolation(customerId, 'CUSTOMER_INACTIVE', `Customer ${customerId} is deactivated`);
  }

  const theirs = profileOf(merged.profile);
  const fieldChoices = resolveChoices(customerId, survivor.profile, theirs, data.fieldChoices ?? {});
  const changes: Record<string, { previous: unknown; value: unknown }> = {};
  const result: Record<string, unknown> = {};
  for (const field of PROFILE_FIELDS) {
    const value = chosenValue(field, fieldChoices[field], survivor.profile, theirs);
    if (value !== undefined) result[field] = value;
    const previous = fieldValue(survivor.profile, field);
    if (!jsonEqual(previous, value ?? null)) changes[field] = { previous, value: value ?? null };
  }
  checkProfile(customerId, result as CustomerProfile, at);

  const consentChanges: ConsentChanges = {};
  for (const channel of CONSENT_CHANNELS) {
    const mine = survivor.consents[channel];
    const taken = merged.consents[channel];
    if (taken !== undefined && (mine === undefined || prevails(taken, mine))) consentChanges[channel] = { previous: mine ?? null, value: taken };
  }

  const purchasesCarriedOver = Object.fromEntries(
    Object.entries(merged.orders).filter(([orderId]) => !Object.hasOwn(survivor.purchases.orders, orderId)),
  );

  return [
    {
      type: 'CustomerMergeAbsorbed',
      data: {
        customerId,
        mergedId: merged.customerId,
        fieldChoices,
        changes: changes as ProfileChanges,
        consentChanges,
        purchasesCarriedOver,
        at,
      },
    },
  ];
}

export function decideRevertMerge({ data }: RevertMerge, state: CustomerState): CustomerEvent[] {
  const { customerId, mergedId, at } = data;
  const survivor = registeredCustomer(state, customerId);
  if (!Object.hasOwn(survivor.absorbed, mergedId)) {
    throw new CustomerRuleViolation(customerId, 'NOT_MERGED', `Customer ${mergedId} is not merged into ${customerId}`, { mergedId });
  }
  const merge = survivor.absorbed[mergedId];

  const restored: Record<string, unknown> = {};
  const keptFields: ProfileField[] = [];
  for (const field of PROFILE_FIELDS) {
    const change = merge.changes[field];
    if (change === undefined) continue;
    if (jsonEqual(fieldValue(survivor.profile, field), change.value)) restored[field] = change.previous;
    else keptFields.push(field);
  }

  const consentsRestored: ConsentsRestored = {};
  const consentsKept: ConsentChannel[] = [];
  for (const channel of CONSENT_CHANNELS) {
    const change = merge.consentChanges[channel];
    if (change === undefined) continue;
    if (jsonEqual(survivor.consents[channel] ?? null, change.value)) consentsRestored[channel] = change.previous;
    else consentsKept.push(channel);
  }

  return [
    {
      type: 'CustomerMergeReverted',
      data: {
        customerId,
        mergedId,
        restored: restored as ProfilePatch,
        keptFields,
        consentsRestored,
        consentsKept,
        purchasesRemoved: Object.keys(merge.purchasesCarriedOver),
        at,
      },
    },
  ];
}

// Tolerates events whose personal paths were shredded (see PERSONAL_FIELDS): a missing value changes nothing.
export function evolveMergeAbsorbed(customer: RegisteredCustomer, data: CustomerMergeAbsorbed['data']): RegisteredCustomer {
  const changes = data.changes ?? {};
  const patch: Record<string, unknown> = {};
  for (const field of PROFILE_FIELDS) {
    const change = changes[field];
    if (change !== undefined) patch[field] = change.value;
  }
  const consents: Record<string, ConsentRecord> = { ...customer.consents };
  for (const channel of CONSENT_CHANNELS) {
    const change = data.consentChanges[channel];
    if (change !== undefined) consents[channel] = change.value;
  }
  const { mergedId, at, consentChanges, purchasesCarriedOver } = data;
  return {
    ...customer,
    profile: applyPatch(customer.profile, patch as ProfilePatch),
    consents,
    purchases: purchasesOf({ ...customer.purchases.orders, ...purchasesCarriedOver }),
    absorbed: { ...customer.absorbed, [mergedId]: { at, changes, consentChanges, purchasesCarriedOver } },
  };
}

export function evolveMergeReverted(customer: RegisteredCustomer, data: CustomerMergeReverted['data']): RegisteredCustomer {
  const consents: Record<string, ConsentRecord> = { ...customer.consents };
  for (const channel of CONSENT_CHANNELS) {
    if (!Object.hasOwn(data.consentsRestored, channel)) continue;
    const record = data.consentsRestored[channel];
    if (record === null || record === undefined) delete consents[channel];
    else consents[channel] = record;
  }
  const removed = new Set(data.purchasesRemoved);
  const orders: Orders = Object.fromEntries(Object.entries(customer.purchases.orders).filter(([orderId]) => !removed.has(orderId)));
  const absorbed = Object.fromEntries(Object.entries(customer.absorbed).filter(([mergedId]) => mergedId !== data.mergedId));
  return {
    ...customer,
    profile: applyPatch(customer.profile, data.restored ?? {}),
    consents: consents as Consents,
    purchases: purchasesOf(orders),
    absorbed,
  };
}

function cannotMergeIntoSelf(customerId: string): CustomerRuleViolation {
  return new CustomerRuleViolation(customerId, 'CANNOT_MERGE_INTO_SELF', `Customer ${customerId} cannot be merged into itself`);
}

const isListField = (field: ProfileField): boolean => (LIST_FIELDS as readonly ProfileField[]).includes(field);

/** Every field's choice: the given one, else lists united and B's value kept where B has one. */
function resolveChoices(customerId: string, mine: CustomerProfile, theirs: CustomerProfile, given: Partial<MergeChoices>): MergeChoices {
  const choices: Partial<Record<ProfileField, MergeChoice>> = {};
  for (const field of PROFILE_FIELDS) {
    const fallback: MergeChoice = isListField(field) ? 'union' : mine[field] === undefined && theirs[field] !== undefined ? 'merged' : 'survivor';
    const choice = given[field] ?? fallback;
    if (!(choice === 'survivor' || choice === 'merged' || (choice === 'union' && isListField(field)))) {
      throw new CustomerRuleViolation(customerId, 'INVALID_MERGE_CHOICE', `Field ${field} cannot be merged by ${String(choice)}`, {
        field,
      });
    }
    choices[field] = choice;
  }
  return choices as MergeChoices;
}

function chosenValue(field: ProfileField, choice: MergeChoice, mine: CustomerProfile, theirs: CustomerProfile): unknown {
  if (choice === 'survivor') return mine[field];
  if (choice === 'merged') return theirs[field];
  switch (field) {
    case 'emails':
      return uniteContacts(mine.emails, theirs.emails, (email) => email.address);
    case 'phones':
      return uniteContacts(mine.phones, theirs.phones, (phone) => phone.e164);
    case 'tags':
      return uniqueTags([...mine.tags, ...theirs.tags]);
    case 'customAttributes':
      return [...mine.customAttributes, ...theirs.customAttributes.filter((a) => !mine.customAttributes.some((b) => b.key === a.key))];
    default:
      return mine[field];
  }
}

/** B's entries first, then A's new ones; B's primary stays primary when B has one. */
function uniteContacts<T extends { primary: boolean }>(mine: readonly T[], theirs: readonly T[], key: (entry: T) => string): T[] {
  const keepTheirPrimary = !mine.some((entry) => entry.primary);
  const added = theirs
    .filter((entry) => !mine.some((other) => key(other) === key(entry)))
    .map((entry) => (entry.primary && !keepTheirPrimary ? { ...entry, primary: false } : entry));
  return [...mine, ...added];
}

/** A's consent record replaces B's when it is the later decision; at the same instant a withdrawal wins. */
function prevails(taken: ConsentRecord, mine: ConsentRecord): boolean {
  if (jsonEqual(taken, mine)) return false;
  if (isLater(taken.at, mine.at)) return true;
  return !isLater(mine.at, taken.at) && taken.status === 'withdrawn' && mine.status === 'given';
}
