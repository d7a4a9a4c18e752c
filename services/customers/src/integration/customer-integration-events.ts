// Internal customer events → crm.customer.*.v1 integration events (pure). Explicit per event type (an exhaustive
// switch: a new internal event does not compile until it is mapped or deliberately left out), with the customer's
// state before and after the event, because contracts carry complete values (all contact details after a change,
// the purchase count) where internal events carry patches.
//
// Personal data (docs/events.md): only `contact` (name, primary email, primary phone, company) and `location`
// (city, country). Street, postal code, birthday, gender, secondary contacts and custom attributes never leave
// the service. Once the customer's data key is destroyed (`personalDataErased`), no event carrying contact or
// location is produced at all — the relay reads decrypted events, so they would be incomplete anyway.
import type { Contact, CustomersEvent, Location } from '@crm/contracts';
import type { ConsentRecord, Consents, CustomerEvent, CustomerProfile, CustomerState, PurchaseItem } from '../domain';
import { jsonEqual } from '../domain/customer.profile';
import { decimalOf, displayNameOf } from '../read-model/customer-profile.row';

export interface FoldedEvent {
  before: CustomerState;
  after: CustomerState;
  /** The customer's data key is destroyed: publish nothing personal. */
  personalDataErased: boolean;
}

/** A state the mapping cannot have reached from valid events: a bug, reported loudly (the relay stops and retries). */
export class IntegrationMappingError extends Error {
  override readonly name = 'IntegrationMappingError';
}

const FULL_NAME_MAX = 200;

function profileOf(state: CustomerState): Partial<CustomerProfile> | null {
  if (state.status === 'active' || state.status === 'inactive') return state.profile;
  if (state.status === 'merged') return state.beforeMerge.profile;
  return null;
}

function consentsOf(state: CustomerState): Consents {
  if (state.status === 'active' || state.status === 'inactive') return state.consents;
  if (state.status === 'merged') return state.beforeMerge.consents;
  return {};
}

/** The contract's contact, or null when the name is missing (shredded values). */
export function contactOf(profile: Partial<CustomerProfile> | null): Contact | null {
  const fullName = displayNameOf(profile?.name)?.slice(0, FULL_NAME_MAX);
  if (!profile?.name || !fullName) return null;
  const email = profile.emails?.find((e) => e.primary) ?? profile.emails?.[0];
  const phone = profile.phones?.find((p) => p.primary) ?? profile.phones?.[0];
  return {
    name: { fullName, givenName: profile.name.given, ...(profile.name.family ? { familyName: profile.name.family } : {}) },
    ...(email ? { email: email.address } : {}),
    ...(phone ? { phone: phone.e164 } : {}),
    ...(profile.company ? { company: profile.company } : {}),
  };
}

export function locationOf(profile: Partial<CustomerProfile> | null): Location {
  const address = profile?.address;
  return address ? { city: address.city, countryCode: address.country } : {};
}

const tagsOf = (state: CustomerState): readonly string[] => profileOf(state)?.tags ?? [];

/** What a merge or its revert changed on the survivor, as the survivor's own events. */
function changesOf(customerId: string, { before, after, personalDataErased }: FoldedEvent, at: string): CustomersEvent[] {
  const events: CustomersEvent[] = [];
  if (!personalDataErased) {
    const contact = contactOf(profileOf(after));
    if (contact && !jsonEqual(contact, contactOf(profileOf(before)))) events.push({ type: 'crm.customer.contact-details-updated.v1', payload: { customerId, contact } });
    const location = locationOf(profileOf(after));
    if (!jsonEqual(location, locationOf(profileOf(before)))) events.push({ type: 'crm.customer.address-changed.v1', payload: { customerId, location } });
  }
  const [tagsBefore, tagsAfter] = [tagsOf(before), tagsOf(after)];
  const added = tagsAfter.filter((tag) => !tagsBefore.includes(tag));
  const removed = tagsBefore.filter((tag) => !tagsAfter.includes(tag));
  if (added.length > 0) events.push({ type: 'crm.customer.tagged.v1', payload: { customerId, tags: added } });
  if (removed.length > 0) events.push({ type: 'crm.customer.untagged.v1', payload: { customerId, tags: removed } });
  const [consentsBefore, consentsAfter] = [consentsOf(before), consentsOf(after)];
  for (const channel of ['email', 'sms', 'phone', 'marketing'] as const) {
    const [was, now] = [consentsBefore[channel], consentsAfter[channel]];
    if (jsonEqual(was, now)) continue;
    // A record put back to "none" by a revert: no consent any more, so subscribers must stop using the channel.
    events.push(consentEvent(customerId, channel, now ?? { status: 'withdrawn', source: 'merge-reverted', at }));
  }
  return events;
}

