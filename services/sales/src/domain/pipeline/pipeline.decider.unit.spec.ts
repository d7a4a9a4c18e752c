// Defining a pipeline, and changing its stages without ever changing a stage id.
import { DeciderSpecification } from '@crm/testing';
import { negotiation, PIPELINE, proposal, qualification, stages, t } from '../__fixtures__/sales.fixtures';
import { SalesAlreadyExistsError, SalesNotFoundError, SalesRuleViolation } from '../errors';
import type { Stage } from '../values';
import type { PipelineCommand } from './pipeline.commands';
import { pipelineDecider } from './pipeline.decider';
import type { PipelineEvent } from './pipeline.events';
import { pipelineDefinitionOf } from './pipeline.state';

const spec = DeciderSpecification.for(pipelineDecider);

const define = (stageList: readonly Stage[] = stages, name = 'New business'): PipelineCommand => ({
  type: 'DefinePipeline',
  data: { pipelineId: PIPELINE, name, stages: stageList, at: t(0) },
});
const defined: PipelineEvent = { type: 'PipelineDefined', data: { pipelineId: PIPELINE, name: 'New business', stages, definedAt: t(0) } };
const won: Stage = { id: 'closing', name: 'Closing', winProbability: 0.9 };
const many = (count: number): Stage[] => Array.from({ length: count }, (_, i) => ({ id: `stage-${i}`, name: `Stage ${i}`, winProbability: 0.5 }));

describe('DefinePipeline', () => {
  it('defines the pipeline with its stages in the given order', () => {
    spec.when(define()).then(defined);
    spec.when(define()).thenState({ status: 'defined', pipelineId: PIPELINE, name: 'New business', stages, definedAt: t(0) });
  });

  it('records each stage with exactly its id, name and probability', () => {
    const extra = { ...qualification, colour: 'red' } as Stage;
    spec.when(define([extra])).then({ ...defined, data: { ...defined.data, stages: [qualification] } });
  });

  it('takes up to 30 stages and the probabilities 0 and 1', () => {
    spec.when(define(many(30))).then({ ...defined, data: { ...defined.data, stages: many(30) } });
    const edges = [{ ...qualification, winProbability: 0 }, { ...proposal, winProbability: 1 }];
    spec.when(define(edges)).then({ ...defined, data: { ...defined.data, stages: edges } });
  });

  it('refuses a pipeline that is already defined', () => {
    spec.given(defined).when(define()).thenThrows(SalesAlreadyExistsError, (e) => e.code === 'PIPELINE_ALREADY_DEFINED' && e.kind === 'conflict');
  });

  const rejections: [string, PipelineCommand, string][] = [
    ['no stages', define([]), 'NO_STAGES'],
    ['more than 30 stages', define(many(31)), 'STAGE_LIMIT'],
    ['a stage id used twice', define([qualification, { ...proposal, id: 'qualification' }]), 'DUPLICATE_STAGE_ID'],
    ['a stage id that is no slug', define([{ ...qualification, id: 'Qualification Stage' }]), 'INVALID_STAGE_ID'],
    ['a probability above 1', define([{ ...qualification, winProbability: 1.5 }]), 'INVALID_WIN_PROBABILITY'],
    ['a negative probability', define([{ ...qualification, winProbability: -0.1 }]), 'INVALID_WIN_PROBABILITY'],
    ['a probability that is no number', define([{ ...qualification, winProbability: Number.NaN }]), 'INVALID_WIN_PROBABILITY'],
    ['a blank stage name', define([{ ...qualification, name: ' ' }]), 'INVALID_VALUE'],
    ['a blank pipeline name', define(stages, ''), 'INVALID_VALUE'],
  ];
  it.each(rejections)('refuses %s', (_, command, code) => {
    spec.when(command).thenThrows(SalesRuleViolation, (e) => e.code === code && e.kind === 'rejected' && e.aggregate === 'pipeline');
  });
});

