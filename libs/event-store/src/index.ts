export * from './types';
export * from './errors';
export * from './decider';
export * from './metadata';
export * from './upcasting';
export * from './command';
