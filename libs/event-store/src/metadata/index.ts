export * from './metadata';
export * from './uuid';
