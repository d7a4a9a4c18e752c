// Erasure: the event, the non-personal history it keeps, and the personal-data map used for crypto-shredding.
import { fold, type JsonData } from '@crm/event-store';
import { A, adaProfile, after, augustaProfile, B, eur, lifeOfAda, purchased, registered, spec, t } from './__fixtures__/customer.fixtures';
import type { CustomerCommand } from './customer.commands';
import { customerDecider } from './customer.decider';
import type { CustomerErased, CustomerEvent } from './customer.events';
import { mergeSnapshotOf } from './customer.merge';
import { mapPersonalData, PERSONAL_FIELDS } from './customer.personal-data';
import type { MergedCustomer } from './customer.state';

const erase = (customerId = A, requestedBy?: string): CustomerCommand => ({
  type: 'EraseCustomer',
  data: { customerId, reason: 'data_subject_request', ...(requestedBy && { requestedBy }), at: t(40) },
});
const erasedEvent = (customerId: string, linkedCustomerIds: string[] = []): CustomerErased => ({
  type: 'CustomerErased',
  data: { customerId, reason: 'data_subject_request', linkedCustomerIds, erasedAt: t(40) },
});

// B absorbs A, reverts, absorbs it again: every merge event, with both people's data in B's stream.
const historyOfA: CustomerEvent[] = [registered(A, augustaProfile, t(1)), purchased(A, 'order-a1', eur('500'), 5)];
const aMerged = after(historyOfA, { type: 'MarkMergedInto', data: { customerId: A, survivorId: B, at: t(20) } });
const absorbA: CustomerCommand = {
  type: 'AbsorbMerge',
  data: { customerId: B, merged: mergeSnapshotOf(fold(customerDecider, aMerged) as MergedCustomer), fieldChoices: { name: 'merged' }, at: t(21) },
};
const revertA: CustomerCommand = { type: 'RevertMerge', data: { customerId: B, mergedId: A, at: t(22) } };
const historyOfB = after(after(after([registered(B), purchased(B, 'order-b1', eur('1999'), 8)], absorbA), revertA), absorbA);

describe('EraseCustomer', () => {
  it('erases a customer, naming who asked, and keeps only the purchase summary', () => {
    spec.given(lifeOfAda()).when(erase(A, 'operator-17')).then({ ...erasedEvent(A), data: { ...erasedEvent(A).data, requestedBy: 'operator-17' } });
    spec.given(lifeOfAda()).when(erase()).thenState({
      status: 'erased',
      customerId: A,
      registeredAt: t(0),
      erasedAt: t(40),
      purchases: { count: 1, totals: { EUR: '1999' }, lastPurchaseAt: t(7) },
    });
  });

  it('erases a deactivated customer', () => {
    spec.given([registered(A), { type: 'CustomerDeactivated', data: { customerId: A, at: t(1) } }]).when(erase()).then(erasedEvent(A));
  });

  it('names the same person other customers: the survivor of a merged one, the absorbed ones of a survivor', () => {
    spec.given(aMerged).when(erase(A)).then(erasedEvent(A, [B]));
    spec.given(historyOfB).when(erase(B)).then(erasedEvent(B, [A]));
    spec.given(after(historyOfB, revertA)).when(erase(B)).then(erasedEvent(B));
  });

  it('keeps the merged customer own purchases, marked as counted on the survivor too', () => {
    spec.given(aMerged).when(erase(A)).thenState({
      status: 'erased',
      customerId: A,
      registeredAt: t(1),
      erasedAt: t(40),
      purchases: { count: 1, totals: { EUR: '500' }, lastPurchaseAt: t(5) },
      mergedInto: B,
    });
  });

  it('decides nothing when the customer is already erased', () => {
    spec.given([...lifeOfAda(), erasedEvent(A)]).when(erase()).thenNothingHappened();
  });
});

