// The state a pipeline stream folds into, and the guard that refuses commands on a pipeline not yet defined.
import { SalesNotFoundError } from '../errors';
import type { PipelineDefinition, Stage } from '../values';

export type NewPipeline = { status: 'new' };

export type DefinedPipeline = { status: 'defined'; pipelineId: string; name: string; stages: readonly Stage[]; definedAt: string };

export type PipelineState = NewPipeline | DefinedPipeline;

export function definedPipeline(state: PipelineState, pipelineId: string): DefinedPipeline {
  if (state.status === 'new') throw new SalesNotFoundError('pipeline', pipelineId);
  return state;
}

/** What OpenOpportunity, MoveToStage and Reopen need of a pipeline; throws when it is not defined. */
export function pipelineDefinitionOf(state: PipelineState, pipelineId: string): PipelineDefinition {
  const { stages } = definedPipeline(state, pipelineId);
  return { pipelineId, stages };
}
