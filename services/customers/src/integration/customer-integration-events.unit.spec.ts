// Mapping internal events to crm.customer.*.v1: given a customer's history, when each event is mapped with the
// states around it, then every integration event satisfies its contract, and nothing personal is produced once
// the customer's data is erased.
import { validate } from '@crm/contracts';
import { fold } from '@crm/event-store';
import { A, adaProfile, after, augustaProfile, B, eur, LEAD, purchased, registered, t } from '../domain/__fixtures__/customer.fixtures';
import { customerDecider } from '../domain/customer.decider';
import { CustomerEventCodec } from '../infrastructure/customer-event-codec';
import { evolve, initialState, type CustomerEvent, type CustomerState } from '../domain';
import { integrationEventsOf } from './customer-integration-events';

/** Maps a stream's events in order, folding as the relay does. */
function mapStream(events: readonly CustomerEvent[], personalDataErased = false) {
  let state: CustomerState = initialState();
  return events.map((event) => {
    const before = state;
    state = evolve(state, event);
    return integrationEventsOf(event, { before, after: state, personalDataErased });
  });
}

const historyOfA: CustomerEvent[] = [registered(A, augustaProfile, t(1)), purchased(A, 'order-a1', eur('500'), 5)];
let historyOfB: CustomerEvent[] = [
  registered(B, adaProfile, t(0)),
  { type: 'ContactDetailsUpdated', data: { customerId: B, company: 'Babbage & Co', at: t(2) } },
  { type: 'ContactDetailsUpdated', data: { customerId: B, birthday: '1815-12-11', at: t(2) } },
  { type: 'AddressChanged', data: { customerId: B, address: { lines: ['1 Dorset St'], city: 'Bath', country: 'GB' }, at: t(3) } },
  { type: 'CustomerTagged', data: { customerId: B, tag: 'b2b', at: t(3) } },
  { type: 'ConsentGiven', data: { customerId: B, channel: 'email', source: 'web-form', at: t(4) } },
  purchased(B, 'order-b1', eur('1999'), 8),
  { type: 'CustomerDeactivated', data: { customerId: B, reason: 'moved abroad', at: t(9) } },
  { type: 'CustomerReactivated', data: { customerId: B, at: t(10) } },
];

