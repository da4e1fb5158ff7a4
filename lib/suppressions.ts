import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkScope } from './guard-options';
import { constructReasonProblem, containerSuppressionAnnotationKey, PolicyEngine, quotedReason, suppressionAnnotationKey } from './policy';
import { SynthPass } from './synth-pass';
import { setSharedValue, sharedValue } from './vocab/brand';
import { DNS_LABEL } from './vocab/labels';
import { shown } from './vocab/shown';

/** One suppression as registered: the annotation it writes, and what it excuses. */
interface Registered {
  readonly ruleId: string;
  /** The container whose findings it covers; the object's (and pod's) findings when undefined. */
  readonly container?: string;
  readonly reason: string;
}

// Per scope, the suppressions registered on it, by the annotation key each writes; kept on the scope
// so that every installed copy of the library writes and reads the same ones.
const REGISTERED = 'suppressions';
const registeredHere = (scope: IConstruct) => sharedValue(scope, REGISTERED) as Map<string, Registered> | undefined;
let knownRuleIds: Set<string> | undefined;

/**
 * Suppressions of policy rules on a construct subtree. Each needs a written reason;
 * each is written into the manifests of the subtree as the annotation
 * `suppress.cdk8s-secure.io/<rule-id>: <reason>` (or, for one container's findings,
 * `<container>.container.suppress.cdk8s-secure.io/<rule-id>: <reason>`), so the CLI and
 * auditors see the same justification. Suppressed findings still appear in every report.
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
    register(scope, 'Suppressions.add', { ruleId, reason });
  }

  /**
   * Suppresses `ruleId` for the findings about the container called `container` in the
   * ApiObjects under `scope`; the rule still applies to every other container and to the pod.
   *
   * @param scope the construct whose subtree the suppression covers
   * @param container the container's name
   * @param ruleId the rule to suppress, e.g. "read-only-root-filesystem"
   * @param reason why: at least 10 letters or digits, one line of plain text
   */
  public static addForContainer(scope: IConstruct, container: string, ruleId: string, reason: string): void {
    if (typeof container !== 'string' || !DNS_LABEL.test(container) || container.length > 63) {
      throw new Error(`Suppressions.addForContainer: 'container' (${shown(container ?? null)}) must be a container name (a DNS label)`);
    }
    register(scope, 'Suppressions.addForContainer', { ruleId, container, reason });
  }

  /**
   * The object-wide suppressions that cover `construct`: its own and its scopes', rule id to
   * reason. Where several scopes suppress the same rule, the nearest wins.
   */
  public static of(construct: IConstruct): { [ruleId: string]: string } {
    checkScope(construct, 'Suppressions.of');
    const result: { [ruleId: string]: string } = {};
    // From the App down, so that a nearer scope's reason replaces a farther one's.
    for (const scope of construct.node.scopes) {
      for (const s of registeredHere(scope)?.values() ?? []) if (s.container === undefined) result[s.ruleId] = s.reason;
    }
    return result;
  }

  private constructor() {}
}

function register(scope: IConstruct, method: string, suppression: Registered): void {
  checkScope(scope, method);
  const { ruleId, reason } = suppression;
  knownRuleIds ??= new Set(PolicyEngine.rules().map(r => r.id));
  if (!knownRuleIds.has(ruleId)) {
    throw new Error(`${method}: unknown rule ${shown(ruleId)}; known rules: ${[...knownRuleIds].join(', ')}`);
  }
  const problem = constructReasonProblem(reason);
  if (problem) {
    throw new Error(`${method}: the reason for "${ruleId}" (${quotedReason(reason)}) ${problem}`);
  }
  let own = registeredHere(scope);
  if (!own) {
    setSharedValue(scope, REGISTERED, own = new Map());
    // The App's synth pass writes the annotations at synth, so ApiObjects added to the subtree later are covered too.
    SynthPass.of(scope);
  }
  const { container } = suppression;
  const key = container === undefined ? suppressionAnnotationKey(ruleId) : containerSuppressionAnnotationKey(container, ruleId);
  const previous = own.get(key)?.reason;
  own.set(key, { ...suppression, reason: previous && previous !== reason ? `${previous}; ${reason}` : reason });
}

/**
 * Writes the suppression annotations that cover `obj` now. Whoever serialises an object
 * before the suppressions' own validation has run (a Guard, a workload checking itself)
 * calls this first, so the JSON they share with the YAML writer carries the annotations.
 */
export function writeSuppressionAnnotations(obj: ApiObject): void {
  // From the App down, so that a nearer scope's reason replaces a farther one's (each key keeps its first place).
  for (const scope of obj.node.scopes) for (const [key, s] of registeredHere(scope) ?? []) obj.metadata.addAnnotation(key, s.reason);
}
