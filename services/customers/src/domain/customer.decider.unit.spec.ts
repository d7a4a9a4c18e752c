// Registration, profile changes, tags, (de)activation, and how each status refuses commands.
import { fold } from '@crm/event-store';
import { A, adaProfile, B, commandName, everyCommand, register, registered, spec, t } from './__fixtures__/customer.fixtures';
import type { CustomerCommand } from './customer.commands';
import { customerDecider } from './customer.decider';
import {
  CustomerAlreadyRegisteredError,
  CustomerDomainError,
  CustomerErasedError,
  CustomerMergedError,
  CustomerNotFoundError,
  CustomerRuleViolation,
  hasCode,
} from './customer.errors';
import type { CustomerEvent } from './customer.events';
import { MAX_TAGS } from './customer.profile';
import type { CustomerState } from './customer.state';
import type { PostalAddress } from './customer.values';

const deactivated: CustomerEvent = { type: 'CustomerDeactivated', data: { customerId: A, at: t(1) } };
const mergedIntoB: CustomerEvent = { type: 'CustomerMergedInto', data: { customerId: A, survivorId: B, at: t(1) } };
const erased: CustomerEvent = {
  type: 'CustomerErased',
  data: { customerId: A, reason: 'data_subject_request', linkedCustomerIds: [], erasedAt: t(2) },
};

describe('RegisterCustomer', () => {
  it('registers the customer with its whole profile', () => {
    spec.when(register()).then([registered(A)]);
    spec.when(register()).thenState({
      status: 'active',
      customerId: A,
      registeredAt: t(0),
      profile: adaProfile,
      purchases: { count: 0, totals: {}, orders: {} },
      consents: {},
      absorbed: {},
    });
  });

  it('registers a customer with a name only, and drops repeated tags', () => {
    const minimal = { name: { given: 'Ada' }, emails: [], phones: [], tags: ['vip', 'vip'], customAttributes: [] };
    const none = { address: undefined, birthday: undefined, gender: undefined, company: undefined, acquisitionSource: undefined };
    spec.when(register({ ...minimal, ...none })).then({
      type: 'CustomerRegistered',
      data: { customerId: A, ...minimal, tags: ['vip'], registeredAt: t(0) },
    });
  });

  it('refuses a customer that is already registered, merged or erased', () => {
    spec.given(registered(A)).when(register()).thenThrows(CustomerAlreadyRegisteredError, (e) => e.kind === 'conflict');
    spec.given([registered(A), mergedIntoB]).when(register()).thenThrows(CustomerAlreadyRegisteredError);
    spec.given([registered(A), erased]).when(register()).thenThrows(CustomerErasedError);
  });

  const rejections: [string, Partial<typeof adaProfile>, string][] = [
    ['emails without a primary', { emails: [{ address: 'ada@example.com', primary: false }] }, 'NO_PRIMARY_EMAIL'],
    [
      'two primary emails',
      { emails: [{ address: 'ada@example.com', primary: true }, { address: 'ada@example.org', primary: true }] },
      'MULTIPLE_PRIMARY_EMAILS',
    ],
    [
      'an email given twice',
      { emails: [{ address: 'ada@example.com', primary: true }, { address: 'ada@example.com', primary: false }] },
      'DUPLICATE_EMAIL',
    ],
    ['phones without a primary', { phones: [{ e164: '+441632960001', primary: false }] }, 'NO_PRIMARY_PHONE'],
    [
      'two primary phones',
      { phones: [{ e164: '+441632960001', primary: true }, { e164: '+441632960002', primary: true }] },
      'MULTIPLE_PRIMARY_PHONES',
    ],
    [
      'a phone given twice',
      { phones: [{ e164: '+441632960001', primary: true }, { e164: '+441632960001', primary: false }] },
      'DUPLICATE_PHONE',
    ],
    ['too many tags', { tags: Array.from({ length: MAX_TAGS + 1 }, (_, i) => `tag-${i}`) }, 'TAG_LIMIT'],
    [
      'an attribute key given twice',
      { customAttributes: [{ key: 'tier', type: 'string', value: 'a' }, { key: 'tier', type: 'string', value: 'b' }] },
      'DUPLICATE_ATTRIBUTE_KEY',
    ],
    [
      'a number attribute that is not a number',
      { customAttributes: [{ key: 'size', type: 'number', value: '38' as unknown as number }] },
      'INVALID_ATTRIBUTE_VALUE',
    ],
    ['a date attribute that is no date', { customAttributes: [{ key: 'since', type: 'date', value: '2025-02-30' }] }, 'INVALID_ATTRIBUTE_VALUE'],
    ['a birthday after the registration', { birthday: '2025-01-02' }, 'INVALID_BIRTHDAY'],
    ['a malformed birthday', { birthday: '10.12.1815' }, 'INVALID_BIRTHDAY'],
  ];
  it.each(rejections)('refuses %s', (_, profile, code) => {
    spec.when(register(profile)).thenThrows(CustomerRuleViolation, (e) => e.code === code && e.kind === 'rejected');
  });

  it('names positions, not values, in its errors', () => {
    const twice = [{ address: 'ada@example.com', primary: true }, { address: 'ada@example.com', primary: false }];
    spec.when(register({ emails: twice })).thenThrows(CustomerRuleViolation, (e) => !JSON.stringify([e.message, e.details]).includes('ada@'));
  });
});

