// The internal events of a pipeline stream (`pipeline-<uuid>`). Not published: opportunity events carry the stage
// as it was, so subscribers never need the pipeline's history.
import type { Event } from '@crm/event-store';
import type { Stage } from '../values';

type Id = { pipelineId: string };

export type PipelineDefined = Event<'PipelineDefined', Id & { name: string; stages: readonly Stage[]; definedAt: string }>;
export type PipelineRenamed = Event<'PipelineRenamed', Id & { name: string; at: string }>;
export type StageRenamed = Event<'StageRenamed', Id & { stageId: string; name: string; at: string }>;
export type StageProbabilityChanged = Event<'StageProbabilityChanged', Id & { stageId: string; winProbability: number; at: string }>;
/** `position` is resolved: the index the stage has right after this event. */
export type StageAdded = Event<'StageAdded', Id & { stage: Stage; position: number; at: string }>;
export type StagesReordered = Event<'StagesReordered', Id & { stageIds: readonly string[]; at: string }>;

export type PipelineEvent = PipelineDefined | PipelineRenamed | StageRenamed | StageProbabilityChanged | StageAdded | StagesReordered;

export type PipelineEventType = PipelineEvent['type'];
