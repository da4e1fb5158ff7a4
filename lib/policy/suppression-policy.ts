// Which in-manifest suppressions count. A suppression annotation is written by whoever wrote
// the manifest, and a third-party chart can annotate its own privileged pod; the CI owner
// decides, with this policy, whose suppressions are honoured. A refused suppression leaves
// the finding as it is and is listed as refused in every report.
import { CORE_SCHEMA, load } from 'js-yaml';
import { ioFailure, readSettingsFile } from '../vocab/bounded-read';
import { brand, hasBrand } from '../vocab/brand';
import { shown } from '../vocab/shown';
import { ALL_CHECKS } from './checks';
import { ObjectRef } from './model';

/**
 * One kind of suppression a policy honours: a rule, optionally only on some objects.
 */
export interface SuppressionAllowance {
  /** The rule id whose suppressions are honoured, or "*" for every rule. */
  readonly rule: string;
  /**
   * Only on objects in this namespace (`metadata.namespace` as written in the manifest).
   * @default - in any namespace, and on objects without one
   */
  readonly namespace?: string;
  /**
   * Only on objects of this kind, e.g. "DaemonSet".
   * @default - any kind
   */
  readonly kind?: string;
  /**
   * Only on the object of this `metadata.name`.
   * @default - any name
   */
  readonly name?: string;
}

const FIELDS = ['rule', 'namespace', 'kind', 'name'] as const;
const ENTRY = '{ rule, namespace?, kind?, name? }';
const FILE_FORMAT = 'allow: [{ rule: <rule id or "*">, namespace?: <namespace>, kind?: <kind>, name?: <name> }, ...]';

/**
 * The suppressions the engine honours: all (the default), none, or those a list allows.
 */
export class SuppressionPolicy {
  /** Every suppression with a valid reason counts (the default: your own constructs' exemptions are suppressions). */
  public static all(): SuppressionPolicy {
    return new SuppressionPolicy('all', undefined);
  }

  /** No suppression counts: every finding stays, and the suppressions are listed as refused. */
  public static none(): SuppressionPolicy {
    return new SuppressionPolicy('none', []);
  }

  /**
   * Only the suppressions `allowances` name count.
   *
   * @param allowances the rules (optionally per namespace, kind and name) whose suppressions are honoured
   * @param description how reports name the policy
   */
  public static allow(allowances: SuppressionAllowance[], description: string = 'the allowed suppressions'): SuppressionPolicy {
    if (!Array.isArray(allowances)) {
      throw new Error(`SuppressionPolicy.allow: 'allowances' (${shown(allowances ?? null)}) must be a list of ${ENTRY}`);
    }
    return new SuppressionPolicy(description, allowances.map((a, i) => checkedAllowance(a, `SuppressionPolicy.allow: 'allowances[${i}]'`)));
  }

  /**
   * Reads a policy file (YAML or JSON): `allow:` lists the allowed suppressions, each
   * `{ rule, namespace?, kind?, name? }`. Errors name the file and the entry.
   */
  public static fromFile(file: string): SuppressionPolicy {
    if (typeof file !== 'string' || file === '') {
      throw new Error(`SuppressionPolicy.fromFile: 'file' (${shown(file)}) must be the path of a policy file`);
    }
    let data: any;
    try {
      data = load(readSettingsFile(file), { schema: CORE_SCHEMA, filename: file });
    } catch (e) {
      throw new Error(`cannot read the suppression policy ${file}: ${ioFailure(e)}`);
    }
    if (!data || typeof data !== 'object' || Array.isArray(data) || !Array.isArray(data.allow) || Object.keys(data).some(k => k !== 'allow')) {
      throw new Error(`suppression policy ${file}: must be a map with only "allow": ${FILE_FORMAT}`);
    }
    const allowances = data.allow.map((a: unknown, i: number) => checkedAllowance(a, `suppression policy ${file}: allow[${i}]`));
    return new SuppressionPolicy(file, allowances);
  }

  /**
   * The policy a command line or plugin property names: "all", "none" or the path of a policy file.
   */
  public static fromString(value: string): SuppressionPolicy {
    if (typeof value !== 'string' || value === '') {
      throw new Error(`'suppressionPolicy' (${shown(value ?? null)}) must be "all", "none" or the path of a suppression policy file`);
    }
    if (value === 'all') return SuppressionPolicy.all();
    if (value === 'none') return SuppressionPolicy.none();
    return SuppressionPolicy.fromFile(value);
  }

  /** Whether `x` is a SuppressionPolicy (of any installed copy of this library). */
  public static isSuppressionPolicy(x: any): x is SuppressionPolicy {
    return hasBrand(x, 'SuppressionPolicy');
  }

  /** How reports name the policy: "all", "none" or the policy file. */
  public readonly description: string;
  private readonly allowances: readonly SuppressionAllowance[] | undefined;

  private constructor(description: string, allowances: SuppressionAllowance[] | undefined) {
    brand(this, 'SuppressionPolicy');
    this.description = description;
    this.allowances = allowances;
  }

  /**
   * Why the policy refuses a suppression of `ruleId` on `object`, or undefined when it honours it.
   */
  public refusal(ruleId: string, object: ObjectRef): string | undefined {
    if (!this.allowances) return undefined;
    const allowed = this.allowances.some(a => (a.rule === '*' || a.rule === ruleId)
      && (a.namespace === undefined || a.namespace === object.namespace)
      && (a.kind === undefined || a.kind === object.kind)
      && (a.name === undefined || a.name === object.name));
    return allowed ? undefined : `the suppression of "${ruleId}" is not allowed by the suppression policy (${this.description})`;
  }
}

/**
 * The policy used where none is given: all, except under a pack that gives Pod Security Admission's verdict
 * (psaComposition: pss-baseline, pss-restricted), where none counts. PSA reads no annotation: a pod it rejects is
 * rejected whatever its manifest says of itself, so the pack's verdict is not the manifest's to silence. Asking for
 * all, or for a policy file, still honours them.
 */
export function defaultSuppressionPolicy(pack: { readonly name: string; readonly psaComposition?: boolean }): SuppressionPolicy {
  return pack.psaComposition
    ? SuppressionPolicy.allow([], `none under the ${pack.name} pack, whose verdict is Pod Security Admission's and no annotation `
      + 'changes; suppressionPolicy all (--suppressions all) or a policy file honours them')
    : SuppressionPolicy.all();
}

function checkedAllowance(entry: any, where: string): SuppressionAllowance {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new Error(`${where} must be a map: ${ENTRY}`);
  const unknown = Object.keys(entry).find(k => !(FIELDS as readonly string[]).includes(k));
  if (unknown !== undefined) throw new Error(`${where} has the unknown field "${unknown}"; the fields are ${FIELDS.join(', ')}`);
  for (const field of FIELDS) {
    const value = entry[field];
    if ((value !== undefined || field === 'rule') && (typeof value !== 'string' || value === '')) {
      throw new Error(`${where}: "${field}" (${shown(value ?? null)}) must be a non-empty string`);
    }
  }
  if (entry.rule !== '*' && !ALL_CHECKS.some(c => c.info.id === entry.rule)) {
    const ids = ALL_CHECKS.map(c => c.info.id).join(', ');
    throw new Error(`${where}: "rule" (${shown(entry.rule)}) is not a rule; use "*" or one of ${ids}`);
  }
  return { rule: entry.rule, namespace: entry.namespace, kind: entry.kind, name: entry.name };
}
