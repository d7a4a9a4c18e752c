// Test data shared by the sales decider specs: one pipeline, Grace the lead, her opportunity and a call.
import type { OpportunityDraft } from '../lead/lead.commands';
import type { Contact, Money, PipelineDefinition, Stage } from '../values';

export const PIPELINE = '4f3e2d1c-0b9a-4f8e-9d7c-6b5a4f3e2d1c';
export const OTHER_PIPELINE = '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d';
export const LEAD = 'c3a1e4b2-6d5f-4e7a-8b9c-0d1e2f3a4b5c';
export const OPPORTUNITY = '9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b';
export const ACTIVITY = '1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a';
export const CUSTOMER = '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21';
export const SURVIVOR = '7c6b5a4f-3e2d-4c1b-9a0f-8e7d6c5b4a39';
export const OWNER = 'auth0|5f7c8ec7c33c6c004bbafe82';

/** Minutes after a fixed instant, as the ISO strings commands carry. */
export const t = (minutes: number): string => new Date(Date.UTC(2025, 0, 1, 9, minutes)).toISOString();

export const qualification: Stage = { id: 'qualification', name: 'Qualification', winProbability: 0.1 };
export const proposal: Stage = { id: 'proposal', name: 'Proposal', winProbability: 0.5 };
export const negotiation: Stage = { id: 'negotiation', name: 'Negotiation', winProbability: 0.8 };
export const stages: readonly Stage[] = [qualification, proposal, negotiation];

export const pipeline: PipelineDefinition = { pipelineId: PIPELINE, stages };

export const eur = (amount: string): Money => ({ amount, currency: 'EUR' });

export const grace: Contact = {
  name: { fullName: 'Grace Hopper', givenName: 'Grace', familyName: 'Hopper' },
  email: 'grace@example.com',
  phone: '+4930123456',
  company: 'Cobol Corp',
};

/** The opportunity Grace's conversion opens. */
export const draft: OpportunityDraft = {
  opportunityId: OPPORTUNITY,
  pipelineId: PIPELINE,
  title: '40-seat fleet licence',
  amount: eur('48000.00'),
  expectedCloseDate: '2025-03-31',
  ownerId: OWNER,
};
