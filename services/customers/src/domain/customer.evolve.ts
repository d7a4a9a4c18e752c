// Folding customer events into state. Every event ever written must fold without throwing — including events
// whose personal paths were shredded after an erasure (a missing value changes nothing) and events a newer
// version of this service wrote (ignored, see the exhaustive default).
import { CONTACT_DETAILS_FIELDS, type CustomerErased, type CustomerEvent, type CustomerRegistered } from './customer.events';
import { evolveMergeAbsorbed, evolveMergeReverted } from './customer.merge';
import { applyPatch, profileOf, uniqueTags } from './customer.profile';
import { hasOrder, NO_PURCHASES, summaryOf, withOrder } from './customer.purchases';
import type { CustomerState, RegisteredCustomer } from './customer.state';
import type { ConsentChannel, ConsentRecord, ProfilePatch } from './customer.values';

export const initialState = (): CustomerState => ({ status: 'new' });

export function evolve(state: CustomerState, event: CustomerEvent): CustomerState {
  switch (event.type) {
    case 'CustomerRegistered':
      return state.status === 'new' ? registered(event.data) : state;
    case 'ContactDetailsUpdated': {
      const patch: Record<string, unknown> = {};
      for (const field of CONTACT_DETAILS_FIELDS) patch[field] = event.data[field];
      return whenRegistered(state, (c) => ({ ...c, profile: applyPatch(c.profile, patch as ProfilePatch) }));
    }
    case 'AddressChanged':
      return whenRegistered(state, (c) => ({ ...c, profile: applyPatch(c.profile, { address: event.data.address }) }));
    case 'CustomerTagged':
      return whenRegistered(state, (c) => ({ ...c, profile: { ...c.profile, tags: uniqueTags([...c.profile.tags, event.data.tag]) } }));
    case 'CustomerUntagged':
      return whenRegistered(state, (c) => ({ ...c, profile: { ...c.profile, tags: c.profile.tags.filter((tag) => tag !== event.data.tag) } }));
    case 'CustomerDeactivated': {
      const { reason, at } = event.data;
      return whenRegistered(state, (c) => ({ ...c, status: 'inactive', deactivation: reason === undefined ? { at } : { at, reason } }));
    }
    case 'CustomerReactivated':
      return whenRegistered(state, ({ deactivation: _ended, ...c }) => ({ ...c, status: 'active' }));
    case 'PurchaseRecorded': {
      const { orderId, amount, purchasedAt } = event.data;
      return whenRegistered(state, (c) =>
        hasOrder(c.purchases, orderId) ? c : { ...c, purchases: withOrder(c.purchases, orderId, { amount, purchasedAt }) },
      );
    }
    case 'ConsentGiven':
      return whenRegistered(state, (c) => withConsent(c, event.data.channel, { status: 'given', source: event.data.source, at: event.data.at }));
    case 'ConsentWithdrawn':
      return whenRegistered(state, (c) =>
        withConsent(c, event.data.channel, { status: 'withdrawn', source: event.data.source, at: event.data.at }),
      );
    case 'CustomerMergedInto':
      return whenRegistered(state, (c) => ({
        status: 'merged',
        customerId: c.customerId,
        survivorId: event.data.survivorId,
        mergedAt: event.data.at,
        beforeMerge: c,
      }));
    case 'CustomerMergeAbsorbed':
      return whenRegistered(state, (c) => evolveMergeAbsorbed(c, event.data));
    case 'CustomerUnmerged':
      return state.status === 'merged' ? state.beforeMerge : state;
    case 'CustomerMergeReverted':
      return whenRegistered(state, (c) => evolveMergeReverted(c, event.data));
    case 'CustomerErased':
      return erased(state, event.data);
    case 'CustomerLeadLinked': {
      const { leadId } = event.data;
      return whenRegistered(state, (c) => (c.leadIds?.includes(leadId) ? c : { ...c, leadIds: [...(c.leadIds ?? []), leadId] }));
    }
    default: {
      // An event type from a newer version of this service: keep the state rather than fail the read.
      const _exhaustive: never = event;
      void _exhaustive;
      return state;
    }
  }
}

function registered(data: CustomerRegistered['data']): RegisteredCustomer {
  return {
    status: 'active',
    customerId: data.customerId,
    registeredAt: data.registeredAt,
    profile: profileOf(data),
    purchases: NO_PURCHASES,
    consents: {},
    absorbed: {},
    ...(data.leadId === undefined ? {} : { leadIds: [data.leadId] }),
  };
}

function whenRegistered(state: CustomerState, update: (customer: RegisteredCustomer) => CustomerState): CustomerState {
  return state.status === 'active' || state.status === 'inactive' ? update(state) : state;
}

function withConsent(customer: RegisteredCustomer, channel: ConsentChannel, record: ConsentRecord): RegisteredCustomer {
  return { ...customer, consents: { ...customer.consents, [channel]: record } };
}

/** Only non-personal history is kept: the purchase summary, for analytics. */
function erased(state: CustomerState, { customerId, erasedAt }: CustomerErased['data']): CustomerState {
  switch (state.status) {
    case 'active':
    case 'inactive':
      return { status: 'erased', customerId, registeredAt: state.registeredAt, erasedAt, purchases: summaryOf(state.purchases) };
    case 'merged': {
      const { registeredAt, purchases } = state.beforeMerge;
      return { status: 'erased', customerId, registeredAt, erasedAt, purchases: summaryOf(purchases), mergedInto: state.survivorId };
    }
    default:
      return state;
  }
}
