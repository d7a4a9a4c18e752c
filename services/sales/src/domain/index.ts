// The pure sales domain: pipelines, leads, opportunities and sales activities (one decider each), the lead's
// personal-data map, and the conversion process that answers the customers service's events.
export * from './values';
export * from './streams';
export * from './errors';
export { instantOf } from './rules';

export * from './pipeline/pipeline.commands';
export * from './pipeline/pipeline.events';
export * from './pipeline/pipeline.state';
export { pipelineDecider } from './pipeline/pipeline.decider';

export * from './lead/lead.commands';
export * from './lead/lead.events';
export * from './lead/lead.state';
export { leadDecider } from './lead/lead.decider';
export * from './lead/lead.personal-data';

export * from './opportunity/opportunity.commands';
export * from './opportunity/opportunity.events';
export * from './opportunity/opportunity.state';
export { opportunityDecider } from './opportunity/opportunity.decider';

export * from './activity/activity.commands';
export * from './activity/activity.events';
export * from './activity/activity.state';
export { activityDecider, sameInstant } from './activity/activity.decider';

export * from './conversion/conversion.process';
