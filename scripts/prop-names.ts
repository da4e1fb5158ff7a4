// The table of lib/workloads/prop-names.ts, rendered from the jsii assemblies (the package's own .jsii, which
// `npm run compile` writes from the TypeScript interfaces, and those of cdk8s and cdk8s-plus it refers to): every
// props and options interface a public constructor or method of the package takes, and every interface reached from
// their properties or extended by them, each with all its property names (inherited ones too) and their types; and, for the Secure* props
// made after a cdk8s-plus one, the cdk8s-plus props they deliberately leave out. `npm run prop-names` writes the file
// (after a compile); test/workloads/known-props.test.ts fails when it is stale.
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
export const PROP_NAMES_FILE = path.join(ROOT, 'lib', 'workloads', 'prop-names.ts');

interface TypeRef {
  readonly primitive?: string;
  readonly fqn?: string;
  readonly collection?: { readonly kind: 'array' | 'map'; readonly elementtype: TypeRef };
  readonly union?: { readonly types: TypeRef[] };
}
interface Parameter { readonly name: string; readonly type: TypeRef }
interface Callable { readonly name?: string; readonly parameters?: Parameter[] }
interface JsiiType {
  readonly kind: string;
  readonly datatype?: boolean;
  readonly interfaces?: string[];
  readonly base?: string;
  readonly properties?: Array<{ readonly name: string; readonly type: TypeRef }>;
  readonly initializer?: Callable;
  readonly methods?: Callable[];
}

/**
 * The Secure* props made after a cdk8s-plus one: the props the cdk8s-plus one has that the Secure* one leaves out are
 * those a plain JavaScript caller may give expecting cdk8s-plus to take them (hostNetwork, securityContext, ...).
 */
const KPLUS_COUNTERPARTS: { [struct: string]: string } = {
  SecureDeploymentProps: 'DeploymentProps',
  SecureStatefulSetProps: 'StatefulSetProps',
  SecureJobProps: 'JobProps',
  SecureCronJobProps: 'CronJobProps',
  SecureContainerProps: 'ContainerProps',
  SecureResources: 'ContainerResources',
  SecureCpu: 'CpuResources',
  SecureMemory: 'MemoryResources',
  SecureEphemeralStorage: 'EphemeralStorageResources',
};

function assembly(file: string): { [fqn: string]: JsiiType } {
  return JSON.parse(fs.readFileSync(file, 'utf8')).types;
}

/** Every type of the package's assembly and of the jsii assemblies it refers to, by fqn. */
function allTypes(): { [fqn: string]: JsiiType } {
  const own = path.join(ROOT, '.jsii');
  if (!fs.existsSync(own)) throw new Error(`${own} is missing: run \`npm run compile\` first`);
  const types = { ...assembly(own) };
  for (const dependency of ['cdk8s', 'cdk8s-plus-28', 'constructs']) {
    Object.assign(types, assembly(require.resolve(`${dependency}/.jsii`, { paths: [ROOT] })));
  }
  return types;
}

/** How the table names an fqn: the package's own types bare, cdk8s-plus's as kplus.X (whatever its version), others with their module. */
function nameOf(fqn: string): string {
  return fqn.replace(/^cdk8s-secure\./, '').replace(/^cdk8s-plus-\d+\./, 'kplus.');
}

function typeText(t: TypeRef): string {
  if (t.primitive) return t.primitive;
  if (t.fqn) return nameOf(t.fqn);
  if (t.collection) return t.collection.kind === 'array' ? `${typeText(t.collection.elementtype)}[]` : `{${typeText(t.collection.elementtype)}}`;
  if (t.union) return t.union.types.map(typeText).join(' | ');
  throw new Error(`a type the table does not know: ${JSON.stringify(t)}`);
}

/** The fqns of the structs a type names (itself, its elements, a union's members). */
function structsIn(t: TypeRef, types: { [fqn: string]: JsiiType }): string[] {
  if (t.fqn) return types[t.fqn]?.datatype ? [t.fqn] : [];
  if (t.collection) return structsIn(t.collection.elementtype, types);
  if (t.union) return t.union.types.flatMap(u => structsIn(u, types));
  return [];
}

