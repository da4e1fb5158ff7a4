// The field tables of lib/policy/k8s-fields.ts, rendered from the official Kubernetes client's
// models, which are generated from the upstream OpenAPI schema: @kubernetes/client-node 0.20 for
// Kubernetes 1.28, and 1.3 (installed as kubernetes-client-1.33, generated from the v1.33.0 spec: 1.4
// is 1.34's) for the fields 1.29 to 1.33 add, which the PSS versions after 1.28 read. Every type reachable from the built-in pod-bearing
// kinds, each field with its JSON type; and the apiVersions every built-in kind is served at, read
// from the clients' API classes (one per group version, whose create methods name the kind they
// take and the path it is served under). `npm run k8s-fields` writes the file;
// test/generated.test.ts fails when it is stale.
import * as fs from 'fs';
import * as path from 'path';

type Attribute = { baseName: string; type: string; format?: string };

/** A client's models by name, read from its generated files (1.4 is an ES module, so not required). */
function clientModels(dir: string): Map<string, Attribute[]> {
  const models = new Map<string, Attribute[]>();
  for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.js'))) {
    const m = /attributeTypeMap = (\[[\s\S]*?\n\s*\]);/.exec(fs.readFileSync(path.join(dir, file), 'utf8'));
    if (!m) continue;
    const name = file.slice(0, -3);
    // 0.20 names files v1PodSpec.js for the model V1PodSpec.
    models.set(name[0].toUpperCase() + name.slice(1), JSON.parse(m[1]));
  }
  return models;
}

const CREATE_BODY = /\b(create\w*)\([^)]*?\bbody: (\w+)/g;
// 0.20 declares `readX(...): Promise<{ response: ...; body: T; }>`, 1.4 `readXWithHttpInfo(response: ResponseContext): Promise<HttpInfo<T>>`.
const READ_RESULT = new RegExp(String.raw`\b(read\w*?)(?:WithHttpInfo\(response: ResponseContext\): Promise<HttpInfo<(\w+)>>`
  + String.raw`|\([^)]*\): Promise<\{\s*response: [\w.]+;\s*body: (\w+);)`, 'g');

/**
 * Kind to the apiVersions a client's API classes serve it at. A create method takes the kind as its
 * `body` (the .d.ts names the model) and posts it to the collection's path (the .js has it); a read
 * method returns the kind (the .d.ts names it: `body: T` in 0.20, `HttpInfo<T>` in 1.4) from the path
 * of one object (`/{name}`), which also finds the kinds served read-only (ComponentStatus has no create);
 * subresources (a path with `{name}` before its end, e.g. pods/{name}/eviction) and custom objects are not kinds of their own.
 */
