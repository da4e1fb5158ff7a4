// How RBAC reads a role, decided once for every RBAC rule: which PolicyRules a Role or
// ClusterRole grants (an aggregated ClusterRole's come from the ClusterRoles its selectors
// reach, among the objects checked and the cluster's built-in ones of rbac-bootstrap.ts; rbac-aggregation.ts
// works that out once per input), which role a binding grants (a built-in ClusterRole by its bootstrap rules,
// when not in the input), and whether a rule covers a verb on a resource, with the authorizer's own matching
// (`*`, `*/subresource`).
// Reads: rules[*].{apiGroups,resources,verbs,resourceNames,nonResourceURLs},
// aggregationRule.clusterRoleSelectors, metadata.labels of ClusterRoles, roleRef, subjects.
import { Check, CheckContext, ObjectIndex, Violation } from './check';
import { MAX_LISTED, shown, shownList } from './checks/shown';
import { inGroup } from './pod-view';
import { aggregationOf } from './rbac-aggregation';
import { BOOTSTRAP_CLUSTER_ROLES, RBAC_GROUP } from './rbac-bootstrap';

export { RBAC_GROUP };

/** One PolicyRule a role grants, and where it is written. */
export class GrantedRule {
  public readonly apiGroups: readonly string[];
  public readonly resources: readonly string[];
  public readonly verbs: readonly string[];
  public readonly resourceNames: readonly string[];
  public readonly nonResourceURLs: readonly string[];

  constructor(
    private readonly rule: any,
    /** JSON path, in the role reported on, of the rule or of the selector that aggregates it. */
    private readonly at: string,
    /** For an aggregated rule: the ClusterRole and rule it comes from. */
    private readonly source?: string,
    /** How the role reported on holds the source's rules. */
    private readonly how = 'aggregates',
    /** Where the rule is written, when a binding's role holds it through aggregation: the ClusterRole and rule. */
    private readonly writtenAt?: string,
  ) {
    this.apiGroups = strings(rule?.apiGroups);
    this.resources = strings(rule?.resources);
    this.verbs = strings(rule?.verbs);
    this.resourceNames = strings(rule?.resourceNames);
    this.nonResourceURLs = strings(rule?.nonResourceURLs);
  }

  /** The JSON path of `field` of the rule (for an aggregated rule, of the selector that brings it in). */
  public path(field?: string): string {
    return this.source || !field ? this.at : `${this.at}.${field}`;
  }

  /** Names the rule after the role's name in a message: `rules[0]`, or `(through ClusterRole "x" rules[0], which it aggregates)`. */
  public get label(): string {
    return this.source ? `(through ${this.source}, which it ${this.how})` : this.at;
  }

  /** Where the rule is written, among several a role holds at one path: `ClusterRole "x" rules[0]`. */
  public get origin(): string {
    return this.writtenAt ?? this.source ?? this.at;
  }

  /** How the role holds the rules it does not write itself: `the ClusterRoles it aggregates`, `built-in ClusterRole "edit", which it binds`. */
  public get via(): string {
    return this.how === 'aggregates' ? 'the ClusterRoles it aggregates' : `${this.source}, which it ${this.how}`;
  }

  /** The same rule, as a role that holds it through `source` has it, at `at`. */
  public heldThrough(at: string, source: string, how: string): GrantedRule {
    return new GrantedRule(this.rule, at, source, how, this.origin);
  }

  /** The verbs of `verbs` the rule grants on `resource` (may be `pods/exec`) in API group `group`. */
  public grants(group: string, resource: string, verbs: readonly string[]): string[] {
    if (!this.groupMatches(group) || !this.resourceMatches(resource)) return [];
    return this.verbs.includes('*') ? [...verbs] : verbs.filter(v => this.verbs.includes(v));
  }

  private groupMatches(group: string): boolean {
    return this.apiGroups.includes('*') || this.apiGroups.includes(group);
  }

