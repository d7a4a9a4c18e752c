export * from './infra';
export * from './postgres';
export * from './kafka';
export * from './wait-for';
export * from './topic-reader';
export * from './service-app';
export { portOpen, REPO_ROOT } from './local-infra';
export * from './decider-spec';
export * from './roles';
