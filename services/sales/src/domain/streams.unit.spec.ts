// Stream names of the sales aggregates.
import { ACTIVITY, LEAD, OPPORTUNITY, PIPELINE } from './__fixtures__/sales.fixtures';
import { activityStream, idOfStream, leadStream, opportunityStream, pipelineStream, salesAggregateOf } from './streams';

describe('sales stream names', () => {
  it('are the category and the lower-case uuid', () => {
    expect(pipelineStream(PIPELINE)).toBe(`pipeline-${PIPELINE}`);
    expect(leadStream(LEAD.toUpperCase())).toBe(`lead-${LEAD}`);
    expect(opportunityStream(OPPORTUNITY)).toBe(`opportunity-${OPPORTUNITY}`);
    expect(activityStream(ACTIVITY)).toBe(`activity-${ACTIVITY}`);
  });

  it('name their aggregate and id', () => {
    expect(salesAggregateOf(opportunityStream(OPPORTUNITY))).toBe('opportunity');
    expect(salesAggregateOf(`customer-${LEAD}`)).toBeUndefined();
    expect(idOfStream('lead', leadStream(LEAD))).toBe(LEAD);
    expect(() => idOfStream('lead', opportunityStream(OPPORTUNITY))).toThrow(TypeError);
  });
});
