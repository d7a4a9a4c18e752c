// What each crm.customers.v1 event changes in the sales service's known customers.
import { customersEventContracts, type CustomersEvent } from '@crm/contracts';
import { KNOWN_CUSTOMER_EVENT_TYPES, knownCustomerChange } from './known-customers';

const customerId = '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21';
const survivorId = '5d7e1c0a-8f42-4b6e-a1d3-2c9b8e7f6a50';
const event = (type: CustomersEvent['type'], payload: Record<string, unknown>) => ({ type, payload }) as CustomersEvent;

describe('knownCustomerChange', () => {
  it('maps the lifecycle to a status, with the survivor while merged', () => {
    expect(knownCustomerChange(event('crm.customer.registered.v1', { customerId, contact: { name: { fullName: 'Ada' } }, tags: [] }))).toEqual({
      customerId,
      status: 'active',
    });
    expect(knownCustomerChange(event('crm.customer.deactivated.v1', { customerId }))).toEqual({ customerId, status: 'inactive' });
    expect(knownCustomerChange(event('crm.customer.reactivated.v1', { customerId }))).toEqual({ customerId, status: 'active' });
    expect(knownCustomerChange(event('crm.customer.merged.v1', { customerId, survivorId }))).toEqual({ customerId, status: 'merged', survivorId });
    expect(knownCustomerChange(event('crm.customer.unmerged.v1', { customerId, survivorId }))).toEqual({ customerId, status: 'active' });
    expect(knownCustomerChange(event('crm.customer.erased.v1', { customerId }))).toEqual({ customerId, status: 'erased' });
  });

  it('leaves the status alone for profile, purchase, consent and lead-link events', () => {
    expect(knownCustomerChange(event('crm.customer.tagged.v1', { customerId, tags: ['vip'] }))).toBeUndefined();
    expect(knownCustomerChange(event('crm.customer.lead-linked.v1', { customerId, leadId: survivorId }))).toBeUndefined();
  });

  it('names exactly the contract types that change a status', () => {
    const changing = customersEventContracts
      .map((contract) => contract.type)
      .filter((type) => knownCustomerChange(event(type, { customerId, survivorId, contact: { name: { fullName: 'Ada' } }, tags: [] })) !== undefined);
    expect([...KNOWN_CUSTOMER_EVENT_TYPES].sort()).toEqual(changing.sort());
  });
});
