// Opportunity events: opened, moved through the pipeline's stages, won or lost, linked to its customer.
import { Type } from '@sinclair/typebox';
import { defineEvent, type Payload } from '../common/define-event';
import { CalendarDate, Money, Text, UserId, Uuid } from '../common/fields';
import { salesTopic } from './topic';

const opportunityId = Uuid('The opportunity id: the message key.');
const topic = salesTopic;
const aggregate = 'opportunity';

/** A stage as it was when the event happened: pipelines are renamed and reordered later. */
export const Stage = Type.Object({
  id: Text(100),
  name: Text(100),
  winProbability: Type.Number({ minimum: 0, maximum: 1, description: 'From the pipeline definition, 0 to 1.' }),
});

const pipelineId = Uuid('The pipeline the opportunity runs in.');
const exampleStage = { id: 'proposal', name: 'Proposal', winProbability: 0.5 };
const exampleOpportunityId = '9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b';
const exampleCustomerId = '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21';

export const OpportunityOpenedV1 = defineEvent({
  name: 'opportunity.opened',
  version: 1,
  topic,
  aggregate,
  key: 'opportunityId',
  description: 'An opportunity was opened in a pipeline.',
  payload: {
    opportunityId,
    pipelineId,
    stage: Stage,
    title: Text(200),
    amount: Money,
    expectedCloseDate: Type.Optional(CalendarDate('The expected close date (ISO 8601 date).')),
    ownerId: Type.Optional(UserId()),
    customerId: Type.Optional(
      Uuid('The customer; absent while a converted lead waits for its customer (see opportunity.customer-linked).'),
    ),
    leadId: Type.Optional(Uuid('The lead whose conversion opened it.')),
  },
  example: {
    opportunityId: exampleOpportunityId,
    pipelineId: '4f3e2d1c-0b9a-4f8e-9d7c-6b5a4f3e2d1c',
    stage: { id: 'qualification', name: 'Qualification', winProbability: 0.1 },
    title: '40-seat fleet licence',
    amount: { amount: '48000.00', currency: 'EUR' },
    expectedCloseDate: '2024-09-30',
    ownerId: 'auth0|5f7c8ec7c33c6c004bbafe82',
    customerId: exampleCustomerId,
  },
});
export type OpportunityOpenedV1 = Payload<typeof OpportunityOpenedV1>;

export const OpportunityStageChangedV1 = defineEvent({
  name: 'opportunity.stage-changed',
  version: 1,
  topic,
  aggregate,
  key: 'opportunityId',
  description: 'The opportunity moved to another stage of its pipeline.',
  payload: { opportunityId, pipelineId, from: Stage, to: Stage },
  example: {
    opportunityId: exampleOpportunityId,
    pipelineId: '4f3e2d1c-0b9a-4f8e-9d7c-6b5a4f3e2d1c',
    from: { id: 'qualification', name: 'Qualification', winProbability: 0.1 },
    to: exampleStage,
  },
});
export type OpportunityStageChangedV1 = Payload<typeof OpportunityStageChangedV1>;

export const OpportunityWonV1 = defineEvent({
  name: 'opportunity.won',
  version: 1,
  topic,
  aggregate,
  key: 'opportunityId',
  description: 'The opportunity was won.',
  payload: {
    opportunityId,
    amount: Money,
    customerId: Type.Optional(Uuid('The customer, if linked.')),
  },
  example: { opportunityId: exampleOpportunityId, amount: { amount: '45000.00', currency: 'EUR' }, customerId: exampleCustomerId },
});
export type OpportunityWonV1 = Payload<typeof OpportunityWonV1>;

export const OpportunityLostV1 = defineEvent({
  name: 'opportunity.lost',
  version: 1,
  topic,
  aggregate,
  key: 'opportunityId',
  description: 'The opportunity was lost.',
  payload: { opportunityId, reason: Text(500, 'Why it was lost.') },
  example: { opportunityId: exampleOpportunityId, reason: 'Chose a competitor' },
});
export type OpportunityLostV1 = Payload<typeof OpportunityLostV1>;

export const OpportunityReopenedV1 = defineEvent({
  name: 'opportunity.reopened',
  version: 1,
  topic,
  aggregate,
  key: 'opportunityId',
  description: 'A won or lost opportunity was reopened, at the given stage.',
  payload: { opportunityId, stage: Stage },
  example: { opportunityId: exampleOpportunityId, stage: exampleStage },
});
export type OpportunityReopenedV1 = Payload<typeof OpportunityReopenedV1>;

export const OpportunityCustomerLinkedV1 = defineEvent({
  name: 'opportunity.customer-linked',
  version: 1,
  topic,
  aggregate,
  key: 'opportunityId',
  description:
    'The opportunity now belongs to this customer: after a lead conversion registered or matched it, or ' +
    'because its previous customer was merged into this one.',
  payload: {
    opportunityId,
    customerId: Uuid('The customer it belongs to now.'),
    previousCustomerId: Type.Optional(Uuid('The customer it belonged to before, if any.')),
    leadId: Type.Optional(Uuid('The converted lead, when the link completes a conversion.')),
  },
  example: {
    opportunityId: exampleOpportunityId,
    customerId: exampleCustomerId,
    leadId: 'c3a1e4b2-6d5f-4e7a-8b9c-0d1e2f3a4b5c',
  },
});
export type OpportunityCustomerLinkedV1 = Payload<typeof OpportunityCustomerLinkedV1>;