  // As the RBAC authorizer matches: "*", the exact resource, or "*/sub" for subresource "sub".
  private resourceMatches(resource: string): boolean {
    const slash = resource.indexOf('/');
    const sub = slash < 0 ? '' : resource.slice(slash + 1);
    return this.resources.some(r => r === '*' || r === resource || (sub !== '' && r === `*/${sub}`));
  }
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** `create on pods; update, patch on jobs, cronjobs`: resources grouped by the verbs granted on them. */
export function describeGrants(grants: ReadonlyArray<readonly [string, readonly string[]]>): string {
  const byVerbs = new Map<string, string[]>();
  for (const [resource, verbs] of grants) {
    const key = verbs.join(', ');
    byVerbs.set(key, [...byVerbs.get(key) ?? [], resource]);
  }
  return [...byVerbs].map(([verbs, resources]) => `${verbs} on ${resources.join(', ')}`).join('; ');
}

/** Whether `manifest` is a Role or ClusterRole of the RBAC API. */
function isRole(manifest: any): boolean {
  return (manifest.kind === 'Role' || manifest.kind === 'ClusterRole') && inGroup(manifest.apiVersion, RBAC_GROUP);
}

/** `Role "ns/name"` or `ClusterRole "name"`, for messages. */
export function roleName(role: any): string {
  return `${role.kind} ${shown(role.kind === 'Role' ? qualified(role.metadata?.namespace, role.metadata?.name) : role.metadata?.name)}`;
}

/** `ns/name`, or the name alone where the namespace is not a string (a name that is not one is shown as it is). */
function qualified(namespace: unknown, name: unknown): unknown {
  return typeof namespace === 'string' && namespace !== '' && typeof name === 'string' ? `${namespace}/${name}` : name;
}

const BUILT_IN = new Set<any>(BOOTSTRAP_CLUSTER_ROLES);

/** Whether `role` is one of the cluster's built-in ClusterRoles (rbac-bootstrap.ts), not an object of the input. */
function isBuiltInRole(role: any): boolean {
  return BUILT_IN.has(role);
}

/** `ClusterRole "x"`, or `built-in ClusterRole "x"` for one the API server writes, for where a rule comes from. */
function sourceName(role: any): string {
  return `${isBuiltInRole(role) ? 'built-in ' : ''}${roleName(role)}`;
}

/** The rules written in `role` itself. */
function written(role: any): readonly unknown[] {
  return Array.isArray(role.rules) ? role.rules : [];
}

/** The rules written in `role` itself, each at its path in that role. */
function ownRules(role: any): GrantedRule[] {
  return written(role).map((r, i) => new GrantedRule(r, `rules[${i}]`));
}

/**
 * Whether `role` grants everything (cluster-admin): one of its own rules does, or one that an aggregationRule
 * brings in (see rbac-aggregation.ts).
 */
export function grantsEverythingRole(role: any, index: ObjectIndex): boolean {
  return ownRules(role).some(grantsEverything)
    || aggregationOf(index).brought(role, 'grants-everything', r => ownRules(r).some(grantsEverything) ? [true] : [], 1).some(b => b.total > 0);
}

/** Whether `manifest` is a RoleBinding or ClusterRoleBinding of the RBAC API. */
export function isBinding(manifest: any): boolean {
  return (manifest.kind === 'RoleBinding' || manifest.kind === 'ClusterRoleBinding') && inGroup(manifest.apiVersion, RBAC_GROUP);
}

/** The role a binding grants, when it is among the objects checked or a built-in ClusterRole (see isBuiltInRole). */
export function boundRole(binding: any, index: ObjectIndex): any {
  const ref = binding.roleRef;
  if (!ref || typeof ref.name !== 'string') return undefined;
  if (ref.kind === 'ClusterRole') return aggregationOf(index).clusterRole(ref.name);
  if (ref.kind === 'Role' && binding.kind === 'RoleBinding') {
    const role = index.get('Role', binding.metadata?.namespace, ref.name);
    return role && isRole(role) ? role : undefined;
  }
  return undefined;
}

/** Whether a rule grants every verb on every resource of every API group: cluster-admin. */
function grantsEverything(rule: GrantedRule): boolean {
  return rule.verbs.includes('*') && rule.apiGroups.includes('*') && rule.resources.includes('*');
}

/** The subjects of a binding, each with its JSON path. */
export function subjectsOf(binding: any): Array<{ subject: any; path: string }> {
  const subjects = binding.subjects;
  if (!Array.isArray(subjects)) return [];
  return subjects.map((subject, i) => ({ subject: subject ?? {}, path: `subjects[${i}]` }));
}

/**
 * The Group subjects of the ClusterRoleBindings the API server writes for itself (bootstrappolicy's
 * clusterRoleBindings), by binding name; each binds the ClusterRole of its own name. Only that subject of
 * that binding is the cluster's default: another name, another role or another subject is the user's own.
 */
const BOOTSTRAP_GROUP_BINDINGS = new Map<string, readonly string[]>([
  ['cluster-admin', ['system:masters']],
  ['system:discovery', ['system:authenticated']],
  ['system:basic-user', ['system:authenticated']],
  ['system:public-info-viewer', ['system:authenticated', 'system:unauthenticated']],
  ['system:service-account-issuer-discovery', ['system:serviceaccounts']],
]);

/** Whether `subject` of `binding` is one the API server's bootstrap policy binds (cluster-admin to Group system:masters, ...). */
export function isBootstrapSubject(binding: any, subject: any): boolean {
  const name = binding.metadata?.name;
  const groups = binding.kind === 'ClusterRoleBinding' && typeof name === 'string' ? BOOTSTRAP_GROUP_BINDINGS.get(name) : undefined;
  return groups !== undefined && binding.roleRef?.kind === 'ClusterRole' && binding.roleRef?.name === name
    && subject.kind === 'Group' && groups.includes(subject.name);
}

/** `ServiceAccount "ns/name"`, `Group "name"`, for messages. */
export function subjectName(subject: any, binding: any): string {
  const name = subject.kind === 'ServiceAccount' ? qualified(subject.namespace ?? binding.metadata?.namespace ?? '(unset)', subject.name)
    : subject.name;
  return `${typeof subject.kind === 'string' ? subject.kind : `subject of kind ${shown(subject.kind)}`} ${shown(name)}`;
}

/**
 * ` (aggregated into the built-in ClusterRole "view")` for a ClusterRole whose labels add its
 * rules to the built-in admin, edit or view roles: every subject bound to those holds them too.
 */
function aggregatedIntoBuiltIns(role: any): string {
  const labels = role.kind === 'ClusterRole' ? role.metadata?.labels : undefined;
  if (!labels || typeof labels !== 'object') return '';
  const into = ['admin', 'edit', 'view'].filter(name => labels[`${RBAC_GROUP}/aggregate-to-${name}`] === 'true');
  return into.length ? ` (aggregated into the built-in ClusterRole${into.length > 1 ? 's' : ''} ${into.map(n => `"${n}"`).join(', ')})` : '';
}

/** What a rule grants that a check judges, at the path of one of its fields (`rules[0].verbs`), in words: `get, list on secrets`. */
export interface Grant {
  readonly path: string;
  readonly grants: string;
}

/** A rule a role holds, and what it grants that a check judges. */
interface Found {
  readonly rule: GrantedRule;
  readonly grants: string;
}

/**
 * A rule about what roles grant: it sees each PolicyRule of every Role and ClusterRole, aggregated ones included,
 * and reports once for each path. The rules a role aggregates through one selector, or holds through the built-in
 * ClusterRole a binding names, all point at that selector (or roleRef): one finding there lists them, each with
 * where it is written.
 */
export abstract class RoleRuleCheck extends Check {
  public readonly appliesTo: readonly string[] = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];
  /** What to do, after what a finding says is granted: `remove it`. */
  protected abstract readonly fix: string;

