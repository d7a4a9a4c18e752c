export * from './upcasters';
