// Purchases (idempotent by order id, totals per currency) and consent per channel.
import { fold } from '@crm/event-store';
import { A, after, decided, eur, purchased, registered, spec, t } from './__fixtures__/customer.fixtures';
import type { CustomerCommand, RecordPurchase } from './customer.commands';
import { customerDecider } from './customer.decider';
import { CustomerRuleViolation, hasCode } from './customer.errors';
import type { CustomerEvent } from './customer.events';
import type { ConsentChannel, Money, PurchaseItem } from './customer.values';

const deactivated: CustomerEvent = { type: 'CustomerDeactivated', data: { customerId: A, at: t(1) } };

describe('RecordPurchase', () => {
  const items: PurchaseItem[] = [
    { sku: 'BOOK-1', name: 'Sketch of the Analytical Engine', quantity: 2, unitPrice: eur('1250') },
    { sku: 'PEN-7', name: 'Fountain pen', quantity: 1, unitPrice: eur('499') },
  ];
  const record = (orderId: string, amount: Money = eur('2999'), minute = 10, lineItems: PurchaseItem[] = items): RecordPurchase => ({
    type: 'RecordPurchase',
    data: { customerId: A, orderId, amount, items: lineItems, purchasedAt: t(minute), at: t(minute + 1) },
  });

  it('records the purchase with its items and the time it was made', () => {
    spec
      .given(registered(A))
      .when(record('order-1'))
      .then({
        type: 'PurchaseRecorded',
        data: { customerId: A, orderId: 'order-1', amount: eur('2999'), items, purchasedAt: t(10), recordedAt: t(11) },
      });
  });

  it('keeps the count, the totals per currency and the last purchase time', () => {
    const state = fold(customerDecider, [
      registered(A),
      purchased(A, 'order-1', eur('1999'), 20),
      purchased(A, 'order-2', { minor: '500', currency: 'GBP' }, 10),
      purchased(A, 'order-3', eur('1'), 15),
    ]);
    expect(state).toMatchObject({
      purchases: { count: 3, totals: { EUR: '2000', GBP: '500' }, lastPurchaseAt: t(20) },
    });
  });

  it('sums amounts beyond the safe integers without losing a cent', () => {
    const huge = eur('9007199254740993');
    const state = fold(customerDecider, after([registered(A), purchased(A, 'order-1', huge, 10)], record('order-2', huge, 11, [])));
    expect(state).toMatchObject({ purchases: { count: 2, totals: { EUR: '18014398509481986' } } });
  });

  it('is idempotent by order id, whatever the rest of the command says', () => {
    const given = [registered(A), purchased(A, 'order-1', eur('1999'), 7)];
    spec.given(given).when(record('order-1')).thenNothingHappened();
    spec.given(given).when(record('order-1', eur('5'), 30)).thenNothingHappened();
    spec.given(given).when(record('order-2')).then(decided([registered(A)], record('order-2')));
  });

  it('counts an order once even if its event was stored twice', () => {
    const state = fold(customerDecider, [registered(A), purchased(A, 'order-1', eur('1999'), 7), purchased(A, 'order-1', eur('1999'), 7)]);
    expect(state).toMatchObject({ purchases: { count: 1, totals: { EUR: '1999' } } });
  });

  it('records the purchases of a deactivated customer: they are facts reported by the shop', () => {
    spec.given([registered(A), deactivated]).when(record('order-1')).then(decided([registered(A)], record('order-1')));
  });

  it('does not mistake an inherited property for a recorded order', () => {
    spec.given(registered(A)).when(record('constructor')).then(decided([registered(A)], record('constructor')));
    spec.given([registered(A), purchased(A, '__proto__', eur('1'), 7)]).when(record('__proto__')).thenNothingHappened();
  });

  const invalid: [string, RecordPurchase, string][] = [
    ['a negative amount', record('o', eur('-100')), 'INVALID_AMOUNT'],
    ['a fractional amount', record('o', eur('10.50')), 'INVALID_AMOUNT'],
    ['an amount without a currency code', record('o', { minor: '100', currency: 'euro' }), 'INVALID_AMOUNT'],
    ['an item priced in fractions', record('o', eur('100'), 10, [{ ...items[0]!, unitPrice: eur('1.5') }]), 'INVALID_AMOUNT'],
    ['an item in another currency', record('o', eur('100'), 10, [{ ...items[0]!, unitPrice: { minor: '1', currency: 'USD' } }]), 'CURRENCY_MISMATCH'],
    ['a quantity of zero', record('o', eur('100'), 10, [{ ...items[0]!, quantity: 0 }]), 'INVALID_QUANTITY'],
    ['a fractional quantity', record('o', eur('100'), 10, [{ ...items[0]!, quantity: 1.5 }]), 'INVALID_QUANTITY'],
  ];
  it.each(invalid)('refuses %s', (_, command, code) => {
    spec.given(registered(A)).when(command).thenThrows(CustomerRuleViolation, (e) => e.code === code);
  });
});

describe('GiveConsent and WithdrawConsent', () => {
  const give = (channel: ConsentChannel, minute = 10): CustomerCommand => ({
    type: 'GiveConsent',
    data: { customerId: A, channel, source: 'web-form', at: t(minute) },
  });
  const withdraw = (channel: ConsentChannel, minute = 10): CustomerCommand => ({
    type: 'WithdrawConsent',
    data: { customerId: A, channel, source: 'unsubscribe-link', at: t(minute) },
  });
  const given = (channel: ConsentChannel, minute = 5): CustomerEvent => ({
    type: 'ConsentGiven',
    data: { customerId: A, channel, source: 'web-form', at: t(minute) },
  });
  const withdrawn = (channel: ConsentChannel, minute = 6): CustomerEvent => ({
    type: 'ConsentWithdrawn',
    data: { customerId: A, channel, source: 'unsubscribe-link', at: t(minute) },
  });

  it('gives consent on a channel, with its source and time', () => {
    spec.given(registered(A)).when(give('email')).then(given('email', 10));
    spec.given([registered(A), withdrawn('sms')]).when(give('sms')).then(given('sms', 10));
  });

  it('keeps the last decision per channel', () => {
    const state = fold(customerDecider, [registered(A), given('email', 1), given('sms', 2), withdrawn('email', 3)]);
    expect(state).toMatchObject({
      consents: {
        email: { status: 'withdrawn', source: 'unsubscribe-link', at: t(3) },
        sms: { status: 'given', source: 'web-form', at: t(2) },
      },
    });
  });

  it('decides nothing for a consent already given, or a refusal already recorded', () => {
    spec.given([registered(A), given('email')]).when(give('email')).thenNothingHappened();
    spec.given([registered(A), withdrawn('marketing')]).when(withdraw('marketing')).thenNothingHappened();
  });

  it('withdraws a given consent, and records a refusal on a channel never consented to', () => {
    spec.given([registered(A), given('phone')]).when(withdraw('phone')).then(withdrawn('phone', 10));
    spec.given(registered(A)).when(withdraw('marketing')).then(withdrawn('marketing', 10));
  });

  it('takes a withdrawal from a deactivated customer, but no new consent', () => {
    spec.given([registered(A), given('email'), deactivated]).when(withdraw('email')).then(withdrawn('email', 10));
    spec.given([registered(A), deactivated]).when(give('email')).thenThrows(hasCode('CUSTOMER_INACTIVE'));
  });
});
