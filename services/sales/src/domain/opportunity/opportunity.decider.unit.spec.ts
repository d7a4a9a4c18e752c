// An opportunity's life: opened in a pipeline, moved through its stages, won or lost and reopened, and following
// its customer through the conversion saga and merges.
import { DeciderSpecification } from '@crm/testing';
import {
  CUSTOMER,
  eur,
  LEAD,
  negotiation,
  OPPORTUNITY,
  OTHER_PIPELINE,
  OWNER,
  pipeline,
  PIPELINE,
  proposal,
  qualification,
  SURVIVOR,
  t,
} from '../__fixtures__/sales.fixtures';
import { SalesAlreadyExistsError, SalesNotFoundError, SalesRuleViolation } from '../errors';
import type { CustomerStatus, PipelineDefinition } from '../values';
import type { OpenOpportunity, OpportunityCommand } from './opportunity.commands';
import { opportunityDecider } from './opportunity.decider';
import type { OpportunityEvent, OpportunityOpened } from './opportunity.events';
import type { OpenedOpportunity } from './opportunity.state';

const spec = DeciderSpecification.for(opportunityDecider);
const rule = (code: string) => (e: SalesRuleViolation) => e.code === code && e.kind === 'rejected' && e.aggregate === 'opportunity';

const open = (overrides: Partial<OpenOpportunity['data']> = {}): OpportunityCommand => ({
  type: 'OpenOpportunity',
  data: {
    opportunityId: OPPORTUNITY,
    pipeline,
    title: '40-seat fleet licence',
    amount: eur('48000.00'),
    expectedCloseDate: '2025-03-31',
    ownerId: OWNER,
    customer: { customerId: CUSTOMER, status: 'active' },
    at: t(0),
    ...overrides,
  },
});
const openedData: OpportunityOpened['data'] = {
  opportunityId: OPPORTUNITY,
  pipelineId: PIPELINE,
  stage: qualification,
  title: '40-seat fleet licence',
  amount: eur('48000.00'),
  expectedCloseDate: '2025-03-31',
  ownerId: OWNER,
  customerId: CUSTOMER,
  openedAt: t(0),
};
const opened: OpportunityEvent = { type: 'OpportunityOpened', data: openedData };
const openState: OpenedOpportunity = { status: 'open', ...openedData };
const { customerId: _linkedLater, ...withoutCustomer } = openedData;
const openedForLead: OpportunityEvent = { type: 'OpportunityOpened', data: { ...withoutCustomer, leadId: LEAD } };

