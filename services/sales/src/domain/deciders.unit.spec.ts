// What every sales decider shares: unknown event types fold to the same state (a newer service version wrote
// them), events for an aggregate not yet created change nothing, unknown commands are bugs, errors carry codes.
import { ACTIVITY, LEAD, OPPORTUNITY, PIPELINE, t } from './__fixtures__/sales.fixtures';
import { activityDecider } from './activity/activity.decider';
import { hasCode, SalesNotFoundError } from './errors';
import { leadDecider } from './lead/lead.decider';
import { opportunityDecider } from './opportunity/opportunity.decider';
import { pipelineDecider } from './pipeline/pipeline.decider';

const deciders = [
  ['pipeline', pipelineDecider, { type: 'PipelineRenamed', data: { pipelineId: PIPELINE, name: 'x', at: t(1) } }],
  ['lead', leadDecider, { type: 'LeadQualified', data: { leadId: LEAD, at: t(1) } }],
  ['opportunity', opportunityDecider, { type: 'OpportunityReassigned', data: { opportunityId: OPPORTUNITY, ownerId: 'x', at: t(1) } }],
  ['activity', activityDecider, { type: 'ActivityCompleted', data: { activityId: ACTIVITY, at: t(1) } }],
] as const;

describe.each(deciders)('the %s decider', (_, decider, laterEvent) => {
  const evolve = decider.evolve as (state: unknown, event: unknown) => unknown;
  const decide = decider.decide as (command: unknown, state: unknown) => unknown;

  it('keeps the state for an event type it does not know', () => {
    const state = decider.initialState();
    expect(evolve(state, { type: 'SomethingNewer', data: {} })).toBe(state);
  });

  it('changes nothing for an event about an aggregate that was never created', () => {
    expect(evolve(decider.initialState(), laterEvent)).toEqual({ status: 'new' });
  });

  it('throws on a command type it does not know', () => {
    expect(() => decide({ type: 'DoSomethingNewer', data: { at: t(1) } }, decider.initialState())).toThrow(/Unknown .* command/);
  });
});

describe('hasCode', () => {
  it('tells a sales error by its code', () => {
    const error = new SalesNotFoundError('lead', LEAD);
    expect(hasCode('LEAD_NOT_FOUND')(error)).toBe(true);
    expect(hasCode('OPPORTUNITY_NOT_FOUND')(error)).toBe(false);
    expect(hasCode('LEAD_NOT_FOUND')(new Error('LEAD_NOT_FOUND'))).toBe(false);
    expect(error).toMatchObject({ aggregate: 'lead', aggregateId: LEAD, kind: 'not_found', details: {} });
  });
});
