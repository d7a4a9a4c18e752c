// Merging A (Augusta, a duplicate) into B (Ada), and undoing it with new events only.
import { fold } from '@crm/event-store';
import { A, adaProfile, after, augustaProfile, B, C, decided, eur, purchased, registered, spec, t } from './__fixtures__/customer.fixtures';
import type { AbsorbMerge, CustomerCommand, MergeSnapshot } from './customer.commands';
import { customerDecider } from './customer.decider';
import { CustomerRuleViolation, hasCode } from './customer.errors';
import type { CustomerEvent, CustomerMergeAbsorbed } from './customer.events';
import { mergeSnapshotOf } from './customer.merge';
import type { CustomerState, MergedCustomer } from './customer.state';
import type { MergeChoices } from './customer.values';

const historyOfA: CustomerEvent[] = [
  registered(A, augustaProfile, t(1)),
  purchased(A, 'order-a1', eur('500'), 5),
  { type: 'ConsentGiven', data: { customerId: A, channel: 'marketing', source: 'shop-till', at: t(6) } },
  { type: 'ConsentWithdrawn', data: { customerId: A, channel: 'email', source: 'unsubscribe-link', at: t(7) } },
];
const historyOfB: CustomerEvent[] = [
  registered(B, adaProfile, t(0)),
  { type: 'ConsentGiven', data: { customerId: B, channel: 'email', source: 'web-form', at: t(3) } },
  { type: 'ConsentGiven', data: { customerId: B, channel: 'sms', source: 'web-form', at: t(4) } },
  purchased(B, 'order-b1', eur('1999'), 8),
];

const markMerged: CustomerCommand = { type: 'MarkMergedInto', data: { customerId: A, survivorId: B, at: t(20) } };
const mergedIntoB: CustomerEvent = { type: 'CustomerMergedInto', data: { customerId: A, survivorId: B, at: t(20) } };
const mergedA = fold(customerDecider, [...historyOfA, mergedIntoB]) as MergedCustomer;
const snapshotOfA: MergeSnapshot = mergeSnapshotOf(mergedA);
const absorb = (fieldChoices?: Partial<MergeChoices>, merged = snapshotOfA): AbsorbMerge => ({
  type: 'AbsorbMerge',
  data: { customerId: B, merged, ...(fieldChoices && { fieldChoices }), at: t(21) },
});
const revert: CustomerCommand = { type: 'RevertMerge', data: { customerId: B, mergedId: A, at: t(30) } };
const unmerge: CustomerCommand = { type: 'Unmerge', data: { customerId: A, at: t(31) } };

const defaultChoices: MergeChoices = {
  name: 'survivor',
  emails: 'union',
  phones: 'union',
  address: 'survivor',
  birthday: 'survivor',
  gender: 'survivor',
  company: 'survivor',
  tags: 'union',
  acquisitionSource: 'survivor',
  customAttributes: 'union',
};

const absorbedWithDefaults: CustomerMergeAbsorbed = {
  type: 'CustomerMergeAbsorbed',
  data: {
    customerId: B,
    mergedId: A,
    fieldChoices: defaultChoices,
    changes: {
      emails: {
        previous: adaProfile.emails,
        value: [...adaProfile.emails, { address: 'augusta@example.org', primary: false }],
      },
      tags: { previous: ['vip'], value: ['vip', 'newsletter'] },
      customAttributes: {
        previous: adaProfile.customAttributes,
        value: [...adaProfile.customAttributes, { key: 'shoeSize', type: 'number', value: 38 }],
      },
    },
    consentChanges: {
      email: {
        previous: { status: 'given', source: 'web-form', at: t(3) },
        value: { status: 'withdrawn', source: 'unsubscribe-link', at: t(7) },
      },
      marketing: { previous: null, value: { status: 'given', source: 'shop-till', at: t(6) } },
    },
    purchasesCarriedOver: { 'order-a1': { amount: eur('500'), purchasedAt: t(5) } },
    at: t(21),
  },
};

