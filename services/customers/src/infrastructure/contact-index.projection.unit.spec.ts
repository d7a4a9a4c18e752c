// The contact index projection, event by event: whole lists replace a kind of rows; shredded values change nothing.
import { fold } from '@crm/event-store';
import { customerDecider, mergeSnapshotOf, type CustomerEvent, type MergedCustomer } from '../domain';
import { A, after, augustaProfile, B, registered, t } from '../domain/__fixtures__/customer.fixtures';
import { contactIndexChanges } from './contact-index.projection';
import { CustomerEventCodec } from './customer-event-codec';

const aMerged = after([registered(A, augustaProfile, t(1))], { type: 'MarkMergedInto', data: { customerId: A, survivorId: B, at: t(20) } });
const absorbed = after([registered(B)], {
  type: 'AbsorbMerge',
  data: { customerId: B, merged: mergeSnapshotOf(fold(customerDecider, aMerged) as MergedCustomer), at: t(21) },
});
const reverted = after(absorbed, { type: 'RevertMerge', data: { customerId: B, mergedId: A, at: t(22) } });

describe('contactIndexChanges', () => {
  it('indexes a registration by its emails and phones', () => {
    expect(contactIndexChanges(registered(A))).toEqual([
      { op: 'replace', customerId: A, kind: 'email', values: ['ada@example.com'] },
      { op: 'replace', customerId: A, kind: 'phone', values: ['+441632960001'] },
    ]);
  });

  it('replaces only the lists an update carries', () => {
    const update: CustomerEvent = { type: 'ContactDetailsUpdated', data: { customerId: A, phones: [], company: null, at: t(2) } };
    expect(contactIndexChanges(update)).toEqual([{ op: 'replace', customerId: A, kind: 'phone', values: [] }]);
  });

  it('gives the survivor the united lists of a merge, and its own back on a revert', () => {
    expect(contactIndexChanges(absorbed[1]!)).toEqual([
      { op: 'replace', customerId: B, kind: 'email', values: ['ada@example.com', 'augusta@example.org'] },
    ]);
    expect(contactIndexChanges(reverted[2]!)).toEqual([{ op: 'replace', customerId: B, kind: 'email', values: ['ada@example.com'] }]);
  });

  it('removes an erased customer, and ignores values shredded by an erasure', () => {
    const erased: CustomerEvent = { type: 'CustomerErased', data: { customerId: A, reason: 'data_subject_request', linkedCustomerIds: [], erasedAt: t(40) } };
    expect(contactIndexChanges(erased)).toEqual([{ op: 'remove', customerId: A }]);
    expect(contactIndexChanges(CustomerEventCodec.shredded(registered(A)))).toEqual([]);
    expect(contactIndexChanges({ type: 'CustomerTagged', data: { customerId: A, tag: 'vip', at: t(3) } })).toEqual([]);
  });
});
