// The pipeline decider. Stage ids never change and stages are never removed, so the stage an open opportunity
// points at stays valid through renames, probability changes, additions and reorders.
// Asking for what is already so (the same name, the same order, a stage already added as given) decides nothing.
import { assertNever, type Decider } from '@crm/event-store';
import { SalesAlreadyExistsError } from '../errors';
import { checkStage, checkText, checkWinProbability, jsonEqual, violation, type Subject } from '../rules';
import { LIMITS, type Stage } from '../values';
import type { PipelineCommand } from './pipeline.commands';
import type { PipelineEvent } from './pipeline.events';
import { evolve, initialState } from './pipeline.evolve';
import { definedPipeline, type DefinedPipeline, type PipelineState } from './pipeline.state';

export function decide(command: PipelineCommand, state: PipelineState): PipelineEvent[] {
  const { pipelineId, at } = command.data;
  const subject: Subject = { aggregate: 'pipeline', id: pipelineId };
  switch (command.type) {
    case 'DefinePipeline': {
      if (state.status !== 'new') throw new SalesAlreadyExistsError('pipeline', pipelineId);
      const { name, stages } = command.data;
      checkText(subject, 'name', name, LIMITS.pipelineName);
      if (!Array.isArray(stages) || stages.length === 0) throw violation(subject, 'NO_STAGES', 'A pipeline has at least one stage');
      if (stages.length > LIMITS.stages) throw stageLimit(subject);
      const checked = stages.map((stage, index) => checkStage(subject, stage, `stages.${index}`));
      const duplicate = checked.find((stage, index) => checked.findIndex((other) => other.id === stage.id) !== index);
      if (duplicate) throw duplicateStage(subject, duplicate.id);
      return [{ type: 'PipelineDefined', data: { pipelineId, name, stages: checked, definedAt: at } }];
    }

    case 'RenamePipeline': {
      const pipeline = definedPipeline(state, pipelineId);
      const { name } = command.data;
      checkText(subject, 'name', name, LIMITS.pipelineName);
      if (pipeline.name === name) return [];
      return [{ type: 'PipelineRenamed', data: { pipelineId, name, at } }];
    }

    case 'RenameStage': {
      const { stageId, name } = command.data;
      const stage = stageOf(subject, definedPipeline(state, pipelineId), stageId);
      checkText(subject, 'name', name, LIMITS.stageName);
      if (stage.name === name) return [];
      return [{ type: 'StageRenamed', data: { pipelineId, stageId, name, at } }];
    }

    case 'ChangeStageProbability': {
      const { stageId, winProbability } = command.data;
      const stage = stageOf(subject, definedPipeline(state, pipelineId), stageId);
      checkWinProbability(subject, winProbability);
      if (stage.winProbability === winProbability) return [];
      return [{ type: 'StageProbabilityChanged', data: { pipelineId, stageId, winProbability, at } }];
    }

    // A retry of an addition that happened (same id, name and probability) is answered with nothing.
    case 'AddStage': {
      const pipeline = definedPipeline(state, pipelineId);
      const stage = checkStage(subject, command.data.stage);
      const existing = pipeline.stages.find((s) => s.id === stage.id);
      if (existing) {
        if (jsonEqual(existing, stage)) return [];
        throw duplicateStage(subject, stage.id);
      }
      if (pipeline.stages.length >= LIMITS.stages) throw stageLimit(subject);
      const position = command.data.position ?? pipeline.stages.length;
      if (!Number.isInteger(position) || position < 0 || position > pipeline.stages.length) {
        throw violation(subject, 'INVALID_POSITION', `position must be an index from 0 to ${pipeline.stages.length}`, {
          field: 'position',
          max: pipeline.stages.length,
        });
      }
      return [{ type: 'StageAdded', data: { pipelineId, stage, position, at } }];
    }

    case 'ReorderStages': {
      const pipeline = definedPipeline(state, pipelineId);
      const { stageIds } = command.data;
      const current = pipeline.stages.map((stage) => stage.id);
      const isPermutation =
        Array.isArray(stageIds) && stageIds.length === current.length && new Set(stageIds).size === current.length && current.every((id) => stageIds.includes(id));
      if (!isPermutation) {
        throw violation(subject, 'NOT_A_PERMUTATION', 'stageIds must name every stage of the pipeline exactly once', { stageIds: current });
      }
      if (jsonEqual(current, stageIds)) return [];
      return [{ type: 'StagesReordered', data: { pipelineId, stageIds: [...stageIds], at } }];
    }

    default:
      return assertNever(command, 'Unknown pipeline command');
  }
}

function stageOf(subject: Subject, pipeline: DefinedPipeline, stageId: string): Stage {
  const stage = pipeline.stages.find((s) => s.id === stageId);
  if (!stage) throw violation(subject, 'UNKNOWN_STAGE', `Pipeline ${pipeline.pipelineId} has no stage ${stageId}`, { stageId });
  return stage;
}

const stageLimit = (subject: Subject) =>
  violation(subject, 'STAGE_LIMIT', `A pipeline has at most ${LIMITS.stages} stages`, { limit: LIMITS.stages });

const duplicateStage = (subject: Subject, stageId: string) =>
  violation(subject, 'DUPLICATE_STAGE_ID', `Stage id ${stageId} is already used in this pipeline`, { stageId });

export const pipelineDecider: Decider<PipelineCommand, PipelineEvent, PipelineState> = { decide, evolve, initialState };
