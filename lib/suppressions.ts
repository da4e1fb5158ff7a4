import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { PolicyEngine } from './policy/engine';
import { constructReasonProblem, suppressionAnnotationKey } from './policy/suppressions';
import { memoInSynth, trackSynth } from './synth-scope';

const registry = new WeakMap<IConstruct, Map<string, string>>();
let knownRuleIds: Set<string> | undefined;

/**
 * Suppressions of policy rules on a construct subtree. Each needs a written reason;
 * each is written into the manifests of the subtree as the annotation
 * `suppress.cdk8s-secure.io/<rule-id>: <reason>`, so the CLI and auditors see the
 * same justification. Suppressed findings still appear in every report.
 */
export class Suppressions {
  /**
   * Suppresses `ruleId` for every ApiObject under `scope`, including ones added later.
   *
   * @param scope the construct whose subtree the suppression covers
   * @param ruleId the rule to suppress, e.g. "host-port"
   * @param reason why: at least 10 letters or digits, one line of plain text
   */
  public static add(scope: IConstruct, ruleId: string, reason: string): void {
    knownRuleIds ??= new Set(PolicyEngine.rules().map(r => r.id));
    if (!knownRuleIds.has(ruleId)) {
      throw new Error(`Suppressions.add: unknown rule "${ruleId}"; known rules: ${[...knownRuleIds].join(', ')}`);
    }
    const problem = constructReasonProblem(reason);
    if (problem) {
      throw new Error(`Suppressions.add: the reason for "${ruleId}" (${JSON.stringify(reason ?? null)}) ${problem}`);
    }
    let own = registry.get(scope);
    if (!own) {
      own = new Map();
      registry.set(scope, own);
      const entries = own;
      // Written at synth, so ApiObjects added to the subtree later are covered too; once per
      // synth, although cdk8s runs every validation 1 + (number of charts) times.
      trackSynth(scope);
      scope.node.addValidation({
        validate: () => memoInSynth(scope, entries, () => {
          for (const child of scope.node.findAll()) {
            if (ApiObject.isApiObject(child)) for (const [id, why] of entries) child.metadata.addAnnotation(suppressionAnnotationKey(id), why);
          }
          return [];
        }),
      });
    }
    const previous = own.get(ruleId);
    own.set(ruleId, previous && previous !== reason ? `${previous}; ${reason}` : reason);
  }

  /**
   * The suppressions that cover `construct`: its own and its scopes', rule id to reason.
   * Where several scopes suppress the same rule, the nearest wins.
   */
  public static of(construct: IConstruct): { [ruleId: string]: string } {
    const result: { [ruleId: string]: string } = {};
    for (const scope of construct.node.scopes) {
      const own = registry.get(scope);
      if (own) for (const [id, reason] of own) result[id] = reason;
    }
    return result;
  }

  private constructor() {}
}

/**
 * Writes the suppression annotations that cover `obj` now. Whoever serialises an object
 * before the suppressions' own validation has run (a Guard, a workload checking itself)
 * calls this first, so the JSON they share with the YAML writer carries the annotations.
 */
export function writeSuppressionAnnotations(obj: ApiObject): { [ruleId: string]: string } {
  const suppressions = Suppressions.of(obj);
  for (const [id, reason] of Object.entries(suppressions)) obj.metadata.addAnnotation(suppressionAnnotationKey(id), reason);
  return suppressions;
}