describe('UpdateContactDetails', () => {
  const update = (data: Omit<Extract<CustomerCommand, { type: 'UpdateContactDetails' }>['data'], 'customerId' | 'at'>): CustomerCommand => ({
    type: 'UpdateContactDetails',
    data: { customerId: A, ...data, at: t(5) },
  });

  it('records the changed fields only, and clears a field with null', () => {
    spec
      .given(registered(A))
      .when(update({ name: adaProfile.name, company: 'Babbage & Co', gender: null, birthday: null }))
      .then({ type: 'ContactDetailsUpdated', data: { customerId: A, company: 'Babbage & Co', gender: null, birthday: null, at: t(5) } });
  });

  it('changes the profile accordingly', () => {
    const { gender: _gender, ...withoutGender } = adaProfile;
    const emails = [{ address: 'ada@example.org', primary: true }];
    const state = fold(customerDecider, [
      registered(A),
      { type: 'ContactDetailsUpdated', data: { customerId: A, emails, gender: null, at: t(5) } },
    ]);
    expect(state).toMatchObject({ status: 'active', profile: { ...withoutGender, emails } });
    expect(state.status === 'active' && 'gender' in state.profile).toBe(false);
  });

  it('decides nothing when nothing changes', () => {
    spec.given(registered(A)).when(update({ emails: adaProfile.emails, company: adaProfile.company })).thenNothingHappened();
    spec.given(registered(A)).when(update({})).thenNothingHappened();
  });

  it('refuses contact details that break a profile rule', () => {
    spec.given(registered(A)).when(update({ emails: [{ address: 'x@example.com', primary: false }] })).thenThrows(hasCode('NO_PRIMARY_EMAIL'));
    spec.given(registered(A)).when(update({ birthday: '3000-01-01' })).thenThrows(hasCode('INVALID_BIRTHDAY'));
  });
});

describe('ChangeAddress', () => {
  const address: PostalAddress = { lines: ['Ockham Park'], city: 'Ockham', country: 'GB' };
  const change = (to: PostalAddress | null): CustomerCommand => ({ type: 'ChangeAddress', data: { customerId: A, address: to, at: t(5) } });

  it('changes and removes the address', () => {
    spec.given(registered(A)).when(change(address)).then({ type: 'AddressChanged', data: { customerId: A, address, at: t(5) } });
    spec.given(registered(A)).when(change(null)).then({ type: 'AddressChanged', data: { customerId: A, address: null, at: t(5) } });
  });

  it('decides nothing for the address it already has, or for removing none', () => {
    spec.given(registered(A)).when(change({ ...adaProfile.address! })).thenNothingHappened();
    spec
      .given(registered(A, { ...adaProfile, address: undefined }))
      .when(change(null))
      .thenNothingHappened();
  });
});

describe('TagCustomer and UntagCustomer', () => {
  const tag = (name: string): CustomerCommand => ({ type: 'TagCustomer', data: { customerId: A, tag: name, at: t(5) } });
  const untag = (name: string): CustomerCommand => ({ type: 'UntagCustomer', data: { customerId: A, tag: name, at: t(5) } });

  it('adds and removes a tag', () => {
    spec.given(registered(A)).when(tag('gold')).then({ type: 'CustomerTagged', data: { customerId: A, tag: 'gold', at: t(5) } });
    spec.given(registered(A)).when(untag('vip')).then({ type: 'CustomerUntagged', data: { customerId: A, tag: 'vip', at: t(5) } });
    spec.given(registered(A)).when(tag('gold')).thenState(fold(customerDecider, [registered(A, { ...adaProfile, tags: ['vip', 'gold'] })]));
  });

  it('decides nothing for a tag it has, or for removing one it has not', () => {
    spec.given(registered(A)).when(tag('vip')).thenNothingHappened();
    spec.given(registered(A)).when(untag('gold')).thenNothingHappened();
  });

  it(`refuses a tag beyond the ${MAX_TAGS}th`, () => {
    const full = registered(A, { ...adaProfile, tags: Array.from({ length: MAX_TAGS }, (_, i) => `tag-${i}`) });
    spec.given(full).when(tag('one-more')).thenThrows(CustomerRuleViolation, (e) => e.code === 'TAG_LIMIT' && e.details['limit'] === MAX_TAGS);
    spec.given(full).when(tag('tag-0')).thenNothingHappened();
  });
});