const move = (stageId: string, definition: PipelineDefinition = pipeline): OpportunityCommand => ({
  type: 'MoveToStage',
  data: { opportunityId: OPPORTUNITY, stageId, pipeline: definition, at: t(1) },
});
const movedToProposal: OpportunityEvent = {
  type: 'OpportunityStageChanged',
  data: { opportunityId: OPPORTUNITY, pipelineId: PIPELINE, from: qualification, to: proposal, at: t(1) },
};
const markWon: OpportunityCommand = { type: 'MarkWon', data: { opportunityId: OPPORTUNITY, at: t(5) } };
const won: OpportunityEvent = {
  type: 'OpportunityWon',
  data: { opportunityId: OPPORTUNITY, pipelineId: PIPELINE, stage: proposal, amount: eur('48000.00'), customerId: CUSTOMER, at: t(5) },
};
const markLost = (reason = 'Chose a competitor'): OpportunityCommand => ({ type: 'MarkLost', data: { opportunityId: OPPORTUNITY, reason, at: t(5) } });
const lost: OpportunityEvent = {
  type: 'OpportunityLost',
  data: { opportunityId: OPPORTUNITY, pipelineId: PIPELINE, stage: proposal, reason: 'Chose a competitor', at: t(5) },
};
const reopen = (stageId?: string, definition: PipelineDefinition = pipeline): OpportunityCommand => ({
  type: 'Reopen',
  data: { opportunityId: OPPORTUNITY, pipeline: definition, ...(stageId !== undefined && { stageId }), at: t(6) },
});
const changeAmount = (amount = eur('45000.00')): OpportunityCommand => ({ type: 'ChangeAmount', data: { opportunityId: OPPORTUNITY, amount, at: t(2) } });
const changeCloseDate = (expectedCloseDate: string | null): OpportunityCommand => ({
  type: 'ChangeCloseDate',
  data: { opportunityId: OPPORTUNITY, expectedCloseDate, at: t(2) },
});
const reassign = (ownerId: string): OpportunityCommand => ({ type: 'Reassign', data: { opportunityId: OPPORTUNITY, ownerId, at: t(2) } });
const linkCustomer = (customerId = CUSTOMER): OpportunityCommand => ({
  type: 'LinkCustomer',
  data: { opportunityId: OPPORTUNITY, customerId, leadId: LEAD, at: t(3) },
});
const moveToSurvivor = (fromCustomerId = CUSTOMER): OpportunityCommand => ({
  type: 'MoveToSurvivor',
  data: { opportunityId: OPPORTUNITY, fromCustomerId, toCustomerId: SURVIVOR, at: t(7) },
});
const renamed: PipelineDefinition = { pipelineId: PIPELINE, stages: [{ ...qualification, name: 'Discovery', winProbability: 0.2 }, proposal, negotiation] };

describe('OpenOpportunity', () => {
  it('opens the opportunity at the pipeline first stage, for an active customer', () => {
    spec.when(open()).then(opened);
    spec.when(open()).thenState(openState);
  });

  it('opens at the given stage', () => {
    spec.when(open({ stageId: 'negotiation' })).then({ ...opened, data: { ...opened.data, stage: negotiation } });
  });

  it('opens without a customer for a lead conversion, which links it later', () => {
    spec.when(open({ customer: undefined, leadId: LEAD })).then(openedForLead);
  });

  it('decides nothing when the same lead conversion opens it again, and refuses any other second opening', () => {
    spec.given(openedForLead).when(open({ customer: undefined, leadId: LEAD })).thenNothingHappened();
    spec.given(opened).when(open()).thenThrows(SalesAlreadyExistsError, (e) => e.code === 'OPPORTUNITY_ALREADY_OPENED' && e.kind === 'conflict');
  });

  it.each<CustomerStatus>(['inactive', 'unknown', 'erased', 'merged'])('refuses a customer that is %s', (status) => {
    spec
      .when(open({ customer: { customerId: CUSTOMER, status } }))
      .thenThrows(SalesRuleViolation, (e) => rule('CUSTOMER_NOT_ACTIVE')(e) && e.details['status'] === status);
  });

  it('refuses an opportunity with neither customer nor lead', () => {
    spec.when(open({ customer: undefined })).thenThrows(SalesRuleViolation, rule('CUSTOMER_REQUIRED'));
  });

  it.each<[string, Partial<OpenOpportunity['data']>, string]>([
    ['a stage the pipeline does not have', { stageId: 'closing' }, 'UNKNOWN_STAGE'],
    ['a pipeline without stages', { pipeline: { pipelineId: PIPELINE, stages: [] } }, 'UNKNOWN_STAGE'],
    ['an amount with too many decimals', { amount: eur('1.1234567') }, 'INVALID_AMOUNT'],
    ['an amount in an exponent', { amount: eur('1e5') }, 'INVALID_AMOUNT'],
    ['a blank title', { title: '  ' }, 'INVALID_VALUE'],
    ['a malformed close date', { expectedCloseDate: '31.03.2025' }, 'INVALID_VALUE'],
    ['a blank owner', { ownerId: '' }, 'INVALID_VALUE'],
  ])('refuses %s', (_, overrides, code) => {
    spec.when(open(overrides)).thenThrows(SalesRuleViolation, rule(code));
  });
});

