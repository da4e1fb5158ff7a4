export * from './log-output';
export * from './log-shipper';
export * from './event-shipper';