/** A struct's properties, its own and those of every interface it extends, by name. */
function propertiesOf(fqn: string, types: { [fqn: string]: JsiiType }): Map<string, TypeRef> {
  const type = types[fqn];
  if (!type) throw new Error(`${fqn} is in no assembly read`);
  const props = new Map<string, TypeRef>();
  for (const parent of type.interfaces ?? []) for (const [name, t] of propertiesOf(parent, types)) props.set(name, t);
  for (const p of type.properties ?? []) props.set(p.name, p.type);
  return props;
}

/** The structs the package's public constructors and methods take, and every struct reached from their properties or extended. */
function reachedStructs(types: { [fqn: string]: JsiiType }): string[] {
  const queue: string[] = [];
  for (const [fqn, type] of Object.entries(types)) {
    if (!fqn.startsWith('cdk8s-secure.')) continue;
    for (const callable of [type.initializer, ...(type.methods ?? [])]) {
      for (const p of callable?.parameters ?? []) queue.push(...structsIn(p.type, types));
    }
  }
  const seen = new Set<string>();
  while (queue.length) {
    const fqn = queue.shift()!;
    if (seen.has(fqn)) continue;
    seen.add(fqn);
    for (const t of propertiesOf(fqn, types).values()) queue.push(...structsIn(t, types));
    // The interfaces a struct extends are structs of their own (SecureWorkloadProps), which messages name.
    queue.push(...types[fqn].interfaces ?? []);
  }
  return [...seen].sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
}

const quote = (s: string) => `'${s.replace(/'/g, "\\'")}'`;
const key = (s: string) => (/^[A-Za-z_$][\w$]*$/.test(s) ? s : quote(s));

/** `open`, then `items` a few to a line (each line within the 150 characters lint allows), then `close`. */
function wrapped(open: string, items: string[], close: string): string[] {
  const lines = [open];
  let line = '';
  for (const item of items) {
    if (line && line.length + item.length + 2 > 140) {
      lines.push(line);
      line = '';
    }
    line += `${line ? ' ' : '    '}${item},`;
  }
  if (line) lines.push(line);
  return [...lines, close];
}

/** The text of lib/workloads/prop-names.ts. */
export function renderPropNames(): string {
  const types = allTypes();
  const lines: string[] = [];
  for (const fqn of reachedStructs(types)) {
    const props = propertiesOf(fqn, types);
    const entries = [...props].sort(([a], [b]) => a.localeCompare(b)).map(([name, t]) => `${key(name)}: ${quote(typeText(t))}`);
    lines.push(...wrapped(`  ${key(nameOf(fqn))}: {`, entries, '  },'));
  }
  const leftOut: string[] = [];
  for (const [struct, counterpart] of Object.entries(KPLUS_COUNTERPARTS)) {
    const own = propertiesOf(`cdk8s-secure.${struct}`, types);
    const kplusProps = [...propertiesOf(`cdk8s-plus-28.${counterpart}`, types).keys()].filter(n => !own.has(n)).sort();
    leftOut.push(...wrapped(`  ${struct}: { counterpart: ${quote(`kplus.${counterpart}`)}, props: [`, kplusProps.map(quote), '  ] },'));
  }
  return [
    '// Generated by scripts/prop-names.ts from the jsii assemblies (`npm run prop-names` after a compile); do not edit.',
    '// test/workloads/known-props.test.ts fails when it is stale. Read by known-props.ts.',
    '',
    '/**',
    ' * Every props and options interface a public constructor or method takes, and every interface reached from their',
    ' * properties or extended by them: each property name (inherited ones too) with its type as jsii records it (`X[]` a',
    ' * list, `{X}` a map).',
    ' */',
    'export const PROP_TYPES: { readonly [struct: string]: { readonly [prop: string]: string } } = {',
    ...lines,
    '};',
    '',
    '/** The Secure* props made after a cdk8s-plus one, with the cdk8s-plus props they deliberately leave out. */',
    'export const LEFT_OUT_KPLUS_PROPS: { readonly [struct: string]: { readonly counterpart: string; readonly props: readonly string[] } } = {',
    ...leftOut,
    '};',
    '',
  ].join('\n');
}

if (require.main === module) fs.writeFileSync(PROP_NAMES_FILE, renderPropNames());
