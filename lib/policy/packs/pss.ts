import { ALL_CHECKS } from '../checks';
import { PssLevel, Severity } from '../model';
import { Pack } from './pack';

// A rule's place in the Pod Security Standards is its mapping.pss, written once in its check.
const errorsFor = (levels: PssLevel[]) => Object.fromEntries(ALL_CHECKS
  .filter(c => c.info.mapping.pss && levels.includes(c.info.mapping.pss.level))
  .map(c => [c.info.id, Severity.ERROR]));

/** Exactly what Pod Security Admission "baseline" enforces. */
export const PSS_BASELINE_PACK: Pack = {
  name: 'pss-baseline',
  description: 'The Pod Security Standards baseline profile, every control an error: what PSA enforce=baseline would admit.',
  rules: errorsFor([PssLevel.BASELINE]),
  psaComposition: true,
};

/** Exactly what Pod Security Admission "restricted" enforces. */
export const PSS_RESTRICTED_PACK: Pack = {
  name: 'pss-restricted',
  description: 'The Pod Security Standards restricted profile (baseline included), every control an error: what PSA enforce=restricted would admit.',
  rules: errorsFor([PssLevel.BASELINE, PssLevel.RESTRICTED]),
  psaComposition: true,
};
