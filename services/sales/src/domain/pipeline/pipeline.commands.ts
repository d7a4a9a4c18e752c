// What can be asked of a pipeline. `at` is the time the command was accepted (ISO-8601 UTC), given from outside.
import type { Command } from '@crm/event-store';
import type { Stage } from '../values';

type Id = { pipelineId: string; at: string };

/** At least one stage, at most 30, unique slug ids; the order given is the pipeline's order. */
export type DefinePipeline = Command<'DefinePipeline', Id & { name: string; stages: readonly Stage[] }>;
export type RenamePipeline = Command<'RenamePipeline', Id & { name: string }>;
export type RenameStage = Command<'RenameStage', Id & { stageId: string; name: string }>;
export type ChangeStageProbability = Command<'ChangeStageProbability', Id & { stageId: string; winProbability: number }>;
/** `position` is the index the stage gets (0 = first); without it the stage is appended. */
export type AddStage = Command<'AddStage', Id & { stage: Stage; position?: number }>;
/** `stageIds` is the full new order: every stage id of the pipeline, once. */
export type ReorderStages = Command<'ReorderStages', Id & { stageIds: readonly string[] }>;

export type PipelineCommand = DefinePipeline | RenamePipeline | RenameStage | ChangeStageProbability | AddStage | ReorderStages;

export type PipelineCommandType = PipelineCommand['type'];