describe('integrationEventsOf', () => {
  it('maps a customer life to valid integration events, and leaves out changes subscribers do not get', () => {
    const mapped = mapStream(historyOfB);
    expect(mapped.map((events) => events.map((e) => e.type))).toEqual([
      ['crm.customer.registered.v1'],
      ['crm.customer.contact-details-updated.v1'],
      [], // the birthday is not in the contract
      ['crm.customer.address-changed.v1'],
      ['crm.customer.tagged.v1'],
      ['crm.customer.consent-given.v1'],
      ['crm.customer.purchase-recorded.v1'],
      ['crm.customer.deactivated.v1'],
      ['crm.customer.reactivated.v1'],
    ]);
    for (const event of mapped.flat()) expect({ type: event.type, result: validate(event.type, event.payload) }).toMatchObject({ result: { ok: true } });
    expect(mapped[1]![0]!.payload).toEqual({
      customerId: B,
      contact: { name: { fullName: 'Ada Lovelace', givenName: 'Ada', familyName: 'Lovelace' }, email: 'ada@example.com', phone: '+441632960001', company: 'Babbage & Co' },
    });
    expect(mapped[6]![0]!.payload).toMatchObject({ amount: { amount: '19.99', currency: 'EUR' }, purchaseCount: 1 });
    expect(JSON.stringify(mapped)).not.toMatch(/moved abroad|St James|Dorset|1815|gold/);
  });

  it('maps a merge and its revert to the merged and unmerged events and the survivor’s changed fields', () => {
    const markA: CustomerEvent = { type: 'CustomerMergedInto', data: { customerId: A, survivorId: B, at: t(20) } };
    const mergedA = fold(customerDecider, [...historyOfA, markA]);
    if (mergedA.status !== 'merged') throw new Error('A is not merged');
    historyOfB = after(historyOfB, {
      type: 'AbsorbMerge',
      data: { customerId: B, merged: { customerId: A, profile: mergedA.beforeMerge.profile, consents: {}, orders: mergedA.beforeMerge.purchases.orders }, fieldChoices: { name: 'merged' }, at: t(21) },
    });
    historyOfB = after(historyOfB, { type: 'RevertMerge', data: { customerId: B, mergedId: A, at: t(30) } });
    const historyOfAAfter = after([...historyOfA, markA], { type: 'Unmerge', data: { customerId: A, at: t(31) } });

    const onB = mapStream(historyOfB).slice(-2);
    const onA = mapStream(historyOfAAfter).slice(-2);
    expect(onA.map((events) => events.map((e) => e.type))).toEqual([['crm.customer.merged.v1'], ['crm.customer.unmerged.v1', 'crm.customer.contact-details-updated.v1']]);
    expect(onB[0]!.map((e) => e.type)).toEqual(['crm.customer.contact-details-updated.v1', 'crm.customer.tagged.v1']); // A's name chosen, its tag joined
    expect(onB[1]!.map((e) => e.type)).toEqual(['crm.customer.contact-details-updated.v1', 'crm.customer.untagged.v1']);
    for (const event of [...onA, ...onB].flat()) expect(validate(event.type, event.payload).ok).toBe(true);
  });

  it('once the key is destroyed, publishes the erasure and non-personal facts only', () => {
    const erased: CustomerEvent = { type: 'CustomerErased', data: { customerId: B, reason: 'data_subject_request', linkedCustomerIds: [], erasedAt: t(40) } };
    // What the relay reads after the erasure: every personal value left out.
    const shredded = [...historyOfB, erased].map((event) => CustomerEventCodec.shredded(event));
    const mapped = mapStream(shredded, true).flat();
    expect([...new Set(mapped.map((e) => e.type))].sort()).toEqual(
      [
        'crm.customer.consent-given.v1',
        'crm.customer.deactivated.v1',
        'crm.customer.erased.v1',
        'crm.customer.purchase-recorded.v1',
        'crm.customer.reactivated.v1',
        'crm.customer.tagged.v1',
        'crm.customer.untagged.v1',
      ].sort(),
    );
    for (const event of mapped) expect(validate(event.type, event.payload).ok).toBe(true);
    expect(JSON.stringify(mapped)).not.toMatch(/Ada|Lovelace|ada@example|\+44|London|Bath|Analytical|Babbage|augusta/i);
  });

  it('maps a registration from a lead with its leadId, and a linked lead to crm.customer.lead-linked.v1, also once erased', () => {
    const fromLead: CustomerEvent = { ...registered(A, adaProfile, t(0)), data: { ...registered(A, adaProfile, t(0)).data, leadId: LEAD } };
    const link: CustomerEvent = { type: 'CustomerLeadLinked', data: { customerId: B, leadId: LEAD, at: t(1) } };
    const [[registration]] = mapStream([fromLead]);
    expect(registration).toMatchObject({ type: 'crm.customer.registered.v1', payload: { customerId: A, leadId: LEAD } });
    expect(mapStream([registered(A)])[0]![0]!.payload).not.toHaveProperty('leadId');
    const linkedEvents = [...mapStream([registered(B), link])[1]!, ...mapStream([registered(B), link].map((e) => CustomerEventCodec.shredded(e)), true)[1]!];
    expect(linkedEvents).toEqual([
      { type: 'crm.customer.lead-linked.v1', payload: { customerId: B, leadId: LEAD } },
      { type: 'crm.customer.lead-linked.v1', payload: { customerId: B, leadId: LEAD } },
    ]);
    for (const event of [registration!, ...linkedEvents]) expect(validate(event.type, event.payload)).toMatchObject({ ok: true });
  });
});