describe('RenamePipeline, RenameStage and ChangeStageProbability', () => {
  const rename = (name: string): PipelineCommand => ({ type: 'RenamePipeline', data: { pipelineId: PIPELINE, name, at: t(1) } });
  const renameStage = (stageId: string, name: string): PipelineCommand => ({
    type: 'RenameStage',
    data: { pipelineId: PIPELINE, stageId, name, at: t(1) },
  });
  const reweigh = (stageId: string, winProbability: number): PipelineCommand => ({
    type: 'ChangeStageProbability',
    data: { pipelineId: PIPELINE, stageId, winProbability, at: t(1) },
  });

  it('renames the pipeline, and decides nothing for its current name', () => {
    spec.given(defined).when(rename('Enterprise')).then({ type: 'PipelineRenamed', data: { pipelineId: PIPELINE, name: 'Enterprise', at: t(1) } });
    spec.given(defined).when(rename('New business')).thenNothingHappened();
  });

  it('renames a stage, keeping its id and place', () => {
    spec.given(defined).when(renameStage('proposal', 'Offer')).then({
      type: 'StageRenamed',
      data: { pipelineId: PIPELINE, stageId: 'proposal', name: 'Offer', at: t(1) },
    });
    spec.given(defined).when(renameStage('proposal', 'Offer')).thenState({
      status: 'defined',
      pipelineId: PIPELINE,
      name: 'New business',
      stages: [qualification, { ...proposal, name: 'Offer' }, negotiation],
      definedAt: t(0),
    });
    spec.given(defined).when(renameStage('proposal', 'Proposal')).thenNothingHappened();
  });

  it('changes a stage probability, and decides nothing for the current one', () => {
    spec.given(defined).when(reweigh('negotiation', 0.7)).then({
      type: 'StageProbabilityChanged',
      data: { pipelineId: PIPELINE, stageId: 'negotiation', winProbability: 0.7, at: t(1) },
    });
    spec.given(defined).when(reweigh('negotiation', 0.8)).thenNothingHappened();
  });

  it('refuses an unknown stage, a bad name or probability', () => {
    spec.given(defined).when(renameStage('closing', 'Closing')).thenThrows(SalesRuleViolation, (e) => e.code === 'UNKNOWN_STAGE');
    spec.given(defined).when(reweigh('closing', 0.5)).thenThrows(SalesRuleViolation, (e) => e.code === 'UNKNOWN_STAGE');
    spec.given(defined).when(renameStage('proposal', '')).thenThrows(SalesRuleViolation, (e) => e.code === 'INVALID_VALUE');
    spec.given(defined).when(reweigh('proposal', 2)).thenThrows(SalesRuleViolation, (e) => e.code === 'INVALID_WIN_PROBABILITY');
    spec.given(defined).when(rename('x'.repeat(101))).thenThrows(SalesRuleViolation, (e) => e.code === 'INVALID_VALUE');
  });
});

describe('AddStage', () => {
  const add = (stage: Stage, position?: number): PipelineCommand => ({
    type: 'AddStage',
    data: { pipelineId: PIPELINE, stage, ...(position !== undefined && { position }), at: t(2) },
  });
  const added = (stage: Stage, position: number): PipelineEvent => ({ type: 'StageAdded', data: { pipelineId: PIPELINE, stage, position, at: t(2) } });

  it('appends a stage, or puts it at the given position', () => {
    spec.given(defined).when(add(won)).then(added(won, 3));
    spec.given(defined).when(add(won, 0)).then(added(won, 0));
    spec.given(defined).when(add(won, 2)).thenState({
      status: 'defined',
      pipelineId: PIPELINE,
      name: 'New business',
      stages: [qualification, proposal, won, negotiation],
      definedAt: t(0),
    });
  });

  it('decides nothing for a stage already there as given (a retry), and refuses another stage with its id', () => {
    spec.given([defined, added(won, 3)]).when(add(won)).thenNothingHappened();
    spec.given(defined).when(add({ ...proposal, name: 'Offer' })).thenThrows(SalesRuleViolation, (e) => e.code === 'DUPLICATE_STAGE_ID');
  });

  it('refuses a 31st stage, a position outside the pipeline, and a malformed stage', () => {
    const full: PipelineEvent = { ...defined, data: { ...defined.data, stages: many(30) } };
    spec.given(full).when(add(won)).thenThrows(SalesRuleViolation, (e) => e.code === 'STAGE_LIMIT');
    spec.given(defined).when(add(won, 4)).thenThrows(SalesRuleViolation, (e) => e.code === 'INVALID_POSITION');
    spec.given(defined).when(add(won, -1)).thenThrows(SalesRuleViolation, (e) => e.code === 'INVALID_POSITION');
    spec.given(defined).when(add(won, 1.5)).thenThrows(SalesRuleViolation, (e) => e.code === 'INVALID_POSITION');
    spec.given(defined).when(add({ ...won, id: '-closing' })).thenThrows(SalesRuleViolation, (e) => e.code === 'INVALID_STAGE_ID');
  });
});

