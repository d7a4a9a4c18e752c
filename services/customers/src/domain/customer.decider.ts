// The customer decider: which events a command causes, given the customer's state.
// Idempotent where "nothing happened" is the truthful answer (an order recorded twice, a tag or consent that is
// already there, an erased customer erased again): no events, no error. State-changing requests that make no
// sense (deactivating twice, reactivating an active customer) are refused so that the caller learns of it.
import { assertNever, type Decider } from '@crm/event-store';
import type { CustomerCommand } from './customer.commands';
import { CustomerAlreadyRegisteredError, CustomerErasedError, CustomerNotFoundError, CustomerRuleViolation } from './customer.errors';
import { CONTACT_DETAILS_FIELDS, type ContactDetailsPatch, type CustomerEvent } from './customer.events';
import { evolve, initialState } from './customer.evolve';
import { decideAbsorbMerge, decideMarkMergedInto, decideRevertMerge, decideUnmerge } from './customer.merge';
import { changedFields, checkProfile, jsonEqual, MAX_TAGS, profileOf, uniqueTags } from './customer.profile';
import { checkPurchase, hasOrder } from './customer.purchases';
import { activeCustomer, registeredCustomer, type CustomerState } from './customer.state';

export function decide(command: CustomerCommand, state: CustomerState): CustomerEvent[] {
  switch (command.type) {
    case 'RegisterCustomer': {
      const { customerId, at } = command.data;
      if (state.status === 'erased') throw new CustomerErasedError(customerId);
      if (state.status !== 'new') throw new CustomerAlreadyRegisteredError(customerId);
      const profile = profileOf({ ...command.data, tags: uniqueTags(command.data.tags) });
      checkProfile(customerId, profile, at);
      const { leadId } = command.data;
      return [{ type: 'CustomerRegistered', data: { customerId, ...profile, registeredAt: at, ...(leadId === undefined ? {} : { leadId }) } }];
    }

    case 'UpdateContactDetails': {
      const { customerId, at } = command.data;
      const customer = activeCustomer(state, customerId);
      const patch: Record<string, unknown> = {};
      for (const field of CONTACT_DETAILS_FIELDS) if (command.data[field] !== undefined) patch[field] = command.data[field];
      checkProfile(customerId, patch, at);
      const changed = changedFields(customer.profile, patch) as ContactDetailsPatch;
      if (Object.keys(changed).length === 0) return [];
      return [{ type: 'ContactDetailsUpdated', data: { customerId, ...changed, at } }];
    }

    case 'ChangeAddress': {
      const { customerId, address, at } = command.data;
      const customer = activeCustomer(state, customerId);
      if (jsonEqual(customer.profile.address ?? null, address)) return [];
      return [{ type: 'AddressChanged', data: { customerId, address, at } }];
    }

    case 'TagCustomer': {
      const { customerId, tag, at } = command.data;
      const { profile } = activeCustomer(state, customerId);
      if (profile.tags.includes(tag)) return [];
      if (profile.tags.length >= MAX_TAGS) {
        throw new CustomerRuleViolation(customerId, 'TAG_LIMIT', `A customer has at most ${MAX_TAGS} tags`, { limit: MAX_TAGS });
      }
      return [{ type: 'CustomerTagged', data: { customerId, tag, at } }];
    }

    case 'UntagCustomer': {
      const { customerId, tag, at } = command.data;
      const { profile } = activeCustomer(state, customerId);
      if (!profile.tags.includes(tag)) return [];
      return [{ type: 'CustomerUntagged', data: { customerId, tag, at } }];
    }

    case 'DeactivateCustomer': {
      const { customerId, reason, at } = command.data;
      if (registeredCustomer(state, customerId).status === 'inactive') {
        throw new CustomerRuleViolation(customerId, 'ALREADY_DEACTIVATED', `Customer ${customerId} is already deactivated`);
      }
      return [{ type: 'CustomerDeactivated', data: reason === undefined ? { customerId, at } : { customerId, reason, at } }];
    }

    case 'ReactivateCustomer': {
      const { customerId, at } = command.data;
      if (registeredCustomer(state, customerId).status === 'active') {
        throw new CustomerRuleViolation(customerId, 'NOT_DEACTIVATED', `Customer ${customerId} is not deactivated`);
      }
      return [{ type: 'CustomerReactivated', data: { customerId, at } }];
    }

    // A purchase is a fact reported by the shop, so a deactivated customer's purchases are still recorded.
    case 'RecordPurchase': {
      const { customerId, orderId, amount, items, purchasedAt, at } = command.data;
      const customer = registeredCustomer(state, customerId);
      checkPurchase(customerId, amount, items);
      if (hasOrder(customer.purchases, orderId)) return [];
      return [{ type: 'PurchaseRecorded', data: { customerId, orderId, amount, items, purchasedAt, recordedAt: at } }];
    }

    case 'GiveConsent': {
      const { customerId, channel, source, at } = command.data;
      const customer = activeCustomer(state, customerId);
      if (customer.consents[channel]?.status === 'given') return [];
      return [{ type: 'ConsentGiven', data: { customerId, channel, source, at } }];
    }

    // Always possible while the customer exists, deactivated or not: a refusal must never be lost.
    // A refusal on a channel never consented to is recorded too: it turns "unknown" into an explicit "no".
    case 'WithdrawConsent': {
      const { customerId, channel, source, at } = command.data;
      const customer = registeredCustomer(state, customerId);
      if (customer.consents[channel]?.status === 'withdrawn') return [];
      return [{ type: 'ConsentWithdrawn', data: { customerId, channel, source, at } }];
    }

    case 'MarkMergedInto':
      return decideMarkMergedInto(command, state);
    case 'AbsorbMerge':
      return decideAbsorbMerge(command, state);
    case 'Unmerge':
      return decideUnmerge(command, state);
    case 'RevertMerge':
      return decideRevertMerge(command, state);

    // Possible in every state but "new", merged included: erasure is a legal duty. The event names the same
    // person's other customer streams so that the erasure process erases them too.
    case 'EraseCustomer': {
      const { customerId, reason, requestedBy, at } = command.data;
      let linkedCustomerIds: string[];
      switch (state.status) {
        case 'new':
          throw new CustomerNotFoundError(customerId);
        case 'erased':
          return [];
        case 'merged':
          linkedCustomerIds = [state.survivorId, ...Object.keys(state.beforeMerge.absorbed)];
          break;
        case 'active':
        case 'inactive':
          linkedCustomerIds = Object.keys(state.absorbed);
          break;
        default:
          return assertNever(state);
      }
      const data = { customerId, reason, linkedCustomerIds, erasedAt: at };
      return [{ type: 'CustomerErased', data: requestedBy === undefined ? data : { ...data, requestedBy } }];
    }

    // Idempotent by lead: the lead the customer was registered from, or one linked before, links nothing new.
    // A deactivated customer takes no new business (see crm.customer.deactivated), so it refuses the link.
    case 'LinkLead': {
      const { customerId, leadId, at } = command.data;
      const customer = activeCustomer(state, customerId);
      if (customer.leadIds?.includes(leadId)) return [];
      return [{ type: 'CustomerLeadLinked', data: { customerId, leadId, at } }];
    }

    default:
      return assertNever(command, 'Unknown customer command');
  }
}

export const customerDecider: Decider<CustomerCommand, CustomerEvent, CustomerState> = { decide, evolve, initialState };
