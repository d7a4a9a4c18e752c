export { customersTopic } from './topic';
export * from './profile.events';
export * from './lifecycle.events';
export * from './purchase-and-consent.events';
export * from './catalogue';
