export * from './handle-command';
export { readAggregate, toDeciderEvent, toEventData, UnreadableStreamError, type AggregateRead } from './read-aggregate';
export { backoffDelay, type RetryOnConflict } from './retry';
export { stepOf } from './step';