describe('ReorderStages', () => {
  const reorder = (stageIds: string[]): PipelineCommand => ({ type: 'ReorderStages', data: { pipelineId: PIPELINE, stageIds, at: t(3) } });

  it('reorders the stages, keeping every stage as it was', () => {
    spec.given(defined).when(reorder(['proposal', 'qualification', 'negotiation'])).then({
      type: 'StagesReordered',
      data: { pipelineId: PIPELINE, stageIds: ['proposal', 'qualification', 'negotiation'], at: t(3) },
    });
    spec.given(defined).when(reorder(['negotiation', 'proposal', 'qualification'])).thenState({
      status: 'defined',
      pipelineId: PIPELINE,
      name: 'New business',
      stages: [negotiation, proposal, qualification],
      definedAt: t(0),
    });
  });

  it('decides nothing for the current order', () => {
    spec.given(defined).when(reorder(['qualification', 'proposal', 'negotiation'])).thenNothingHappened();
  });

  it.each([
    ['a stage missing', ['qualification', 'proposal']],
    ['a stage twice', ['qualification', 'proposal', 'proposal']],
    ['an unknown stage', ['qualification', 'proposal', 'closing']],
    ['an extra stage', ['qualification', 'proposal', 'negotiation', 'closing']],
  ])('refuses an order with %s', (_, stageIds) => {
    spec.given(defined).when(reorder(stageIds)).thenThrows(SalesRuleViolation, (e) => e.code === 'NOT_A_PERMUTATION');
  });
});

describe('a pipeline that is not defined', () => {
  const commands: PipelineCommand[] = [
    { type: 'RenamePipeline', data: { pipelineId: PIPELINE, name: 'x', at: t(1) } },
    { type: 'RenameStage', data: { pipelineId: PIPELINE, stageId: 'proposal', name: 'x', at: t(1) } },
    { type: 'ChangeStageProbability', data: { pipelineId: PIPELINE, stageId: 'proposal', winProbability: 0.2, at: t(1) } },
    { type: 'AddStage', data: { pipelineId: PIPELINE, stage: won, at: t(1) } },
    { type: 'ReorderStages', data: { pipelineId: PIPELINE, stageIds: [], at: t(1) } },
  ];
  it.each(commands.map((command) => [command.type, command] as const))('refuses %s', (_, command) => {
    spec.when(command).thenThrows(SalesNotFoundError, (e) => e.code === 'PIPELINE_NOT_FOUND' && e.kind === 'not_found');
  });

  it('has no definition for opportunities', () => {
    expect(() => pipelineDefinitionOf({ status: 'new' }, PIPELINE)).toThrow(SalesNotFoundError);
    expect(pipelineDefinitionOf(pipelineDecider.evolve(pipelineDecider.initialState(), defined), PIPELINE)).toEqual({ pipelineId: PIPELINE, stages });
  });
});

describe('evolve', () => {
  it('keeps the state for events about stages it does not have, and for a second definition', () => {
    const state = pipelineDecider.evolve(pipelineDecider.initialState(), defined);
    expect(pipelineDecider.evolve(state, { type: 'StageRenamed', data: { pipelineId: PIPELINE, stageId: 'closing', name: 'x', at: t(1) } })).toEqual(state);
    expect(pipelineDecider.evolve(state, { ...defined, data: { ...defined.data, name: 'Other' } })).toEqual(state);
    expect(pipelineDecider.evolve({ status: 'new' }, { type: 'PipelineRenamed', data: { pipelineId: PIPELINE, name: 'x', at: t(1) } })).toEqual({ status: 'new' });
  });
});