describe('DeactivateCustomer and ReactivateCustomer', () => {
  const deactivate: CustomerCommand = { type: 'DeactivateCustomer', data: { customerId: A, reason: 'asked to close the account', at: t(5) } };
  const reactivate: CustomerCommand = { type: 'ReactivateCustomer', data: { customerId: A, at: t(6) } };

  it('deactivates with a reason, and reactivates', () => {
    spec
      .given(registered(A))
      .when(deactivate)
      .then({ type: 'CustomerDeactivated', data: { customerId: A, reason: 'asked to close the account', at: t(5) } });
    spec.given([registered(A), deactivated]).when(reactivate).then({ type: 'CustomerReactivated', data: { customerId: A, at: t(6) } });
  });

  it('returns to the same state after reactivation', () => {
    spec.given([registered(A), deactivated]).when(reactivate).thenState(fold(customerDecider, [registered(A)]));
  });

  it('refuses to deactivate twice, or to reactivate an active customer', () => {
    spec.given([registered(A), deactivated]).when(deactivate).thenThrows(hasCode('ALREADY_DEACTIVATED'));
    spec.given(registered(A)).when(reactivate).thenThrows(hasCode('NOT_DEACTIVATED'));
  });
});

describe('How each status refuses commands', () => {
  const isNot = (...types: CustomerCommand['type'][]) => (command: CustomerCommand) => !types.includes(command.type);

  it.each(everyCommand(A).filter(isNot('RegisterCustomer')).map((c) => [commandName(c), c] as const))(
    'a new stream refuses %s as not found',
    (_, command) => {
      spec.when(command).thenThrows(CustomerNotFoundError, (e) => e.kind === 'not_found' && e.customerId === A);
    },
  );

  it.each(
    everyCommand(A)
      .filter((c) => ['UpdateContactDetails', 'ChangeAddress', 'TagCustomer', 'UntagCustomer', 'GiveConsent', 'AbsorbMerge', 'LinkLead'].includes(c.type))
      .map((c) => [commandName(c), c] as const),
  )('a deactivated customer refuses %s', (_, command) => {
    spec.given([registered(A), deactivated]).when(command).thenThrows(hasCode('CUSTOMER_INACTIVE'));
  });

  it.each(
    everyCommand(A)
      .filter(isNot('RegisterCustomer', 'Unmerge', 'EraseCustomer'))
      .map((c) => [commandName(c), c] as const),
  )('a merged customer refuses %s, naming the survivor', (_, command) => {
    spec
      .given([registered(A), mergedIntoB])
      .when(command)
      .thenThrows(CustomerMergedError, (e) => e.survivorId === B && e.details['survivorId'] === B);
  });

  it.each(everyCommand(A).filter(isNot('EraseCustomer')).map((c) => [commandName(c), c] as const))(
    'an erased customer refuses %s',
    (_, command) => {
      spec.given([registered(A), erased]).when(command).thenThrows(CustomerErasedError, (e) => e.code === 'CUSTOMER_ERASED');
    },
  );

  it('gives every error a code and an HTTP-neutral kind', () => {
    const errors: CustomerDomainError[] = [
      new CustomerNotFoundError(A),
      new CustomerAlreadyRegisteredError(A),
      new CustomerMergedError(A, B),
      new CustomerErasedError(A),
      new CustomerRuleViolation(A, 'TAG_LIMIT', 'too many'),
    ];
    expect(errors.map((e) => [e.name, e.code, e.kind])).toEqual([
      ['CustomerNotFoundError', 'CUSTOMER_NOT_FOUND', 'not_found'],
      ['CustomerAlreadyRegisteredError', 'CUSTOMER_ALREADY_REGISTERED', 'conflict'],
      ['CustomerMergedError', 'CUSTOMER_MERGED', 'rejected'],
      ['CustomerErasedError', 'CUSTOMER_ERASED', 'rejected'],
      ['CustomerRuleViolation', 'TAG_LIMIT', 'rejected'],
    ]);
  });

  it('ignores events it does not know, and events that do not fit the state', () => {
    const state: CustomerState = fold(customerDecider, [registered(A)]);
    expect(customerDecider.evolve(state, { type: 'CustomerRelocatedToMars', data: {} } as unknown as CustomerEvent)).toBe(state);
    expect(customerDecider.evolve({ status: 'new' }, deactivated)).toEqual({ status: 'new' });
  });
});