  public evaluateObject(manifest: any, ctx: CheckContext, out: Violation[]): void {
    if (isRole(manifest)) {
      const who = `${roleName(manifest)}${aggregatedIntoBuiltIns(manifest)}`;
      const byPath = new Map<string, Found[]>();
      for (const rule of ownRules(manifest)) {
        for (const { path, grants } of this.grantsOf(rule)) {
          const at = byPath.get(path);
          if (at) at.push({ rule, grants });
          else byPath.set(path, [{ rule, grants }]);
        }
      }
      for (const [path, found] of byPath) this.report(who, path, found, found.length, out);
      this.brought(manifest, ctx.index).forEach(({ first, total }, j) => {
        if (total) this.report(who, `aggregationRule.clusterRoleSelectors[${j}]`, first, total, out);
      });
      return;
    }
    // A binding of a built-in ClusterRole is where what that role grants enters the input; one that grants
    // everything (cluster-admin) is left to rbac-cluster-admin-binding.
    const role = isBinding(manifest) ? boundRole(manifest, ctx.index) : undefined;
    if (!role || !isBuiltInRole(role) || grantsEverythingRole(role, ctx.index)) return;
    const bound = sourceName(role);
    const found: Found[] = [];
    let total = 0;
    const add = (rule: GrantedRule, grants: string) => {
      if (found.length < MAX_LISTED) found.push({ rule, grants });
      total++;
    };
    written(role).forEach((r, i) => {
      const rule = new GrantedRule(r, 'roleRef', bound, 'binds', `${bound} rules[${i}]`);
      for (const { grants } of this.grantsOf(rule)) add(rule, grants);
    });
    for (const brought of this.brought(role, ctx.index)) {
      brought.first.forEach(({ rule, grants }) => add(rule.heldThrough('roleRef', bound, 'binds'), grants));
      total += brought.total - brought.first.length;
    }
    if (total) this.report(`${manifest.kind} ${shown(manifest.metadata?.name)}`, 'roleRef', found, total, out);
  }

  /** For each selector of `role`, what the rules it brings in grant (see rbac-aggregation.ts): the first MAX_LISTED, and how many. */
  private brought(role: any, index: ObjectIndex) {
    return aggregationOf(index).brought(role, `rbac-rule:${this.info.id}`, source => {
      const found: Found[] = [];
      const from = sourceName(source);
      written(source).forEach((r, i) => {
        // Every field of a rule brought in points at the selector that brings it: the path is the selector's, filled in by the caller.
        const rule = new GrantedRule(r, '', `${from} rules[${i}]`);
        for (const { grants } of this.grantsOf(rule)) found.push({ rule, grants });
      });
      return found;
    }, MAX_LISTED);
  }

  /** One finding at `path`: what the rule there grants, or what each of the `total` rules brought in there grants (the first listed). */
  private report(who: string, path: string, found: readonly Found[], total: number, out: Violation[]): void {
    const message = total === 1 ? `${who} ${found[0].rule.label} grants ${found[0].grants}; ${this.fix}`
      : `${who} (through ${found[0].rule.via}) grants, in ${total} rules: `
        + `${shownList(found.map(f => `[${f.rule.origin}] ${f.grants}`), '; ', total)}; ${this.fix}`;
    out.push({ path, message });
  }

  /** What `rule` grants that it should not, at the path of the field that grants it; none when it grants nothing judged. */
  protected abstract grantsOf(rule: GrantedRule): Grant[];
}
