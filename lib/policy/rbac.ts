// How RBAC reads a role, decided once for every RBAC rule: which PolicyRules a Role or
// ClusterRole grants (an aggregated ClusterRole's come from the ClusterRoles its selectors
// match, among the objects checked and the cluster's built-in ones of rbac-bootstrap.ts), which role a
// binding grants (a built-in ClusterRole by its bootstrap rules, when not in the input), and
// whether a rule covers a verb on a resource, with the authorizer's own matching (`*`, `*/subresource`).
// Reads: rules[*].{apiGroups,resources,verbs,resourceNames,nonResourceURLs},
// aggregationRule.clusterRoleSelectors, metadata.labels of ClusterRoles, roleRef, subjects.
import { Check, CheckContext, ObjectIndex, Violation } from './check';
import { shown, shownList } from './checks/shown';
import { selectorMatches } from './label-selector';
import { inGroup } from './pod-view';
import { BOOTSTRAP_CLUSTER_ROLES } from './rbac-bootstrap';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** One PolicyRule a role grants, and where it is written. */
export class GrantedRule {
  public readonly apiGroups: readonly string[];
  public readonly resources: readonly string[];
  public readonly verbs: readonly string[];
  public readonly resourceNames: readonly string[];
  public readonly nonResourceURLs: readonly string[];

  constructor(
    rule: any,
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

// The ClusterRoles of the cluster by name: the built-in ones, then those of the input (which replace a
// built-in of the same name).
function clusterRolesByName(index: ObjectIndex): Map<string, any> {
  const byName = new Map<string, any>(BOOTSTRAP_CLUSTER_ROLES.map(role => [role.metadata.name, role]));
  for (const role of index.ofKind('ClusterRole')) {
    if (isRole(role) && typeof role.metadata?.name === 'string') byName.set(role.metadata.name, role);
  }
  return byName;
}

/**
 * Every rule `role` grants: its own rules and, for a ClusterRole with an aggregationRule, the
 * rules of the ClusterRoles whose labels its selectors match, among the objects checked and the
 * cluster's built-in ones (the aggregation controller copies them in), followed through nested aggregation.
 */
export function grantedRules(role: any, index: ObjectIndex): GrantedRule[] {
  const out: GrantedRule[] = [];
  const own = role.rules;
  if (Array.isArray(own)) own.forEach((r, i) => out.push(new GrantedRule(r, `rules[${i}]`)));
  const selectors = role.kind === 'ClusterRole' ? role.aggregationRule?.clusterRoleSelectors : undefined;
  if (!Array.isArray(selectors)) return out;
  const seen = new Set<any>([role]);
  const visit = (selectorPath: string, aggregating: any) => {
    const nested = aggregating.aggregationRule?.clusterRoleSelectors;
    if (!Array.isArray(nested)) return;
    for (const candidate of index.cached('cluster-roles', undefined, clusterRolesByName).values()) {
      if (seen.has(candidate) || !nested.some((s: unknown) => selectorMatches(s, candidate.metadata?.labels))) continue;
      seen.add(candidate);
      const rules = candidate.rules;
      if (Array.isArray(rules)) {
        rules.forEach((r, i) => out.push(new GrantedRule(r, selectorPath, `${sourceName(candidate)} rules[${i}]`)));
      }
      visit(selectorPath, candidate);
    }
  };
  // Each selector on its own, so a finding points at the selector that brings the rule in.
  selectors.forEach((s, j) => visit(`aggregationRule.clusterRoleSelectors[${j}]`, { aggregationRule: { clusterRoleSelectors: [s] } }));
  return out;
}

/** Whether `manifest` is a RoleBinding or ClusterRoleBinding of the RBAC API. */
export function isBinding(manifest: any): boolean {
  return (manifest.kind === 'RoleBinding' || manifest.kind === 'ClusterRoleBinding') && inGroup(manifest.apiVersion, RBAC_GROUP);
}

/** The role a binding grants, when it is among the objects checked or a built-in ClusterRole (see isBuiltInRole). */
export function boundRole(binding: any, index: ObjectIndex): any {
  const ref = binding.roleRef;
  if (!ref || typeof ref.name !== 'string') return undefined;
  if (ref.kind === 'ClusterRole') return index.cached('cluster-roles', undefined, clusterRolesByName).get(ref.name);
  if (ref.kind === 'Role' && binding.kind === 'RoleBinding') {
    const role = index.get('Role', binding.metadata?.namespace, ref.name);
    return role && isRole(role) ? role : undefined;
  }
  return undefined;
}

/** Whether a rule grants every verb on every resource of every API group: cluster-admin. */
export function grantsEverything(rule: GrantedRule): boolean {
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
      this.report(`${roleName(manifest)}${aggregatedIntoBuiltIns(manifest)}`, grantedRules(manifest, ctx.index), out);
      return;
    }
    // A binding of a built-in ClusterRole is where what that role grants enters the input; one that grants
    // everything (cluster-admin) is left to rbac-cluster-admin-binding.
    const role = isBinding(manifest) ? boundRole(manifest, ctx.index) : undefined;
    if (!role || !isBuiltInRole(role)) return;
    const rules = grantedRules(role, ctx.index);
    if (rules.some(grantsEverything)) return;
    const bound = sourceName(role);
    this.report(`${manifest.kind} ${shown(manifest.metadata?.name)}`,
      rules.map(rule => new GrantedRule(rule, 'roleRef', bound, 'binds', rule.origin.startsWith('rules[') ? `${bound} ${rule.origin}` : rule.origin)),
      out);
  }

  /** One finding for each path: what the rule there grants, or what each of the rules brought in there grants. */
  private report(who: string, rules: readonly GrantedRule[], out: Violation[]): void {
    const byPath = new Map<string, Array<{ rule: GrantedRule; grants: string }>>();
    for (const rule of rules) {
      for (const { path, grants } of this.grantsOf(rule)) {
        const at = byPath.get(path);
        if (at) at.push({ rule, grants });
        else byPath.set(path, [{ rule, grants }]);
      }
    }
    for (const [path, found] of byPath) {
      const message = found.length === 1 ? `${who} ${found[0].rule.label} grants ${found[0].grants}; ${this.fix}`
        : `${who} (through ${found[0].rule.via}) grants, in ${found.length} rules: `
          + `${shownList(found.map(f => `[${f.rule.origin}] ${f.grants}`), '; ')}; ${this.fix}`;
      out.push({ path, message });
    }
  }

  /** What `rule` grants that it should not, at the path of the field that grants it; none when it grants nothing judged. */
  protected abstract grantsOf(rule: GrantedRule): Grant[];
}
