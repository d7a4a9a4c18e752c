// The opportunity decider. Stages come from the pipeline definition the command carries (the handler reads it), and
// every event records the stage as the pipeline defines it at that moment. Decisions worth knowing:
// - Only an active customer known to the local read model is accepted; no customer at all only for a lead
//   conversion, whose customer the conversion saga links later (LinkCustomer).
// - Amount, close date and stage change only while open; the owner may change at any time; the customer follows
//   the saga and merges at any time, since a won deal still belongs to someone.
// - OpenOpportunity again for the same lead decides nothing: the conversion may be delivered twice.
import { assertNever, type Decider } from '@crm/event-store';
import { SalesAlreadyExistsError } from '../errors';
import { checkDate, checkMoney, checkOptionalText, checkText, defined, jsonEqual, violation, type Subject } from '../rules';
import { LIMITS, type PipelineDefinition, type Stage } from '../values';
import type { OpenOpportunity, OpportunityCommand } from './opportunity.commands';
import type { OpportunityEvent } from './opportunity.events';
import { evolve, initialState } from './opportunity.evolve';
import { openedOpportunity, stillOpen, type OpenedOpportunity, type OpportunityState } from './opportunity.state';

export function decide(command: OpportunityCommand, state: OpportunityState): OpportunityEvent[] {
  const { opportunityId, at } = command.data;
  const subject: Subject = { aggregate: 'opportunity', id: opportunityId };
  switch (command.type) {
    case 'OpenOpportunity':
      return decideOpen(command, state, subject);

    case 'MoveToStage': {
      const opportunity = stillOpen(state, opportunityId);
      const { pipeline, stageId } = command.data;
      samePipeline(subject, opportunity, pipeline);
      const to = stageIn(subject, pipeline, stageId);
      if (to.id === opportunity.stage.id) return [];
      const from = currentVersion(pipeline, opportunity.stage);
      return [{ type: 'OpportunityStageChanged', data: { opportunityId, pipelineId: pipeline.pipelineId, from, to, at } }];
    }

    case 'ChangeAmount': {
      const opportunity = stillOpen(state, opportunityId);
      const { amount } = command.data;
      checkMoney(subject, 'amount', amount);
      if (jsonEqual(opportunity.amount, amount)) return [];
      return [{ type: 'OpportunityAmountChanged', data: { opportunityId, amount: { amount: amount.amount, currency: amount.currency }, at } }];
    }

    case 'ChangeCloseDate': {
      const opportunity = stillOpen(state, opportunityId);
      const { expectedCloseDate } = command.data;
      if (expectedCloseDate !== null) checkDate(subject, 'expectedCloseDate', expectedCloseDate);
      if ((opportunity.expectedCloseDate ?? null) === expectedCloseDate) return [];
      return [{ type: 'OpportunityCloseDateChanged', data: { opportunityId, expectedCloseDate, at } }];
    }

    case 'Reassign': {
      const opportunity = openedOpportunity(state, opportunityId);
      const { ownerId } = command.data;
      checkText(subject, 'ownerId', ownerId, LIMITS.userId);
      if (opportunity.ownerId === ownerId) return [];
      return [{ type: 'OpportunityReassigned', data: { opportunityId, ownerId, at } }];
    }

    case 'MarkWon': {
      const opportunity = openedOpportunity(state, opportunityId);
      if (opportunity.status === 'won') return [];
      const { pipelineId, stage, amount, customerId } = stillOpen(opportunity, opportunityId);
      return [{ type: 'OpportunityWon', data: defined({ opportunityId, pipelineId, stage, amount, customerId, at }) }];
    }

    case 'MarkLost': {
      const opportunity = openedOpportunity(state, opportunityId);
      const { reason } = command.data;
      if (typeof reason !== 'string' || reason.trim() === '') {
        throw violation(subject, 'LOST_REASON_REQUIRED', 'An opportunity is lost for a reason', { field: 'reason' });
      }
      checkText(subject, 'reason', reason, LIMITS.reason);
      if (opportunity.status === 'lost' && opportunity.lostReason === reason) return [];
      const { pipelineId, stage } = stillOpen(opportunity, opportunityId);
      return [{ type: 'OpportunityLost', data: { opportunityId, pipelineId, stage, reason, at } }];
    }

    case 'Reopen': {
      const opportunity = openedOpportunity(state, opportunityId);
      if (opportunity.status === 'open') {
        throw violation(subject, 'OPPORTUNITY_NOT_CLOSED', `Opportunity ${opportunityId} is open`);
      }
      const { pipeline, stageId } = command.data;
      samePipeline(subject, opportunity, pipeline);
      const stage = stageId === undefined ? currentVersion(pipeline, opportunity.stage) : stageIn(subject, pipeline, stageId);
      return [{ type: 'OpportunityReopened', data: { opportunityId, pipelineId: pipeline.pipelineId, stage, at } }];
    }

    case 'LinkCustomer': {
      const opportunity = openedOpportunity(state, opportunityId);
      const { customerId, leadId } = command.data;
      if (opportunity.customerId === customerId) return [];
      if (opportunity.customerId !== undefined) throw customerMismatch(subject, opportunity.customerId);
      checkText(subject, 'customerId', customerId, LIMITS.id);
      return [{ type: 'OpportunityCustomerLinked', data: defined({ opportunityId, customerId, leadId, at }) }];
    }

    // A merge moves what belonged to the merged customer; an opportunity already at the survivor stays put.
    case 'MoveToSurvivor': {
      const opportunity = openedOpportunity(state, opportunityId);
      const { fromCustomerId, toCustomerId } = command.data;
      if (opportunity.customerId === toCustomerId) return [];
      if (opportunity.customerId !== fromCustomerId) throw customerMismatch(subject, opportunity.customerId);
      checkText(subject, 'toCustomerId', toCustomerId, LIMITS.id);
      return [
        { type: 'OpportunityCustomerLinked', data: { opportunityId, customerId: toCustomerId, previousCustomerId: fromCustomerId, at } },
      ];
    }

    default:
      return assertNever(command, 'Unknown opportunity command');
  }
}

