import { Severity } from '../model';
import { Pack } from './pack';

const BASELINE_RULES = [
  'host-process', 'host-namespaces', 'privileged-container', 'capabilities-baseline', 'host-path-volume',
  'host-port', 'apparmor', 'selinux', 'proc-mount', 'seccomp-unconfined', 'sysctls', 'probe-host',
];
const RESTRICTED_RULES = [
  ...BASELINE_RULES,
  'volume-types', 'privilege-escalation', 'run-as-non-root', 'run-as-non-root-user', 'seccomp-required', 'capabilities-restricted',
];

const errors = (ids: string[]) => Object.fromEntries(ids.map(id => [id, Severity.ERROR]));

/** Exactly what Pod Security Admission "baseline" enforces. */
export const PSS_BASELINE_PACK: Pack = {
  name: 'pss-baseline',
  description: 'The Pod Security Standards baseline profile, every control an error: what PSA enforce=baseline would admit.',
  rules: errors(BASELINE_RULES),
};

/** Exactly what Pod Security Admission "restricted" enforces. */
export const PSS_RESTRICTED_PACK: Pack = {
  name: 'pss-restricted',
  description: 'The Pod Security Standards restricted profile (baseline included), every control an error: what PSA enforce=restricted would admit.',
  rules: errors(RESTRICTED_RULES),
};
