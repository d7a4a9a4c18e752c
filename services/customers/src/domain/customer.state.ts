// The state the decider folds a customer stream into, and the guards that refuse commands by status.
import { assertNever } from '@crm/event-store';
import { CustomerErasedError, CustomerMergedError, CustomerNotFoundError, CustomerRuleViolation } from './customer.errors';
import type { ConsentChanges, ProfileChanges } from './customer.events';
import type { Consents, CustomerProfile, Orders } from './customer.values';

/** Non-personal purchase history: what analytics keeps after erasure. Totals per currency in minor units. */
export type PurchaseSummary = { count: number; totals: { readonly [currency: string]: string }; lastPurchaseAt?: string };
export type Purchases = PurchaseSummary & { orders: Orders };

/** What a merge did to the survivor, kept until it is reverted (the CustomerMergeAbsorbed data). */
export type AbsorbedMerge = { at: string; changes: ProfileChanges; consentChanges: ConsentChanges; purchasesCarriedOver: Orders };

export type NewCustomer = { status: 'new' };

export type RegisteredCustomer = {
  status: 'active' | 'inactive';
  customerId: string;
  registeredAt: string;
  profile: CustomerProfile;
  purchases: Purchases;
  consents: Consents;
  /** The merges this customer survived that can still be reverted, by merged customer id. */
  absorbed: { readonly [mergedId: string]: AbsorbedMerge };
  deactivation?: { at: string; reason?: string };
  /** The converted sales leads this customer came from or was linked to; absent while there are none. */
  leadIds?: readonly string[];
};
export type ActiveCustomer = RegisteredCustomer & { status: 'active' };

/** Merged into `survivorId`: frozen, and keeping exactly what it was so that an unmerge restores it. */
export type MergedCustomer = { status: 'merged'; customerId: string; survivorId: string; mergedAt: string; beforeMerge: RegisteredCustomer };

/** Nothing personal is left; `mergedInto` tells analytics these purchases are also counted on the survivor. */
export type ErasedCustomer = {
  status: 'erased';
  customerId: string;
  registeredAt: string;
  erasedAt: string;
  purchases: PurchaseSummary;
  mergedInto?: string;
};

export type CustomerState = NewCustomer | RegisteredCustomer | MergedCustomer | ErasedCustomer;

/** The customer, if commands may change it: refuses a missing, merged or erased one. */
export function registeredCustomer(state: CustomerState, customerId: string): RegisteredCustomer {
  switch (state.status) {
    case 'new':
      throw new CustomerNotFoundError(customerId);
    case 'merged':
      throw new CustomerMergedError(customerId, state.survivorId);
    case 'erased':
      throw new CustomerErasedError(customerId);
    case 'active':
    case 'inactive':
      return state;
    default:
      return assertNever(state);
  }
}

/** The customer, if its profile may change: a deactivated one is read-only until reactivated. */
export function activeCustomer(state: CustomerState, customerId: string): ActiveCustomer {
  const customer = registeredCustomer(state, customerId);
  if (customer.status === 'inactive') {
    throw new CustomerRuleViolation(customerId, 'CUSTOMER_INACTIVE', `Customer ${customerId} is deactivated`);
  }
  return customer as ActiveCustomer;
}
