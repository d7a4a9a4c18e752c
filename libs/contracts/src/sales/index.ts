export { salesTopic } from './topic';
export * from './lead.events';
export * from './opportunity.events';
export * from './activity.events';
export * from './catalogue';
