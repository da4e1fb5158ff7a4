export * from '../vocab/sensitivity';
export * from './node-pool';
export * from './runtime-class';
