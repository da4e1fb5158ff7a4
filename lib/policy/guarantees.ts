// A manifest can carry the rules it guarantees, as one annotation:
//   cdk8s-secure.io/guarantees: read-only-root-filesystem,run-as-non-root,...
// The engine runs those rules on that object as errors whatever the pack, so a pack can add
// rules and raise severities but never remove what a Secure* construct promised; the CLI
// reading the written YAML sees the same promise. The annotation can only add checking.

export const GUARANTEES_ANNOTATION = 'cdk8s-secure.io/guarantees';

/** The annotation value for `ruleIds`: sorted and unique, so equal promises are equal strings. */
export function guaranteesValue(ruleIds: Iterable<string>): string {
  return [...new Set(ruleIds)].sort().join(',');
}

/** The rule ids an annotation value names, or the problem with it. */
export function parseGuarantees(value: unknown, knownRuleIds: { has(ruleId: string): boolean }): { ruleIds: string[]; problem?: string } {
  if (typeof value !== 'string') {
    return { ruleIds: [], problem: `annotation ${GUARANTEES_ANNOTATION} must be a comma-separated list of rule ids (got ${JSON.stringify(value)})` };
  }
  const ruleIds = value.split(',').map(id => id.trim()).filter(id => id !== '');
  const unknown = ruleIds.filter(id => !knownRuleIds.has(id));
  if (unknown.length) {
    const names = unknown.map(id => `"${id}"`).join(', ');
    return { ruleIds, problem: `annotation ${GUARANTEES_ANNOTATION} names unknown rule(s) ${names}; use ids from RULES.md` };
  }
  return { ruleIds };
}
