// Runs sales commands against the decrypting event store: one stream per aggregate, its decider folded over it,
// idempotent by command id. Also the reads the handlers need (an aggregate's state, a pipeline's definition), and
// the key destruction that goes with a lead's erasure. Framework-free; the Nest module provides one instance.
import {
  commandHandler,
  LruCache,
  readAggregate,
  type AggregateRead,
  type CommandMetadata,
  type CommandResult,
  type EventStore,
  type ExpectedRevision,
} from '@crm/event-store';
import {
  activityDecider,
  activityStream,
  leadDecider,
  leadStream,
  openedOpportunity,
  opportunityDecider,
  opportunityStream,
  pipelineDecider,
  pipelineDefinitionOf,
  pipelineStream,
  type ActivityCommand,
  type ActivityEvent,
  type ActivityState,
  type LeadCommand,
  type LeadEvent,
  type LeadState,
  type OpportunityCommand,
  type OpportunityEvent,
  type OpportunityState,
  type PipelineCommand,
  type PipelineDefinition,
  type PipelineEvent,
  type PipelineState,
} from '../domain';

/** What comes with a command besides its data: its metadata, and the revision the caller based it on. */
export interface CommandEnvelope {
  metadata: CommandMetadata;
  /** From If-Match. Without it, a lost race is retried on the newer state (the caller named no state). */
  expectedRevision?: ExpectedRevision;
}

export type PipelineResult = CommandResult<PipelineEvent, PipelineState>;
export type LeadResult = CommandResult<LeadEvent, LeadState>;
export type OpportunityResult = CommandResult<OpportunityEvent, OpportunityState>;
export type ActivityResult = CommandResult<ActivityEvent, ActivityState>;

/** What erasing a lead needs of its data keys (the DataKeyring). */
export interface LeadKeyShredder {
  destroy(leadId: string): Promise<void>;
}

const RETRY_ON_CONFLICT = { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 50 };

const CREATING = new Set(['DefinePipeline', 'CaptureLead', 'OpenOpportunity', 'ScheduleActivity']);

function optionsOf(type: string, { metadata, expectedRevision }: CommandEnvelope) {
  return {
    metadata,
    expectedRevision,
    retryOnConflict: expectedRevision === undefined ? RETRY_ON_CONFLICT : undefined,
    // A creating command starts its stream: append without reading first (the usual path answers a retry).
    startsStream: CREATING.has(type),
  };
}

export class SalesCommands {
  private readonly handlers = {
    pipeline: commandHandler(pipelineDecider),
    lead: commandHandler(leadDecider),
    opportunity: commandHandler(opportunityDecider),
    activity: commandHandler(activityDecider),
  };

  /** An opportunity's pipeline never changes: stage moves need not fold the opportunity twice to find it. */
  private readonly pipelineIds = new LruCache<string, string>(10_000);

  constructor(
    /** The decrypting store (SALES_EVENT_STORE). */
    readonly store: EventStore,
    private readonly keys: LeadKeyShredder,
  ) {}

  pipeline(command: PipelineCommand, envelope: CommandEnvelope): Promise<PipelineResult> {
    return this.handlers.pipeline(this.store, pipelineStream(command.data.pipelineId), command, optionsOf(command.type, envelope));
  }

  /**
   * EraseLeadContact appends LeadContactErased, then destroys the lead's key. The event comes first, so a crash
   * in between leaves an erased lead whose key still exists, never a live lead without one; a retry destroys it.
   */
  async lead(command: LeadCommand, envelope: CommandEnvelope): Promise<LeadResult> {
    const result = await this.handlers.lead(this.store, leadStream(command.data.leadId), command, optionsOf(command.type, envelope));
    if (command.type === 'EraseLeadContact') await this.keys.destroy(command.data.leadId);
    return result;
  }

  opportunity(command: OpportunityCommand, envelope: CommandEnvelope): Promise<OpportunityResult> {
    return this.handlers.opportunity(this.store, opportunityStream(command.data.opportunityId), command, optionsOf(command.type, envelope));
  }

  activity(command: ActivityCommand, envelope: CommandEnvelope): Promise<ActivityResult> {
    return this.handlers.activity(this.store, activityStream(command.data.activityId), command, optionsOf(command.type, envelope));
  }

  readPipeline(pipelineId: string): Promise<AggregateRead<PipelineState>> {
    return readAggregate(this.store, pipelineStream(pipelineId), pipelineDecider.evolve, pipelineDecider.initialState);
  }

  /** The pipeline as opportunity commands carry it; SalesNotFoundError when it is not defined. */
  async pipelineDefinition(pipelineId: string): Promise<PipelineDefinition> {
    return pipelineDefinitionOf((await this.readPipeline(pipelineId)).state, pipelineId);
  }

  /** The current definition of the opportunity's pipeline; SalesNotFoundError for an unknown opportunity. */
  async pipelineOfOpportunity(opportunityId: string): Promise<PipelineDefinition> {
    let pipelineId = this.pipelineIds.get(opportunityId);
    if (pipelineId === undefined) {
      pipelineId = openedOpportunity((await this.readOpportunity(opportunityId)).state, opportunityId).pipelineId;
      this.pipelineIds.set(opportunityId, pipelineId);
    }
    return this.pipelineDefinition(pipelineId);
  }

  readLead(leadId: string): Promise<AggregateRead<LeadState>> {
    return readAggregate(this.store, leadStream(leadId), leadDecider.evolve, leadDecider.initialState);
  }

  readOpportunity(opportunityId: string): Promise<AggregateRead<OpportunityState>> {
    return readAggregate(this.store, opportunityStream(opportunityId), opportunityDecider.evolve, opportunityDecider.initialState);
  }

  readActivity(activityId: string): Promise<AggregateRead<ActivityState>> {
    return readAggregate(this.store, activityStream(activityId), activityDecider.evolve, activityDecider.initialState);
  }
}
