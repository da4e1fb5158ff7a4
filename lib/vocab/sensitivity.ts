/**
 * How sensitive a workload's data and purpose are. Workloads of different sensitivity
 * never share a node pool (NIST SP 800-190 4.3.4, 4.5.2).
 */
export enum Sensitivity {
  /** Public data, internet-facing (a web frontend). */
  PUBLIC = 'public',
  /** Internal data (most services). */
  INTERNAL = 'internal',
  /** Confidential data (customer records, credentials). */
  CONFIDENTIAL = 'confidential',
  /** Regulated data (payments, health). */
  RESTRICTED = 'restricted',
}

const ORDER = [Sensitivity.PUBLIC, Sensitivity.INTERNAL, Sensitivity.CONFIDENTIAL, Sensitivity.RESTRICTED];

/** The position of `s` on the scale (PUBLIC = 0), or -1 when it is not a Sensitivity. */
export function sensitivityRank(s: string): number {
  return ORDER.indexOf(s as Sensitivity);
}