describe('MoveToStage', () => {
  it('moves to another stage of its pipeline, recording both stages as they are now', () => {
    spec.given(opened).when(move('proposal')).then(movedToProposal);
    spec.given(opened).when(move('proposal', renamed)).then({
      ...movedToProposal,
      data: { ...movedToProposal.data, from: { ...qualification, name: 'Discovery', winProbability: 0.2 } },
    });
    spec.given(opened).when(move('proposal')).thenState({ ...openState, stage: proposal });
  });

  it('moves backwards too, and decides nothing for the current stage', () => {
    spec.given([opened, movedToProposal]).when(move('qualification')).then({
      type: 'OpportunityStageChanged',
      data: { opportunityId: OPPORTUNITY, pipelineId: PIPELINE, from: proposal, to: qualification, at: t(1) },
    });
    spec.given(opened).when(move('qualification')).thenNothingHappened();
  });

  it('refuses an unknown stage, another pipeline, and a closed opportunity', () => {
    spec.given(opened).when(move('closing')).thenThrows(SalesRuleViolation, rule('UNKNOWN_STAGE'));
    spec.given(opened).when(move('proposal', { ...pipeline, pipelineId: OTHER_PIPELINE })).thenThrows(SalesRuleViolation, rule('PIPELINE_MISMATCH'));
    spec.given([opened, movedToProposal, won]).when(move('negotiation')).thenThrows(SalesRuleViolation, rule('OPPORTUNITY_CLOSED'));
    spec.given([opened, movedToProposal, lost]).when(move('proposal')).thenThrows(SalesRuleViolation, rule('OPPORTUNITY_CLOSED'));
  });
});

describe('ChangeAmount, ChangeCloseDate and Reassign', () => {
  it('changes the amount, and decides nothing for the same amount', () => {
    spec.given(opened).when(changeAmount()).then({ type: 'OpportunityAmountChanged', data: { opportunityId: OPPORTUNITY, amount: eur('45000.00'), at: t(2) } });
    spec.given(opened).when(changeAmount(eur('48000.00'))).thenNothingHappened();
    spec.given(opened).when(changeAmount({ amount: '48000.00', currency: 'USD' })).then({
      type: 'OpportunityAmountChanged',
      data: { opportunityId: OPPORTUNITY, amount: { amount: '48000.00', currency: 'USD' }, at: t(2) },
    });
  });

  it('changes and clears the expected close date', () => {
    const changed: OpportunityEvent = { type: 'OpportunityCloseDateChanged', data: { opportunityId: OPPORTUNITY, expectedCloseDate: '2025-06-30', at: t(2) } };
    const cleared: OpportunityEvent = { type: 'OpportunityCloseDateChanged', data: { opportunityId: OPPORTUNITY, expectedCloseDate: null, at: t(2) } };
    spec.given(opened).when(changeCloseDate('2025-06-30')).then(changed);
    spec.given(opened).when(changeCloseDate(null)).then(cleared);
    const { expectedCloseDate: _gone, ...withoutDate } = openState;
    spec.given(opened).when(changeCloseDate(null)).thenState(withoutDate);
    spec.given(opened).when(changeCloseDate('2025-03-31')).thenNothingHappened();
    spec.given([opened, cleared]).when(changeCloseDate(null)).thenNothingHappened();
  });

  it('reassigns, also a closed opportunity, and decides nothing for the same owner', () => {
    const reassigned: OpportunityEvent = { type: 'OpportunityReassigned', data: { opportunityId: OPPORTUNITY, ownerId: 'auth0|other', at: t(2) } };
    spec.given(opened).when(reassign('auth0|other')).then(reassigned);
    spec.given([opened, movedToProposal, won]).when(reassign('auth0|other')).then(reassigned);
    spec.given(opened).when(reassign(OWNER)).thenNothingHappened();
  });

  it('refuses bad values, and amount or date changes of a closed opportunity', () => {
    spec.given(opened).when(changeAmount(eur('-5'))).thenThrows(SalesRuleViolation, rule('INVALID_AMOUNT'));
    spec.given(opened).when(changeCloseDate('2025-13-01')).thenThrows(SalesRuleViolation, rule('INVALID_VALUE'));
    spec.given(opened).when(reassign(' ')).thenThrows(SalesRuleViolation, rule('INVALID_VALUE'));
    spec.given([opened, movedToProposal, won]).when(changeAmount()).thenThrows(SalesRuleViolation, rule('OPPORTUNITY_CLOSED'));
    spec.given([opened, movedToProposal, lost]).when(changeCloseDate(null)).thenThrows(SalesRuleViolation, rule('OPPORTUNITY_CLOSED'));
  });
});