function consentEvent(customerId: string, channel: 'email' | 'sms' | 'phone' | 'marketing', record: ConsentRecord): CustomersEvent {
  return record.status === 'given'
    ? { type: 'crm.customer.consent-given.v1', payload: { customerId, channel, source: record.source, givenAt: record.at } }
    : { type: 'crm.customer.consent-withdrawn.v1', payload: { customerId, channel, source: record.source, withdrawnAt: record.at } };
}

function itemOf(item: PurchaseItem) {
  return {
    sku: item.sku,
    description: item.name,
    quantity: item.quantity,
    unitPrice: { amount: decimalOf(item.unitPrice.minor, item.unitPrice.currency), currency: item.unitPrice.currency },
  };
}

/** The integration events one internal event publishes, in order; empty when it publishes none. */
export function integrationEventsOf(event: CustomerEvent, folded: FoldedEvent): CustomersEvent[] {
  const { before, after, personalDataErased } = folded;
  const { customerId } = event.data;
  switch (event.type) {
    case 'CustomerRegistered': {
      const profile = profileOf(after);
      const contact = personalDataErased ? null : contactOf(profile);
      if (contact === null) return []; // shredded before it was relayed: the erased event follows
      const location = locationOf(profile);
      const { acquisitionSource, leadId } = event.data;
      return [
        {
          type: 'crm.customer.registered.v1',
          payload: {
            customerId,
            contact,
            ...(profile?.address ? { location } : {}),
            tags: [...new Set(profile?.tags ?? [])],
            ...(acquisitionSource ? { acquisitionSource } : {}),
            ...(leadId ? { leadId } : {}),
          },
        },
      ];
    }
    case 'ContactDetailsUpdated': {
      const contact = personalDataErased ? null : contactOf(profileOf(after));
      if (contact === null || jsonEqual(contact, contactOf(profileOf(before)))) return []; // e.g. only the birthday changed
      return [{ type: 'crm.customer.contact-details-updated.v1', payload: { customerId, contact } }];
    }
    case 'AddressChanged': {
      const location = locationOf(profileOf(after));
      if (personalDataErased || jsonEqual(location, locationOf(profileOf(before)))) return []; // street or postal code only
      return [{ type: 'crm.customer.address-changed.v1', payload: { customerId, location } }];
    }
    case 'CustomerTagged':
      return tagsOf(before).includes(event.data.tag) ? [] : [{ type: 'crm.customer.tagged.v1', payload: { customerId, tags: [event.data.tag] } }];
    case 'CustomerUntagged':
      return tagsOf(before).includes(event.data.tag) ? [{ type: 'crm.customer.untagged.v1', payload: { customerId, tags: [event.data.tag] } }] : [];
    case 'CustomerDeactivated':
      return [{ type: 'crm.customer.deactivated.v1', payload: { customerId } }];
    case 'CustomerReactivated':
      return [{ type: 'crm.customer.reactivated.v1', payload: { customerId } }];
    case 'PurchaseRecorded': {
      if (after.status !== 'active' && after.status !== 'inactive') throw new IntegrationMappingError(`PurchaseRecorded on a ${after.status} customer ${customerId}`);
      const { orderId, amount, items, purchasedAt } = event.data;
      return [
        {
          type: 'crm.customer.purchase-recorded.v1',
          payload: {
            customerId,
            orderId,
            amount: { amount: decimalOf(amount.minor, amount.currency), currency: amount.currency },
            ...(items.length > 0 ? { items: items.map(itemOf) } : {}),
            purchasedAt,
            purchaseCount: after.purchases.count,
          },
        },
      ];
    }
    case 'ConsentGiven':
      return [consentEvent(customerId, event.data.channel, { status: 'given', source: event.data.source, at: event.data.at })];
    case 'ConsentWithdrawn':
      return [consentEvent(customerId, event.data.channel, { status: 'withdrawn', source: event.data.source, at: event.data.at })];
    case 'CustomerMergedInto':
      return [{ type: 'crm.customer.merged.v1', payload: { customerId, survivorId: event.data.survivorId } }];
    case 'CustomerMergeAbsorbed':
    case 'CustomerMergeReverted':
      return changesOf(customerId, folded, event.data.at);
    case 'CustomerUnmerged': {
      // The contract promises the restored customer's contact details right after.
      const contact = personalDataErased ? null : contactOf(profileOf(after));
      return [
        { type: 'crm.customer.unmerged.v1', payload: { customerId, survivorId: event.data.survivorId } },
        ...(contact ? [{ type: 'crm.customer.contact-details-updated.v1' as const, payload: { customerId, contact } }] : []),
      ];
    }
    case 'CustomerErased':
      return [{ type: 'crm.customer.erased.v1', payload: { customerId } }];
    // Ids only: published after an erasure too, so that sales can finish the conversion it is waiting for.
    case 'CustomerLeadLinked':
      return [{ type: 'crm.customer.lead-linked.v1', payload: { customerId, leadId: event.data.leadId } }];
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