describe('MarkMergedInto (on A)', () => {
  it('marks A merged, keeping its whole state for an unmerge', () => {
    spec.given(historyOfA).when(markMerged).then(mergedIntoB);
    spec.given(historyOfA).when(markMerged).thenState({
      status: 'merged',
      customerId: A,
      survivorId: B,
      mergedAt: t(20),
      beforeMerge: fold(customerDecider, historyOfA) as MergedCustomer['beforeMerge'],
    });
  });

  it('merges a deactivated customer too', () => {
    spec.given([...historyOfA, { type: 'CustomerDeactivated', data: { customerId: A, at: t(9) } }]).when(markMerged).then(mergedIntoB);
  });

  it('decides nothing when A is already merged into the same survivor', () => {
    spec.given([...historyOfA, mergedIntoB]).when(markMerged).thenNothingHappened();
  });

  it('refuses to merge a customer into itself, or into a second survivor', () => {
    const into = (survivorId: string): CustomerCommand => ({ type: 'MarkMergedInto', data: { customerId: A, survivorId, at: t(22) } });
    spec.given(historyOfA).when(into(A)).thenThrows(hasCode('CANNOT_MERGE_INTO_SELF'));
    spec.given([...historyOfA, mergedIntoB]).when(into(C)).thenThrows(hasCode('CUSTOMER_MERGED'));
  });
});

describe('AbsorbMerge (on B)', () => {
  it('records the choices, every change with its previous value, the consents and the orders it takes', () => {
    spec.given(historyOfB).when(absorb()).then(absorbedWithDefaults);
  });

  it('makes B count A purchases and take the later consent decisions', () => {
    const state = fold(customerDecider, [...historyOfB, absorbedWithDefaults]);
    expect(state).toMatchObject({
      status: 'active',
      purchases: { count: 2, totals: { EUR: '2499' }, lastPurchaseAt: t(8) },
      consents: {
        email: { status: 'withdrawn', at: t(7) },
        sms: { status: 'given', at: t(4) },
        marketing: { status: 'given', at: t(6) },
      },
      absorbed: { [A]: { at: t(21) } },
    });
  });

  it('takes the fields chosen from A, clearing those A does not have', () => {
    const [event] = decided(historyOfB, absorb({ name: 'merged', address: 'merged', emails: 'survivor', tags: 'merged' }));
    expect(event).toMatchObject({
      type: 'CustomerMergeAbsorbed',
      data: {
        fieldChoices: { ...defaultChoices, name: 'merged', address: 'merged', emails: 'survivor', tags: 'merged' },
        changes: {
          name: { previous: adaProfile.name, value: augustaProfile.name },
          address: { previous: adaProfile.address, value: null },
          tags: { previous: ['vip'], value: ['newsletter'] },
        },
      },
    });
    expect((event as CustomerMergeAbsorbed).data.changes.emails).toBeUndefined();
  });

  it('fills what B lacks from A by default, and keeps A primary contact when B has none', () => {
    const bare = registered(B, { name: { given: 'Ada' }, emails: [], phones: [], tags: [], customAttributes: [] }, t(0));
    const [event] = decided([bare], absorb());
    expect(event).toMatchObject({
      data: {
        fieldChoices: { name: 'survivor', birthday: 'merged', acquisitionSource: 'merged', address: 'survivor' },
        changes: { emails: { previous: [], value: augustaProfile.emails }, birthday: { previous: null, value: '1815-12-10' } },
      },
    });
  });

  it('lets a withdrawal win over a consent given at the same instant', () => {
    const givenAtSeven: CustomerEvent = { type: 'ConsentGiven', data: { customerId: B, channel: 'email', source: 'web-form', at: t(7) } };
    const [event] = decided([...historyOfB, givenAtSeven], absorb());
    expect((event as CustomerMergeAbsorbed).data.consentChanges.email?.value.status).toBe('withdrawn');
  });

  it('decides nothing when B already absorbed A', () => {
    spec.given([...historyOfB, absorbedWithDefaults]).when(absorb()).thenNothingHappened();
  });

  it('refuses to absorb itself, a choice that does not fit the field, or a union beyond the tag limit', () => {
    spec.given(historyOfB).when(absorb(undefined, { ...snapshotOfA, customerId: B })).thenThrows(hasCode('CANNOT_MERGE_INTO_SELF'));
    spec
      .given(historyOfB)
      .when(absorb({ name: 'union' }))
      .thenThrows(CustomerRuleViolation, (e) => e.code === 'INVALID_MERGE_CHOICE' && e.details['field'] === 'name');
    const manyTags = { ...snapshotOfA, profile: { ...snapshotOfA.profile, tags: Array.from({ length: 50 }, (_, i) => `t${i}`) } };
    spec.given(historyOfB).when(absorb(undefined, manyTags)).thenThrows(hasCode('TAG_LIMIT'));
    expect(decided(historyOfB, absorb({ tags: 'merged' }, manyTags))).toHaveLength(1);
  });
});