describe('MarkWon and MarkLost', () => {
  it('wins at the current stage, for the current amount and customer', () => {
    spec.given([opened, movedToProposal]).when(markWon).then(won);
    spec.given([opened, movedToProposal]).when(markWon).thenState({ ...openState, status: 'won', stage: proposal, closedAt: t(5) });
  });

  it('wins an opportunity whose customer is not linked yet', () => {
    spec.given(openedForLead).when(markWon).then({
      type: 'OpportunityWon',
      data: { opportunityId: OPPORTUNITY, pipelineId: PIPELINE, stage: qualification, amount: eur('48000.00'), at: t(5) },
    });
  });

  it('loses with a reason', () => {
    spec.given([opened, movedToProposal]).when(markLost()).then(lost);
    spec.given([opened, movedToProposal]).when(markLost()).thenState({
      ...openState,
      status: 'lost',
      stage: proposal,
      closedAt: t(5),
      lostReason: 'Chose a competitor',
    });
  });

  it('decides nothing when won again or lost again for the same reason', () => {
    spec.given([opened, movedToProposal, won]).when(markWon).thenNothingHappened();
    spec.given([opened, movedToProposal, lost]).when(markLost()).thenNothingHappened();
  });

  it('refuses to win a lost one, or lose a won one, or lose a lost one for another reason', () => {
    spec.given([opened, lost]).when(markWon).thenThrows(SalesRuleViolation, rule('OPPORTUNITY_CLOSED'));
    spec.given([opened, won]).when(markLost()).thenThrows(SalesRuleViolation, rule('OPPORTUNITY_CLOSED'));
    spec.given([opened, lost]).when(markLost('Budget cut')).thenThrows(SalesRuleViolation, rule('OPPORTUNITY_CLOSED'));
  });

  it('requires a reason to lose', () => {
    spec.given(opened).when(markLost('')).thenThrows(SalesRuleViolation, rule('LOST_REASON_REQUIRED'));
    spec.given(opened).when(markLost('   ')).thenThrows(SalesRuleViolation, rule('LOST_REASON_REQUIRED'));
    spec
      .given(opened)
      .when({ type: 'MarkLost', data: { opportunityId: OPPORTUNITY, at: t(5) } } as unknown as OpportunityCommand)
      .thenThrows(SalesRuleViolation, rule('LOST_REASON_REQUIRED'));
    spec.given(opened).when(markLost('x'.repeat(501))).thenThrows(SalesRuleViolation, rule('INVALID_VALUE'));
  });
});

