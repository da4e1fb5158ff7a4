export * from './sensitivity';
export * from './node-pool';
export * from './runtime-class';