function decideOpen({ data }: OpenOpportunity, state: OpportunityState, subject: Subject): OpportunityEvent[] {
  const { opportunityId, pipeline, stageId, title, amount, expectedCloseDate, ownerId, customer, leadId, at } = data;
  if (state.status !== 'new') {
    if (leadId !== undefined && state.leadId === leadId) return [];
    throw new SalesAlreadyExistsError('opportunity', opportunityId);
  }
  const stage = stageId === undefined ? firstStage(subject, pipeline) : stageIn(subject, pipeline, stageId);
  checkText(subject, 'title', title, LIMITS.title);
  checkMoney(subject, 'amount', amount);
  if (expectedCloseDate !== undefined) checkDate(subject, 'expectedCloseDate', expectedCloseDate);
  checkOptionalText(subject, 'ownerId', ownerId, LIMITS.userId);
  checkOptionalText(subject, 'leadId', leadId, LIMITS.id);
  if (customer !== undefined && customer.status !== 'active') {
    throw violation(subject, 'CUSTOMER_NOT_ACTIVE', `Customer ${customer.customerId} is ${customer.status}`, {
      customerId: customer.customerId,
      status: customer.status,
    });
  }
  if (customer === undefined && leadId === undefined) {
    throw violation(subject, 'CUSTOMER_REQUIRED', 'An opportunity needs a customer, unless a lead conversion opens it', { field: 'customer' });
  }
  const { pipelineId } = pipeline;
  const money = { amount: amount.amount, currency: amount.currency };
  return [
    {
      type: 'OpportunityOpened',
      data: defined({ opportunityId, pipelineId, stage, title, amount: money, expectedCloseDate, ownerId, customerId: customer?.customerId, leadId, openedAt: at }),
    },
  ];
}

function firstStage(subject: Subject, pipeline: PipelineDefinition): Stage {
  const [first] = pipeline.stages;
  if (first === undefined) throw violation(subject, 'UNKNOWN_STAGE', `Pipeline ${pipeline.pipelineId} has no stages`, { field: 'stageId' });
  return copyOf(first);
}

function stageIn(subject: Subject, pipeline: PipelineDefinition, stageId: string): Stage {
  const stage = pipeline.stages.find((s) => s.id === stageId);
  if (stage === undefined) throw violation(subject, 'UNKNOWN_STAGE', `Pipeline ${pipeline.pipelineId} has no stage ${stageId}`, { stageId });
  return copyOf(stage);
}

/** The stage as the pipeline defines it now (renamed, re-weighted), or as recorded if the definition lacks it. */
function currentVersion(pipeline: PipelineDefinition, recorded: Stage): Stage {
  const stage = pipeline.stages.find((s) => s.id === recorded.id);
  return copyOf(stage ?? recorded);
}

function samePipeline(subject: Subject, opportunity: OpenedOpportunity, pipeline: PipelineDefinition): void {
  if (pipeline.pipelineId !== opportunity.pipelineId) {
    throw violation(subject, 'PIPELINE_MISMATCH', `Opportunity ${opportunity.opportunityId} runs in another pipeline`, {
      pipelineId: opportunity.pipelineId,
    });
  }
}

const copyOf = ({ id, name, winProbability }: Stage): Stage => ({ id, name, winProbability });

const customerMismatch = (subject: Subject, customerId: string | undefined) =>
  violation(subject, 'CUSTOMER_MISMATCH', `Opportunity ${subject.id} belongs to another customer`, customerId === undefined ? {} : { customerId });

export const opportunityDecider: Decider<OpportunityCommand, OpportunityEvent, OpportunityState> = { decide, evolve, initialState };
