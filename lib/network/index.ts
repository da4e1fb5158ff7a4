export * from './egress-destination';
export * from './network-access';
