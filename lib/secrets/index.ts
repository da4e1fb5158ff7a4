export * from './secret-mount';
export * from './external-secret';
export * from './secret-provider-class';
