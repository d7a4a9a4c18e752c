// Writes sales histories for read-side tests the way the service does: each command through its decider and
// handleCommand into a real event store, so the projections see exactly the events production writes.
import { comparePositions, handleCommand, readAggregate, START, type CommandResult, type Event, type EventStore, type Position } from '@crm/event-store';
import { randomUUID } from 'node:crypto';
import {
  activityDecider,
  activityStream,
  leadDecider,
  leadStream,
  opportunityDecider,
  opportunityStream,
  pipelineDecider,
  pipelineStream,
  type ActivityCommand,
  type LeadCommand,
  type Money,
  type OpportunityCommand,
  type PipelineCommand,
  type PipelineDefinition,
  type PipelineEvent,
  type PipelineState,
  pipelineDefinitionOf,
  type Stage,
} from '../../domain';

export const stage = (id: string, winProbability: number): Stage => ({ id, name: id[0]!.toUpperCase() + id.slice(1), winProbability });
export const STAGES: readonly Stage[] = [stage('qualification', 0.1), stage('proposal', 0.5), stage('negotiation', 0.8)];
export const money = (amount: string, currency = 'EUR'): Money => ({ amount, currency });

const metadata = (at: string) => ({ metadata: { commandId: randomUUID(), actor: 'read-side-test', time: at } });

export class SalesWriter {
  /** The position of the last event appended: the read side has caught up once it is visible and applied. */
  lastPosition: Position = START;

  constructor(readonly store: EventStore) {}

  pipeline(command: PipelineCommand) {
    return this.track(handleCommand(this.store, pipelineStream(command.data.pipelineId), pipelineDecider, command, metadata(command.data.at)));
  }

  lead(command: LeadCommand) {
    return this.track(handleCommand(this.store, leadStream(command.data.leadId), leadDecider, command, metadata(command.data.at)));
  }

  opportunity(command: OpportunityCommand) {
    return this.track(handleCommand(this.store, opportunityStream(command.data.opportunityId), opportunityDecider, command, metadata(command.data.at)));
  }

  activity(command: ActivityCommand) {
    return this.track(handleCommand(this.store, activityStream(command.data.activityId), activityDecider, command, metadata(command.data.at)));
  }

  private async track<E extends Event, S>(handled: Promise<CommandResult<E, S>>): Promise<CommandResult<E, S>> {
    const result = await handled;
    if (result.position && comparePositions(result.position, this.lastPosition) > 0) this.lastPosition = result.position;
    return result;
  }

  async definitionOf(pipelineId: string): Promise<PipelineDefinition> {
    const { state } = await readAggregate<PipelineEvent, PipelineState>(this.store, pipelineStream(pipelineId), pipelineDecider.evolve, pipelineDecider.initialState);
    return pipelineDefinitionOf(state, pipelineId);
  }

  async definePipeline(name: string, at: string, stages: readonly Stage[] = STAGES): Promise<string> {
    const pipelineId = randomUUID();
    await this.pipeline({ type: 'DefinePipeline', data: { pipelineId, name, stages, at } });
    return pipelineId;
  }

  async open(
    pipelineId: string,
    at: string,
    options: { amount?: Money; stageId?: string; expectedCloseDate?: string; ownerId?: string; leadId?: string; opportunityId?: string } = {},
  ): Promise<string> {
    const { amount = money('1000.00'), opportunityId = randomUUID(), ...rest } = options;
    const customer = rest.leadId === undefined ? { customerId: randomUUID(), status: 'active' as const } : undefined;
    const pipeline = await this.definitionOf(pipelineId);
    await this.opportunity({ type: 'OpenOpportunity', data: { opportunityId, pipeline, title: 'Fleet licence', amount, customer, ...rest, at } });
    return opportunityId;
  }

  async move(opportunityId: string, pipelineId: string, stageId: string, at: string): Promise<void> {
    await this.opportunity({ type: 'MoveToStage', data: { opportunityId, stageId, pipeline: await this.definitionOf(pipelineId), at } });
  }

  async won(opportunityId: string, at: string): Promise<void> {
    await this.opportunity({ type: 'MarkWon', data: { opportunityId, at } });
  }

  async lost(opportunityId: string, at: string, reason = 'Budget cut'): Promise<void> {
    await this.opportunity({ type: 'MarkLost', data: { opportunityId, reason, at } });
  }

  async schedule(at: string, options: { dueAt: string; opportunityId?: string; ownerId?: string; remindAt?: string }): Promise<string> {
    const activityId = randomUUID();
    await this.activity({ type: 'ScheduleActivity', data: { activityId, kind: 'call', subject: 'Call about the offer', ...options, at } });
    return activityId;
  }

  async captureLead(at: string, options: { ownerId?: string; source?: string } = {}): Promise<string> {
    const leadId = randomUUID();
    const contact = { name: { fullName: 'Grace Hopper' }, email: 'grace@example.com', company: 'Cobol Corp' };
    await this.lead({ type: 'CaptureLead', data: { leadId, source: options.source ?? 'web-form', contact, interest: 'Wants 40 electric vans', ownerId: options.ownerId, at } });
    return leadId;
  }

  /**
   * A conversion the way the saga runs it: the opportunity opened first (with the lead id, no customer), then
   * LeadConverted; `customerId` then plays the customers service's answer.
   */
  async convertLead(leadId: string, pipelineId: string, at: string, options: { amount?: Money; customerId?: string } = {}): Promise<string> {
    const opportunityId = randomUUID();
    const amount = options.amount ?? money('5000.00');
    await this.open(pipelineId, at, { opportunityId, leadId, amount });
    const opportunity = { opportunityId, pipelineId, title: 'Fleet licence', amount };
    await this.lead({ type: 'ConvertLead', data: { leadId, customer: { kind: 'new-customer' }, opportunity, at } });
    if (options.customerId !== undefined) {
      await this.lead({ type: 'LinkLeadCustomer', data: { leadId, customerId: options.customerId, how: 'registered', at } });
      await this.opportunity({ type: 'LinkCustomer', data: { opportunityId, customerId: options.customerId, leadId, at } });
    }
    return opportunityId;
  }
}
