// Lead events: captured, qualified or disqualified, converted into a customer.
import { Type } from '@sinclair/typebox';
import { defineEvent, type Payload } from '../common/define-event';
import { Contact, Text, UserId, Uuid } from '../common/fields';
import { salesTopic } from './topic';

const leadId = Uuid('The lead id: the message key.');
const topic = salesTopic;
const aggregate = 'lead';

export const LeadCapturedV1 = defineEvent({
  name: 'lead.captured',
  version: 1,
  topic,
  aggregate,
  key: 'leadId',
  description: 'A lead was captured.',
  payload: {
    leadId,
    source: Text(100, 'Where the lead came from, e.g. "website", "trade-fair", "referral".'),
    contact: Contact,
    interest: Type.Optional(Text(1000, 'What the lead is interested in, in the sales user’s words.')),
    ownerId: Type.Optional(UserId()),
  },
  personalData: ['contact', 'interest'],
  example: {
    leadId: 'c3a1e4b2-6d5f-4e7a-8b9c-0d1e2f3a4b5c',
    source: 'trade-fair',
    contact: { name: { fullName: 'Grace Hopper' }, email: 'grace@example.com', company: 'Cobol Corp' },
    interest: 'Fleet licence for 40 seats',
    ownerId: 'auth0|5f7c8ec7c33c6c004bbafe82',
  },
});
export type LeadCapturedV1 = Payload<typeof LeadCapturedV1>;

export const LeadQualifiedV1 = defineEvent({
  name: 'lead.qualified',
  version: 1,
  topic,
  aggregate,
  key: 'leadId',
  description: 'The lead was qualified: worth pursuing.',
  payload: { leadId },
  example: { leadId: 'c3a1e4b2-6d5f-4e7a-8b9c-0d1e2f3a4b5c' },
});
export type LeadQualifiedV1 = Payload<typeof LeadQualifiedV1>;

export const LeadDisqualifiedV1 = defineEvent({
  name: 'lead.disqualified',
  version: 1,
  topic,
  aggregate,
  key: 'leadId',
  description: 'The lead was disqualified.',
  payload: { leadId, reason: Text(500, 'Why, in the sales user’s words.') },
  personalData: ['reason'],
  example: { leadId: 'c3a1e4b2-6d5f-4e7a-8b9c-0d1e2f3a4b5c', reason: 'No budget this year' },
});
export type LeadDisqualifiedV1 = Payload<typeof LeadDisqualifiedV1>;

export const LeadConvertedV1 = defineEvent({
  name: 'lead.converted',
  version: 1,
  topic,
  aggregate,
  key: 'leadId',
  description:
    'The lead was converted. Either it belongs to an existing customer, or the customers service is asked to ' +
    'register one from the contact data (idempotent by lead id; a duplicate is linked instead, see ' +
    'customer.registered.leadId and customer.lead-linked).',
  payload: {
    leadId,
    opportunityId: Type.Optional(Uuid('The opportunity opened by the conversion, if any.')),
    customer: Type.Union(
      [
        Type.Object({ kind: Type.Literal('existing-customer'), customerId: Uuid('The customer the lead belongs to.') }),
        Type.Object({ kind: Type.Literal('new-customer'), contact: Contact }),
      ],
      { description: 'Who the lead becomes: discriminated by kind.' },
    ),
  },
  personalData: ['customer.contact'],
  example: {
    leadId: 'c3a1e4b2-6d5f-4e7a-8b9c-0d1e2f3a4b5c',
    opportunityId: '9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b',
    customer: {
      kind: 'new-customer',
      contact: { name: { fullName: 'Grace Hopper' }, email: 'grace@example.com', company: 'Cobol Corp' },
    },
  },
});
export type LeadConvertedV1 = Payload<typeof LeadConvertedV1>;

export const LeadErasedV1 = defineEvent({
  name: 'lead.erased',
  version: 1,
  topic,
  aggregate,
  key: 'leadId',
  description:
    'The lead’s personal data was erased (its customer was erased, or the person asked). Subscribers delete ' +
    'the personal data they hold for this lead.',
  payload: { leadId },
  example: { leadId: 'c3a1e4b2-6d5f-4e7a-8b9c-0d1e2f3a4b5c' },
});
export type LeadErasedV1 = Payload<typeof LeadErasedV1>;
