// Folding pipeline events into state. Every event ever written folds without throwing; an event about a stage
// this state does not have changes nothing.
import { ignoreUnknownEvent } from '@crm/event-store';
import type { Stage } from '../values';
import type { PipelineEvent } from './pipeline.events';
import type { DefinedPipeline, PipelineState } from './pipeline.state';

export const initialState = (): PipelineState => ({ status: 'new' });

export function evolve(state: PipelineState, event: PipelineEvent): PipelineState {
  switch (event.type) {
    case 'PipelineDefined': {
      if (state.status !== 'new') return state;
      const { pipelineId, name, stages, definedAt } = event.data;
      return { status: 'defined', pipelineId, name, stages, definedAt };
    }
    case 'PipelineRenamed':
      return whenDefined(state, (p) => ({ ...p, name: event.data.name }));
    case 'StageRenamed':
      return whenDefined(state, (p) => withStage(p, event.data.stageId, (s) => ({ ...s, name: event.data.name })));
    case 'StageProbabilityChanged':
      return whenDefined(state, (p) => withStage(p, event.data.stageId, (s) => ({ ...s, winProbability: event.data.winProbability })));
    case 'StageAdded': {
      const { stage, position } = event.data;
      return whenDefined(state, (p) =>
        p.stages.some((s) => s.id === stage.id) ? p : { ...p, stages: [...p.stages.slice(0, position), stage, ...p.stages.slice(position)] },
      );
    }
    case 'StagesReordered': {
      const byId = new Map<string, Stage>();
      return whenDefined(state, (p) => {
        for (const stage of p.stages) byId.set(stage.id, stage);
        // Stages the event does not name (none, when decided here) keep their place at the end.
        const ordered = [...new Set(event.data.stageIds)].flatMap((id) => byId.get(id) ?? []);
        const rest = p.stages.filter((stage) => !event.data.stageIds.includes(stage.id));
        return { ...p, stages: [...ordered, ...rest] };
      });
    }
    default:
      return ignoreUnknownEvent(event, state);
  }
}

function whenDefined(state: PipelineState, update: (pipeline: DefinedPipeline) => PipelineState): PipelineState {
  return state.status === 'defined' ? update(state) : state;
}

function withStage(pipeline: DefinedPipeline, stageId: string, update: (stage: Stage) => Stage): DefinedPipeline {
  return { ...pipeline, stages: pipeline.stages.map((stage) => (stage.id === stageId ? update(stage) : stage)) };
}
