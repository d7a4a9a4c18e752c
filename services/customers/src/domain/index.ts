// The pure customer domain: commands, events, state, the decider and the personal-data map.
export * from './customer.values';
export * from './customer.events';
export * from './customer.commands';
export * from './customer.errors';
export * from './customer.state';
export * from './customer.decider';
export { initialState, evolve } from './customer.evolve';
export { mergeSnapshotOf } from './customer.merge';
export { MAX_TAGS } from './customer.profile';
export { summaryOf } from './customer.purchases';
export * from './customer.personal-data';