describe('PERSONAL_FIELDS and mapPersonalData', () => {
  const unmerged: CustomerEvent = { type: 'CustomerUnmerged', data: { customerId: A, survivorId: B, at: t(23) } };
  const stream = (): CustomerEvent[] => [...lifeOfAda(), ...historyOfB, ...aMerged, unmerged, erasedEvent(A)];
  const personalValues = [
    'Ada',
    'Lovelace',
    'Augusta',
    'King',
    'ada@example.com',
    'augusta@example.org',
    '+44163296000',
    'St James',
    'Ockham',
    '1815-12-10',
    'female',
    'Analytical Engines',
    'gold',
    'silver',
    '38',
  ];
  const shred = (event: CustomerEvent) => mapPersonalData(event, () => undefined) as CustomerEvent;

  it('is given an example of every event type here', () => {
    expect(new Set(stream().map((e) => e.type))).toEqual(new Set(Object.keys(PERSONAL_FIELDS)));
  });

  it('covers every personal value: none is left once they are shredded', () => {
    const clear = JSON.stringify(stream());
    for (const value of personalValues) expect(clear).toContain(value);
    const shredded = JSON.stringify(stream().map(shred));
    for (const value of personalValues) expect(shredded).not.toContain(value);
  });

  it('leaves non-personal data in clear', () => {
    const shredded = JSON.stringify(stream().map(shred));
    for (const value of ['mathematician', 'vip', 'order-a1', '1999', 'loyaltyTier', 'shoeSize', 'referral', 'call-centre', A, B]) {
      expect(shredded).toContain(value);
    }
  });

  it('encrypts each value with the key of the person it belongs to', () => {
    const subjects = new Map<string, Set<string>>();
    for (const event of historyOfB) {
      mapPersonalData(event, (value, subjectId, path) => {
        subjects.set(`${event.type} ${path}`, (subjects.get(`${event.type} ${path}`) ?? new Set()).add(subjectId));
        return value;
      });
    }
    expect(subjects.get('CustomerRegistered name')).toEqual(new Set([B]));
    expect(subjects.get('CustomerMergeAbsorbed changes.name.previous')).toEqual(new Set([B]));
    expect(subjects.get('CustomerMergeAbsorbed changes.name.value')).toEqual(new Set([A]));
    expect(subjects.get('CustomerMergeAbsorbed changes.customAttributes.value.*.value')).toEqual(new Set([A]));
    expect(subjects.get('CustomerMergeReverted restored.name')).toEqual(new Set([B]));
  });

  it('round-trips through encryption and decryption, and leaves cleared fields alone', () => {
    const encrypt = (value: JsonData, subjectId: string): JsonData => `enc:${subjectId}:${JSON.stringify(value)}`;
    const decrypt = (value: JsonData, subjectId: string): JsonData => {
      const prefix = `enc:${subjectId}:`;
      if (typeof value !== 'string' || !value.startsWith(prefix)) throw new Error(`not encrypted with ${subjectId}: ${String(value)}`);
      return JSON.parse(value.slice(prefix.length)) as JsonData;
    };
    for (const event of stream()) {
      const before = JSON.stringify(event);
      const encrypted = mapPersonalData(event, encrypt);
      expect(mapPersonalData(encrypted as CustomerEvent, decrypt)).toEqual(event);
      expect(JSON.stringify(event)).toBe(before);
    }
    const update = lifeOfAda()[1]!;
    expect(mapPersonalData(update, encrypt).data['gender']).toBeNull();
    expect(update.data).toMatchObject({ phones: [{ e164: '+441632960002' }] });
  });

  it('folds a shredded stream into the same erased state as the clear one', () => {
    const streams = [
      [...lifeOfAda(), erasedEvent(A)],
      [...historyOfB, erasedEvent(B, [A])],
      [...after(historyOfB, revertA), erasedEvent(B)],
      [...aMerged, erasedEvent(A, [B])],
      [registered(A, adaProfile), erasedEvent(A)],
    ];
    for (const events of streams) {
      const clear = fold(customerDecider, events);
      expect(clear.status).toBe('erased');
      expect(fold(customerDecider, events.map(shred))).toEqual(clear);
      expect(JSON.stringify(clear)).not.toMatch(/Ada|Augusta|example\.|\+44/);
    }
  });
});
