// Converted sales leads: a customer registered from a lead carries its id; a lead linked to an existing customer
// is recorded once per lead; a customer that cannot take new business refuses the link.
import { fold } from '@crm/event-store';
import { A, adaProfile, B, LEAD, register, registered, spec, t } from './__fixtures__/customer.fixtures';
import type { LinkLead } from './customer.commands';
import { customerDecider } from './customer.decider';
import { CustomerErasedError, CustomerMergedError, CustomerNotFoundError, hasCode } from './customer.errors';
import type { CustomerEvent } from './customer.events';
import { PERSONAL_FIELDS } from './customer.personal-data';

const OTHER_LEAD = '1ead1ead-0000-4000-8000-000000000002';
const link = (leadId = LEAD, customerId = A): LinkLead => ({ type: 'LinkLead', data: { customerId, leadId, at: t(5) } });
const linked = (leadId = LEAD, customerId = A): CustomerEvent => ({ type: 'CustomerLeadLinked', data: { customerId, leadId, at: t(5) } });
const registeredFromLead: CustomerEvent = { type: 'CustomerRegistered', data: { customerId: A, ...adaProfile, registeredAt: t(0), leadId: LEAD } };

describe('RegisterCustomer from a converted lead', () => {
  it('carries the lead id into CustomerRegistered, and the state remembers the lead', () => {
    spec.when(register({ leadId: LEAD })).then([registeredFromLead]);
    const state = fold(customerDecider, [registeredFromLead]);
    expect(state).toMatchObject({ status: 'active', leadIds: [LEAD] });
  });

  it('leaves the lead id out when the registration has none, so other registrations stay as they were', () => {
    spec.when(register()).then([registered(A)]);
    expect(fold(customerDecider, [registered(A)])).not.toHaveProperty('leadIds');
  });
});

describe('LinkLead', () => {
  it('links a lead to an active customer', () => {
    spec.given(registered(A)).when(link()).then([linked()]);
    const before = fold(customerDecider, [registered(A)]);
    if (before.status !== 'active') throw new Error('A is not active');
    spec.given(registered(A)).when(link()).thenState({ ...before, leadIds: [LEAD] });
  });

  it('is idempotent by lead: a lead linked before, or the one the customer came from, links nothing new', () => {
    spec.given([registered(A), linked()]).when(link()).thenNothingHappened();
    spec.given(registeredFromLead).when(link()).thenNothingHappened();
  });

  it('links a second lead beside the first', () => {
    spec.given([registered(A), linked()]).when(link(OTHER_LEAD)).then([linked(OTHER_LEAD)]);
    const state = fold(customerDecider, [registered(A), linked(), linked(OTHER_LEAD), linked()]);
    expect(state).toMatchObject({ leadIds: [LEAD, OTHER_LEAD] });
  });

  it('refuses an unknown, deactivated, merged or erased customer', () => {
    spec.when(link()).thenThrows(CustomerNotFoundError);
    spec.given([registered(A), { type: 'CustomerDeactivated', data: { customerId: A, at: t(1) } }]).when(link()).thenThrows(hasCode('CUSTOMER_INACTIVE'));
    spec.given([registered(A), { type: 'CustomerMergedInto', data: { customerId: A, survivorId: B, at: t(1) } }]).when(link()).thenThrows(CustomerMergedError, (e) => e.survivorId === B);
    spec
      .given([registered(A), { type: 'CustomerErased', data: { customerId: A, reason: 'data_subject_request', linkedCustomerIds: [], erasedAt: t(2) } }])
      .when(link())
      .thenThrows(CustomerErasedError);
  });

  it('holds no personal data: a lead id is an id', () => {
    expect(PERSONAL_FIELDS.CustomerLeadLinked).toEqual([]);
    expect(PERSONAL_FIELDS.CustomerRegistered.map((p) => p.path)).not.toContain('leadId');
  });
});
