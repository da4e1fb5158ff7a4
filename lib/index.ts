// The public face of cdk8s-secure: exports only.
export * from './policy/model';
export * from './policy/packs/pack';
export * from './policy/packs';
export * from './policy/engine';
export * from './policy/suppression-policy';
export * from './policy/report/report';
export * from './policy/image-record';
export * from './workloads';
export * from './secrets';
export * from './scheduling';
export * from './namespace';
export * from './logging';
export * from './supply-chain';
export * from './suppressions';
export * from './guard';
export { CheckSettings, ScopeCheckOptions } from './scope-check';
export * from './plugin';
export * from './testing';
