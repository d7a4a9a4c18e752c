// Customer lifecycle events: status, duplicates and merges, erasure, and the lead-conversion link.
import { defineEvent, type Payload } from '../common/define-event';
import { Uuid } from '../common/fields';
import { customersTopic } from './topic';

const customerId = Uuid('The customer id: the message key.');
const topic = customersTopic;
const aggregate = 'customer';

export const CustomerDeactivatedV1 = defineEvent({
  name: 'customer.deactivated',
  version: 1,
  topic,
  aggregate,
  key: 'customerId',
  description: 'The customer was deactivated: no new opportunities, no outbound messages until reactivated.',
  payload: { customerId },
  example: { customerId: '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21' },
});
export type CustomerDeactivatedV1 = Payload<typeof CustomerDeactivatedV1>;

export const CustomerReactivatedV1 = defineEvent({
  name: 'customer.reactivated',
  version: 1,
  topic,
  aggregate,
  key: 'customerId',
  description: 'A deactivated customer is active again.',
  payload: { customerId },
  example: { customerId: '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21' },
});
export type CustomerReactivatedV1 = Payload<typeof CustomerReactivatedV1>;

export const CustomerMergedV1 = defineEvent({
  name: 'customer.merged',
  version: 1,
  topic,
  aggregate,
  key: 'customerId',
  description:
    'The customer was found to be a duplicate and merged into the survivor. The merged customer’s id now ' +
    'resolves to the survivor: move what you keep for it (opportunities, interactions) to the survivor. ' +
    'The survivor’s own changed fields arrive as its own events.',
  payload: {
    customerId: Uuid('The merged (absorbed) customer: the message key.'),
    survivorId: Uuid('The customer it was merged into, which keeps its id and history.'),
  },
  example: { customerId: '5d7e1c0a-8f42-4b6e-a1d3-2c9b8e7f6a50', survivorId: '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21' },
});
export type CustomerMergedV1 = Payload<typeof CustomerMergedV1>;

export const CustomerUnmergedV1 = defineEvent({
  name: 'customer.unmerged',
  version: 1,
  topic,
  aggregate,
  key: 'customerId',
  description:
    'A merge was undone: the customer exists on its own again, as it was before the merge. Its contact ' +
    'details follow as a customer.contact-details-updated event.',
  payload: {
    customerId: Uuid('The restored customer: the message key.'),
    survivorId: Uuid('The customer it had been merged into.'),
  },
  example: { customerId: '5d7e1c0a-8f42-4b6e-a1d3-2c9b8e7f6a50', survivorId: '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21' },
});
export type CustomerUnmergedV1 = Payload<typeof CustomerUnmergedV1>;

export const CustomerErasedV1 = defineEvent({
  name: 'customer.erased',
  version: 1,
  topic,
  aggregate,
  key: 'customerId',
  description:
    'The customer’s personal data was erased (GDPR art. 17). Every subscriber must now delete the personal ' +
    'data it holds for this customer; non-personal facts (purchase counts, totals) may stay under the id.',
  payload: { customerId },
  example: { customerId: '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21' },
});
export type CustomerErasedV1 = Payload<typeof CustomerErasedV1>;

export const CustomerLeadLinkedV1 = defineEvent({
  name: 'customer.lead-linked',
  version: 1,
  topic,
  aggregate,
  key: 'customerId',
  description:
    'A converted lead’s contact data matched this existing customer under the duplicate rules, so the lead was ' +
    'linked to it instead of registering a new customer. (A new customer from a lead is a customer.registered ' +
    'with leadId.)',
  payload: { customerId, leadId: Uuid('The converted sales lead.') },
  example: { customerId: '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21', leadId: 'c3a1e4b2-6d5f-4e7a-8b9c-0d1e2f3a4b5c' },
});
export type CustomerLeadLinkedV1 = Payload<typeof CustomerLeadLinkedV1>;
