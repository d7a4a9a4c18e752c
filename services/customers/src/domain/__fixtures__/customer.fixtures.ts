// Test data for the customer decider specs: two customers who turn out to be the same person.
import { fold } from '@crm/event-store';
import { DeciderSpecification } from '@crm/testing';
import type { CustomerCommand, RegisterCustomer } from '../customer.commands';
import { customerDecider } from '../customer.decider';
import type { CustomerEvent, CustomerRegistered, PurchaseRecorded } from '../customer.events';
import type { CustomerProfile, Money } from '../customer.values';

export const spec = DeciderSpecification.for(customerDecider);

/** The events the command decides after this history. */
export function decided(history: readonly CustomerEvent[], command: CustomerCommand): readonly CustomerEvent[] {
  return customerDecider.decide(command, fold(customerDecider, history));
}

/** The history with the events the command decides appended. */
export function after(history: readonly CustomerEvent[], command: CustomerCommand): CustomerEvent[] {
  return [...history, ...decided(history, command)];
}

export const A = '0a0a0a0a-0000-4000-8000-00000000000a';
export const B = '0b0b0b0b-0000-4000-8000-00000000000b';
export const C = '0c0c0c0c-0000-4000-8000-00000000000c';
/** A converted sales lead. */
export const LEAD = '1ead1ead-0000-4000-8000-000000000001';

/** Minutes after a fixed instant, as the ISO strings commands carry. */
export const t = (minutes: number): string => new Date(Date.UTC(2025, 0, 1, 9, minutes)).toISOString();

export const adaProfile: CustomerProfile = {
  name: { given: 'Ada', family: 'Lovelace' },
  emails: [{ address: 'ada@example.com', primary: true, label: 'work' }],
  phones: [{ e164: '+441632960001', primary: true }],
  address: { lines: ['12 St James Square'], city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
  birthday: '1815-12-10',
  gender: 'female',
  company: 'Analytical Engines Ltd',
  tags: ['vip'],
  acquisitionSource: 'referral',
  customAttributes: [{ key: 'loyaltyTier', type: 'string', value: 'gold' }],
};

/** The same person registered again, with other details and fewer of them. */
export const augustaProfile: CustomerProfile = {
  name: { given: 'Augusta Ada', family: 'King' },
  emails: [{ address: 'augusta@example.org', primary: true }],
  phones: [],
  birthday: '1815-12-10',
  tags: ['newsletter'],
  acquisitionSource: 'web',
  customAttributes: [
    { key: 'loyaltyTier', type: 'string', value: 'silver' },
    { key: 'shoeSize', type: 'number', value: 38 },
  ],
};

export function registered(customerId = A, profile: CustomerProfile = adaProfile, at = t(0)): CustomerRegistered {
  return { type: 'CustomerRegistered', data: { customerId, ...profile, registeredAt: at } };
}

export function register(overrides: Partial<RegisterCustomer['data']> = {}): RegisterCustomer {
  return { type: 'RegisterCustomer', data: { customerId: A, ...adaProfile, at: t(0), ...overrides } };
}

export const eur = (minor: string): Money => ({ minor, currency: 'EUR' });

export function purchased(customerId: string, orderId: string, amount: Money, minute: number): PurchaseRecorded {
  return {
    type: 'PurchaseRecorded',
    data: {
      customerId,
      orderId,
      amount,
      items: [{ sku: 'BOOK-1', name: 'Notes', quantity: 1, unitPrice: amount }],
      purchasedAt: t(minute),
      recordedAt: t(minute),
    },
  };
}

/** One command of every type, for the specs that say how a state refuses all of them. */
export function everyCommand(customerId: string): CustomerCommand[] {
  const at = t(30);
  return [
    register({ customerId, at }),
    { type: 'UpdateContactDetails', data: { customerId, company: 'Babbage & Co', at } },
    { type: 'ChangeAddress', data: { customerId, address: null, at } },
    { type: 'TagCustomer', data: { customerId, tag: 'gold', at } },
    { type: 'UntagCustomer', data: { customerId, tag: 'vip', at } },
    { type: 'DeactivateCustomer', data: { customerId, at } },
    { type: 'ReactivateCustomer', data: { customerId, at } },
    { type: 'RecordPurchase', data: { customerId, orderId: 'order-9', amount: eur('100'), items: [], purchasedAt: at, at } },
    { type: 'GiveConsent', data: { customerId, channel: 'email', source: 'web-form', at } },
    { type: 'WithdrawConsent', data: { customerId, channel: 'email', source: 'web-form', at } },
    { type: 'MarkMergedInto', data: { customerId, survivorId: C, at } },
    {
      type: 'AbsorbMerge',
      data: { customerId, merged: { customerId: C, profile: augustaProfile, consents: {}, orders: {} }, at },
    },
    { type: 'Unmerge', data: { customerId, at } },
    { type: 'RevertMerge', data: { customerId, mergedId: C, at } },
    { type: 'EraseCustomer', data: { customerId, reason: 'data_subject_request', at } },
    { type: 'LinkLead', data: { customerId, leadId: LEAD, at } },
  ];
}

export const commandName = (command: CustomerCommand): string => command.type;

/** Every event type, with personal values that the erasure specs look for. */
export function lifeOfAda(): CustomerEvent[] {
  return [
    registered(A),
    { type: 'ContactDetailsUpdated', data: { customerId: A, phones: [{ e164: '+441632960002', primary: true }], gender: null, at: t(1) } },
    { type: 'AddressChanged', data: { customerId: A, address: { lines: ['Ockham Park'], city: 'Ockham', country: 'GB' }, at: t(2) } },
    { type: 'CustomerTagged', data: { customerId: A, tag: 'mathematician', at: t(3) } },
    { type: 'CustomerUntagged', data: { customerId: A, tag: 'vip', at: t(4) } },
    { type: 'CustomerDeactivated', data: { customerId: A, reason: 'Ada moved to Ockham', at: t(5) } },
    { type: 'CustomerReactivated', data: { customerId: A, at: t(6) } },
    purchased(A, 'order-1', eur('1999'), 7),
    { type: 'ConsentGiven', data: { customerId: A, channel: 'email', source: 'web-form', at: t(8) } },
    { type: 'ConsentWithdrawn', data: { customerId: A, channel: 'sms', source: 'call-centre', at: t(9) } },
    { type: 'CustomerLeadLinked', data: { customerId: A, leadId: LEAD, at: t(10) } },
  ];
}