describe('Unmerge (on A) and RevertMerge (on B)', () => {
  const mergedB = [...historyOfB, absorbedWithDefaults];

  it('reverts B by putting back the values the merge changed', () => {
    spec
      .given(mergedB)
      .when(revert)
      .then({
        type: 'CustomerMergeReverted',
        data: {
          customerId: B,
          mergedId: A,
          restored: { emails: adaProfile.emails, tags: ['vip'], customAttributes: adaProfile.customAttributes },
          keptFields: [],
          consentsRestored: { email: { status: 'given', source: 'web-form', at: t(3) }, marketing: null },
          consentsKept: [],
          purchasesRemoved: ['order-a1'],
          at: t(30),
        },
      });
  });

  it('unmerges A', () => {
    spec.given([...historyOfA, mergedIntoB]).when(unmerge).then({ type: 'CustomerUnmerged', data: { customerId: A, survivorId: B, at: t(31) } });
  });

  it('returns both customers exactly to their state before the merge', () => {
    spec.given(mergedB).when(revert).thenState(fold(customerDecider, historyOfB));
    spec.given([...historyOfA, mergedIntoB]).when(unmerge).thenState(fold(customerDecider, historyOfA));
  });

  it('round-trips through the whole process, with chosen fields too', () => {
    for (const choices of [undefined, { name: 'merged', address: 'merged', birthday: 'merged', tags: 'merged' } as const]) {
      const a = after(historyOfA, markMerged);
      const snapshot = mergeSnapshotOf(fold(customerDecider, a) as MergedCustomer);
      const b = after(after(historyOfB, absorb(choices, snapshot)), revert);
      expect(fold(customerDecider, b)).toEqual(fold(customerDecider, historyOfB));
      expect(fold(customerDecider, after(a, unmerge))).toEqual(fold(customerDecider, historyOfA));
    }
  });

  it('keeps what changed on B after the merge', () => {
    const later: CustomerEvent[] = [
      { type: 'CustomerTagged', data: { customerId: B, tag: 'mathematician', at: t(22) } },
      { type: 'ConsentGiven', data: { customerId: B, channel: 'email', source: 'agent', at: t(23) } },
      purchased(B, 'order-b2', eur('100'), 24),
    ];
    const [event] = decided([...mergedB, ...later], revert);
    expect(event).toMatchObject({
      data: {
        restored: { emails: adaProfile.emails, customAttributes: adaProfile.customAttributes },
        keptFields: ['tags'],
        consentsRestored: { marketing: null },
        consentsKept: ['email'],
        purchasesRemoved: ['order-a1'],
      },
    });
    const state = fold(customerDecider, [...mergedB, ...later, event!]) as CustomerState & { status: 'active' };
    expect(state.profile.tags).toEqual(['vip', 'newsletter', 'mathematician']);
    expect(state.consents.email).toEqual({ status: 'given', source: 'agent', at: t(23) });
    expect(state.purchases).toMatchObject({ count: 2, totals: { EUR: '2099' }, lastPurchaseAt: t(24) });
    expect(state.absorbed).toEqual({});
  });

  it('reverts on a deactivated survivor', () => {
    const deactivatedB: CustomerEvent = { type: 'CustomerDeactivated', data: { customerId: B, at: t(25) } };
    spec.given([...mergedB, deactivatedB]).when(revert).then(decided(mergedB, revert));
  });

  it('refuses to unmerge a customer that is not merged, or to revert a merge B did not absorb', () => {
    spec.given(historyOfA).when(unmerge).thenThrows(CustomerRuleViolation, (e) => e.code === 'NOT_MERGED');
    spec.given(after([...historyOfA, mergedIntoB], unmerge)).when(unmerge).thenThrows(hasCode('NOT_MERGED'));
    spec.given(historyOfB).when(revert).thenThrows(CustomerRuleViolation, (e) => e.code === 'NOT_MERGED' && e.details['mergedId'] === A);
    spec.given(after(mergedB, revert)).when(revert).thenThrows(hasCode('NOT_MERGED'));
  });

  it('refuses to revert on a survivor that was merged on in turn', () => {
    const bIntoC: CustomerEvent = { type: 'CustomerMergedInto', data: { customerId: B, survivorId: C, at: t(25) } };
    spec.given([...mergedB, bIntoC]).when(revert).thenThrows(hasCode('CUSTOMER_MERGED'));
  });
});
