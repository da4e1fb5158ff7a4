export * from './props';
export * from './secure-workload';
export * from './secure-deployment';
export * from './secure-stateful-set';
export * from './secure-job';
export * from './secure-cron-job';