function clientServedKinds(dir: string): Map<string, Set<string>> {
  const served = new Map<string, Set<string>>();
  for (const file of fs.readdirSync(dir).filter(f => f.endsWith('Api.js'))) {
    const js = fs.readFileSync(path.join(dir, file), 'utf8');
    const declarations = fs.readFileSync(path.join(dir, file.replace(/\.js$/, '.d.ts')), 'utf8');
    const kinds = new Map([...declarations.matchAll(CREATE_BODY), ...declarations.matchAll(READ_RESULT)].map(m => [m[1], m[2] ?? m[3]]));
    for (const m of js.matchAll(/\b((?:create|read)\w*)\([^)]*\)\s*\{[\s\S]*?localVarPath = (?:this\.basePath \+ )?'([^']+)'/g)) {
      const body = kinds.get(m[1]);
      const collection = m[1].startsWith('read') ? m[2].replace(/\/\{name\}$/, '') : m[2];
      const at = /^\/api\/(v1)\/[^{]*$|^\/apis\/([^/{]+\/[^/{]+)\/[^{]*$/.exec(collection.replace('{namespace}', 'ns'));
      if (!body || !at || (m[1].startsWith('read') && collection === m[2])) continue;
      // AuthenticationV1TokenRequest and V1beta3FlowSchema alike: the kind follows the version.
      const kind = body.replace(/^(?:[A-Z][a-z]*)*?V\d+(?:(?:alpha|beta)\d+)?(?=[A-Z])/, '');
      if (!served.has(kind)) served.set(kind, new Set());
      served.get(kind)!.add(at[1] ?? at[2]);
    }
  }
  return served;
}

const NODE_MODULES = path.join(__dirname, '..', 'node_modules');
const CLIENT_1_28 = path.join(NODE_MODULES, '@kubernetes', 'client-node', 'dist', 'gen');
const CLIENT_1_33 = path.join(NODE_MODULES, 'kubernetes-client-1.33', 'dist', 'gen');
const K8S_1_28 = clientModels(path.join(CLIENT_1_28, 'model'));
const K8S_1_33 = clientModels(path.join(CLIENT_1_33, 'models'));

/** The pod-bearing kinds (at the apiVersion 1.28 serves them) and their client types. */
export const ROOTS: { [kind: string]: string } = {
  Pod: 'V1Pod', PodTemplate: 'V1PodTemplate', ReplicationController: 'V1ReplicationController',
  Deployment: 'V1Deployment', DaemonSet: 'V1DaemonSet', ReplicaSet: 'V1ReplicaSet', StatefulSet: 'V1StatefulSet',
  Job: 'V1Job', CronJob: 'V1CronJob',
};

// resource.Quantity fields: the client types them as strings, but a JSON number is a quantity too.
// Each must exist in the schema, so the list cannot go stale unnoticed.
const QUANTITIES = [
  'V1ResourceRequirements.limits', 'V1ResourceRequirements.requests', 'V1PodSpec.overhead', 'V1EmptyDirVolumeSource.sizeLimit',
  'V1PersistentVolumeClaimStatus.capacity', 'V1PersistentVolumeClaimStatus.allocatedResources',
];

/**
 * A client type as the table writes it: "string", "int32", "int64", "number", "boolean", "any", "quantity",
 * "int-or-string", "[]T" for a list, "{}T" for a map, or a type name without its version prefix
 * where that is unambiguous (always here: every type is V1 but for none).
 */
function typeOf(owner: string, field: string, type: string): string {
  const list = /^Array<(.+)>$/.exec(type);
  if (list) return `[]${typeOf(owner, field, list[1])}`;
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return `{}${typeOf(owner, field, map[1])}`;
  if (QUANTITIES.includes(`${owner}.${field}`) && type === 'string') return 'quantity';
  switch (type) {
    case 'string': case 'Date': return 'string';
    // Go decodes a JSON number into an int32 or int64 field only if it is a whole number in range: the OpenAPI format
    // says which (the 1.28 client drops formats; the 1.33 one keeps them, and a field's Go type does not change).
    case 'number': {
      const format = K8S_1_33.get(owner)?.find(a => a.baseName === field)?.format;
      return format === 'int32' || format === 'int64' ? format : 'number';
    }
    case 'boolean': return 'boolean';
    case 'object': return 'any';
    case 'IntOrString': return 'int-or-string';
    default: return type;
  }
}

export function renderK8sFields(): string {
  const tables = new Map<string, Array<[string, string]>>();
  const visit = (name: string) => {
    if (tables.has(name)) return;
    const old = K8S_1_28.get(name);
    const later = K8S_1_33.get(name);
    if (!old && !later) throw new Error(`the Kubernetes clients have no model ${name}`);
    // 1.28's fields, then those a later version adds (marked "+"), with their types.
    const fields: Array<[string, string]> = (old ?? []).map(a => [a.baseName, typeOf(name, a.baseName, a.type)]);
    for (const a of later ?? []) {
      if (!fields.some(([f]) => f === a.baseName)) fields.push([a.baseName, `+${typeOf(name, a.baseName, a.type)}`]);
    }
    tables.set(name, fields);
    for (const [, type] of fields) {
      const inner = type.replace(/^\+/, '').replace(/^(\[\]|\{\})+/, '');
      if (/^V\d/.test(inner)) visit(inner);
    }
  };
  Object.values(ROOTS).forEach(visit);
  for (const q of QUANTITIES) {
    const [owner, field] = q.split('.');
    if (!tables.get(owner)?.some(([f, t]) => f === field && /quantity$/.test(t))) throw new Error(`quantity field ${q} is not in the schema`);
  }
  const lines = [
    '// Generated by scripts/k8s-fields.ts (`npm run k8s-fields`) from the Kubernetes client models of 1.28 and 1.33,',
    '// generated from the upstream OpenAPI schema. Do not edit: test/generated.test.ts fails when it is stale.',
    '',
    ...renderServedKinds(),
    '',
    '/** The client type of each built-in pod-bearing kind (served at the apiVersion pod-view.ts names). */',
    'export const POD_BEARING_TYPES: { [kind: string]: string } = {',
    ...Object.entries(ROOTS).map(([kind, type]) => `  ${kind}: '${type}',`),
    '};',
    '',
    '/** Every type reachable from them: each JSON field and its type; "+" marks a field added after 1.28 (see scripts/k8s-fields.ts). */',
    'export const K8S_FIELDS: { [type: string]: { [field: string]: string } } = {',
  ];
  for (const name of [...tables.keys()].sort()) {
    lines.push(`  ${name}: {`);
    for (const [field, type] of tables.get(name)!) lines.push(`    ${/^[A-Za-z_$][\w$]*$/.test(field) ? field : `'${field}'`}: '${type}',`);
    lines.push('  },');
  }
  lines.push('};', '');
  return lines.join('\n');
}

/** The apiVersions of each built-in kind: 1.28's, then those a later version adds (marked "+"). */
function renderServedKinds(): string[] {
  const old = clientServedKinds(path.join(CLIENT_1_28, 'api'));
  const later = clientServedKinds(path.join(CLIENT_1_33, 'apis'));
  for (const kind of Object.keys(ROOTS)) if (!old.has(kind)) throw new Error(`the 1.28 client serves no kind ${kind}`);
  const lines = [
    '/** The apiVersions each built-in kind is served at by Kubernetes 1.28; "+" marks one a later version (to 1.33) adds. */',
    'export const SERVED_KINDS: { [kind: string]: readonly string[] } = {',
  ];
  for (const kind of [...new Set([...old.keys(), ...later.keys()])].sort()) {
    const versions = [...old.get(kind) ?? []].sort();
    versions.push(...[...later.get(kind) ?? []].filter(v => !versions.includes(v)).sort().map(v => `+${v}`));
    const line = `  ${kind}: [${versions.map(v => `'${v}'`).join(', ')}],`;
    if (line.length < 150) lines.push(line);
    else lines.push(`  ${kind}: [`, ...versions.map(v => `    '${v}',`), '  ],');
  }
  lines.push('};');
  return lines;
}

if (require.main === module) {
  fs.writeFileSync(path.join(__dirname, '..', 'lib', 'policy', 'k8s-fields.ts'), renderK8sFields());
}