describe('Reopen', () => {
  it('reopens at the stage it was closed at, as the pipeline defines it now', () => {
    const reopened: OpportunityEvent = { type: 'OpportunityReopened', data: { opportunityId: OPPORTUNITY, pipelineId: PIPELINE, stage: proposal, at: t(6) } };
    spec.given([opened, movedToProposal, lost]).when(reopen()).then(reopened);
    const wonAtQualification: OpportunityEvent = { ...won, data: { ...won.data, stage: qualification } };
    spec.given([opened, wonAtQualification]).when(reopen(undefined, renamed)).then({ ...reopened, data: { ...reopened.data, stage: renamed.stages[0]! } });
    spec.given([opened, movedToProposal, lost]).when(reopen()).thenState({ ...openState, stage: proposal });
  });

  it('reopens at a given stage', () => {
    spec.given([opened, movedToProposal, won]).when(reopen('negotiation')).then({
      type: 'OpportunityReopened',
      data: { opportunityId: OPPORTUNITY, pipelineId: PIPELINE, stage: negotiation, at: t(6) },
    });
  });

  it('refuses an open opportunity, an unknown stage and another pipeline', () => {
    spec.given(opened).when(reopen()).thenThrows(SalesRuleViolation, rule('OPPORTUNITY_NOT_CLOSED'));
    spec.given([opened, lost]).when(reopen('closing')).thenThrows(SalesRuleViolation, rule('UNKNOWN_STAGE'));
    spec.given([opened, lost]).when(reopen(undefined, { ...pipeline, pipelineId: OTHER_PIPELINE })).thenThrows(SalesRuleViolation, rule('PIPELINE_MISMATCH'));
  });
});

describe('LinkCustomer and MoveToSurvivor', () => {
  const linked: OpportunityEvent = { type: 'OpportunityCustomerLinked', data: { opportunityId: OPPORTUNITY, customerId: CUSTOMER, leadId: LEAD, at: t(3) } };
  const moved: OpportunityEvent = {
    type: 'OpportunityCustomerLinked',
    data: { opportunityId: OPPORTUNITY, customerId: SURVIVOR, previousCustomerId: CUSTOMER, at: t(7) },
  };

  it('links the conversion customer, open or already closed', () => {
    spec.given(openedForLead).when(linkCustomer()).then(linked);
    spec.given([openedForLead, won]).when(linkCustomer()).then(linked);
    const { customerId: _none, ...forLead } = { ...openState, leadId: LEAD };
    spec.given(openedForLead).when(linkCustomer()).thenState({ ...forLead, customerId: CUSTOMER });
  });

  it('decides nothing for the same customer again, and refuses another one', () => {
    spec.given([openedForLead, linked]).when(linkCustomer()).thenNothingHappened();
    spec.given(opened).when(linkCustomer()).thenNothingHappened();
    spec.given(opened).when(linkCustomer(SURVIVOR)).thenThrows(SalesRuleViolation, (e) => rule('CUSTOMER_MISMATCH')(e) && e.details['customerId'] === CUSTOMER);
  });

  it('follows its customer to the survivor of a merge, open or closed', () => {
    spec.given(opened).when(moveToSurvivor()).then(moved);
    spec.given([opened, lost]).when(moveToSurvivor()).then(moved);
    spec.given(opened).when(moveToSurvivor()).thenState({ ...openState, customerId: SURVIVOR });
  });

  it('decides nothing once at the survivor, and refuses an opportunity of another customer or of none', () => {
    spec.given([opened, moved]).when(moveToSurvivor()).thenNothingHappened();
    spec.given(opened).when(moveToSurvivor('3e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b')).thenThrows(SalesRuleViolation, rule('CUSTOMER_MISMATCH'));
    spec.given(openedForLead).when(moveToSurvivor()).thenThrows(SalesRuleViolation, rule('CUSTOMER_MISMATCH'));
  });
});

describe('an opportunity that was never opened', () => {
  const commands = [move('proposal'), changeAmount(), changeCloseDate(null), reassign(OWNER), markWon, markLost(), reopen(), linkCustomer(), moveToSurvivor()];
  it.each(commands.map((command) => [command.type, command] as const))('refuses %s', (_, command) => {
    spec.when(command).thenThrows(SalesNotFoundError, (e) => e.code === 'OPPORTUNITY_NOT_FOUND' && e.kind === 'not_found');
  });
});
