// The field tables of lib/policy/k8s-fields.ts, rendered from the official Kubernetes client's
// models, which are generated from the upstream OpenAPI schema: @kubernetes/client-node 0.20 for
// Kubernetes 1.28, and 1.3 (installed as kubernetes-client-1.33, generated from the v1.33.0 spec: 1.4
// is 1.34's) for the fields 1.29 to 1.33 add, which the PSS versions after 1.28 read. Every type
// reachable from the built-in kinds, each field with its JSON type (a resource.Quantity as
// kubernetes-models' declarations name it); and the apiVersions every built-in kind is served at,
// read from the clients' API classes (one per group version, whose create methods name the kind they
// take and the path it is served under), each with the client type of its body: every built-in kind
// at every apiVersion is checked against its own version's schema. `npm run k8s-fields` writes the
// file; test/generated.test.ts fails when it is stale.
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
 * Kind to the apiVersions a client's API classes serve it at, each with the client type of the kind there. A create method takes
 * the kind as its `body` (the .d.ts names the model) and posts it to the collection's path (the .js has it); a read
 * method returns the kind (the .d.ts names it: `body: T` in 0.20, `HttpInfo<T>` in 1.4) from the path
 * of one object (`/{name}`), which also finds the kinds served read-only (ComponentStatus has no create);
 * subresources (a path with `{name}` before its end, e.g. pods/{name}/eviction) and custom objects are not kinds of their own.
 */
function clientServedKinds(dir: string): Map<string, Map<string, string>> {
  const served = new Map<string, Map<string, string>>();
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
      const kind = body.replace(VERSION_PREFIX, '');
      if (!served.has(kind)) served.set(kind, new Map());
      served.get(kind)!.set(at[1] ?? at[2], body);
    }
  }
  return served;
}

/** A client type's group and version prefix: `V1`, `V1beta3`, and with the group where two groups share a name (`CoreV1`). */
const VERSION_PREFIX = /^(?:[A-Z][a-z]*)*?V\d+(?:(?:alpha|beta)\d+)?(?=[A-Z])/;

const NODE_MODULES = path.join(__dirname, '..', 'node_modules');
const CLIENT_1_28 = path.join(NODE_MODULES, '@kubernetes', 'client-node', 'dist', 'gen');
const CLIENT_1_33 = path.join(NODE_MODULES, 'kubernetes-client-1.33', 'dist', 'gen');
const K8S_1_28 = clientModels(path.join(CLIENT_1_28, 'model'));
const K8S_1_33 = clientModels(path.join(CLIENT_1_33, 'models'));

/**
 * The resource.Quantity fields, as `V1Type.field` (the type without a group prefix): the clients type them as strings, but a JSON
 * number is a quantity too, and a string Kubernetes' ParseQuantity cannot read is refused. Read from kubernetes-models, whose
 * declarations name the Quantity type of each (its schema is of a Kubernetes between 1.28 and 1.33).
 */
function quantityFields(): Set<string> {
  const fields = new Set<string>();
  const root = path.join(NODE_MODULES, 'kubernetes-models');
  const visit = (dir: string, version: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== '_schemas') visit(path.join(dir, entry.name), entry.name);
      if (!entry.isFile() || !entry.name.endsWith('.d.ts') || !/^v\d/.test(version)) continue;
      const text = fs.readFileSync(path.join(dir, entry.name), 'utf8');
      const start = text.indexOf('export interface ');
      if (start < 0 || !text.includes('ResourceQuantity')) continue;
      const body = text.slice(start, text.indexOf('\n}\n', start));
      const type = `${version[0].toUpperCase()}${version.slice(1)}${entry.name.slice(0, -'.d.ts'.length)}`;
      // Each field is `"name"?: TYPE;` at four spaces, its type running to the next field's comment (a map's spans lines).
      for (const field of body.split(/\n {4}\/\*\*/)) {
        const m = /^ {4}"([^"]+)"\??: /m.exec(field);
        if (m && field.slice(m.index).includes('IIoK8sApimachineryPkgApiResourceQuantity')) fields.add(`${type}.${m[1]}`);
      }
    }
  };
  visit(root, '');
  // Those the engine's rules read: if the declarations stop naming them, the reading is wrong, not the schema.
  for (const known of ['V1ResourceRequirements.limits', 'V1ResourceQuotaSpec.hard', 'V1LimitRangeItem.max', 'V1EmptyDirVolumeSource.sizeLimit']) {
    if (!fields.has(known)) throw new Error(`kubernetes-models does not type ${known} as a quantity`);
  }
  return fields;
}

const QUANTITIES = quantityFields();

/** The group a client type's name starts with where two groups share the name (`CoreV1Event`, `EventsV1Event`). */
const GROUP_PREFIX = /^(?:[A-Z][a-z]+)+(?=V\d+(?:(?:alpha|beta)\d+)?[A-Z])/;

/**
 * A client type as the table writes it: "string", "bytes" (base64), "int32", "int64", "number", "boolean", "any", "quantity",
 * "int-or-string", "time" (metav1.Time), "micro-time" (metav1.MicroTime), "[]T" for a list, "{}T" for a map, or a client type
 * name (`V1PodSpec`, `CoreV1Event`).
 * `later` is the owner's name in the 1.33 client, which keeps the formats.
 */
function typeOf(owner: string, later: string, field: string, type: string): string {
  const list = /^Array<(.+)>$/.exec(type);
  if (list) return `[]${typeOf(owner, later, field, list[1])}`;
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return `{}${typeOf(owner, later, field, map[1])}`;
  if (type === 'string' && QUANTITIES.has(`${owner.replace(GROUP_PREFIX, '')}.${field}`)) return 'quantity';
  switch (type) {
    // Go decodes a []byte field from base64 text: the OpenAPI format "byte" says which.
    case 'string': return K8S_1_33.get(later)?.find(a => a.baseName === field)?.format === 'byte' ? 'bytes' : 'string';
    // metav1.Time and metav1.MicroTime decode only an RFC 3339 string (their UnmarshalJSON calls time.Parse), or null.
    case 'Date': return 'time';
    case 'V1MicroTime': return 'micro-time';
    // Go decodes a JSON number into an int32 or int64 field only if it is a whole number in range: the OpenAPI format
    // says which (the 1.28 client drops formats; the 1.33 one keeps them, and a field's Go type does not change).
    case 'number': {
      const format = K8S_1_33.get(later)?.find(a => a.baseName === field)?.format;
      return format === 'int32' || format === 'int64' ? format : 'number';
    }
    case 'boolean': return 'boolean';
    case 'object': case 'any': return 'any';
    case 'IntOrString': return 'int-or-string';
    default: return type;
  }
}

/** The model a table type names, without its list and map marks (undefined for a scalar). */
function modelOf(type: string): string | undefined {
  const inner = type.replace(/^\+/, '').replace(/^(\[\]|\{\})+/, '');
  return K8S_1_28.has(inner) || K8S_1_33.has(inner) ? inner : undefined;
}

/** Whether `later` is `old` with a group prefix (a field whose type is another model in 1.33 keeps 1.28's: it is another type). */
function isRenamed(old: string | undefined, later: string | undefined): boolean {
  return old !== undefined && later !== undefined && later !== old && later.replace(GROUP_PREFIX, '') === old;
}

export function renderK8sFields(): string {
  const served = servedKinds();
  const tables = new Map<string, Array<[string, string]>>();
  // A 1.28 model's name in the 1.33 client where the two differ (1.33 prefixes the group to names two groups share: V1Subject
  // is RbacV1Subject), learnt from the field that holds it in both.
  const laterNames = new Map<string, string>();
  const visit = (name: string) => {
    if (tables.has(name)) return;
    const laterName = laterNames.get(name) ?? name;
    const old = K8S_1_28.get(name);
    const later = K8S_1_33.get(laterName);
    if (!old && !later) throw new Error(`the Kubernetes clients have no model ${name}`);
    // 1.28's fields, then those a later version adds (marked "+"), with their types.
    const fields: Array<[string, string]> = (old ?? []).map(a => [a.baseName, typeOf(name, laterName, a.baseName, a.type)]);
    for (const a of later ?? []) {
      const i = fields.findIndex(([f]) => f === a.baseName);
      const type = typeOf(laterName, laterName, a.baseName, a.type);
      if (i < 0) fields.push([a.baseName, `+${type}`]);
      else if (isRenamed(modelOf(fields[i][1]), modelOf(type))) laterNames.set(modelOf(fields[i][1])!, modelOf(type)!);
    }
    tables.set(name, fields);
    for (const [, type] of fields) {
      const model = modelOf(type);
      if (model) visit(model);
    }
  };
  for (const versions of served.values()) {
    for (const types of versions.values()) {
      if (isRenamed(types.old, types.later)) laterNames.set(types.old!, types.later!);
      visit(types.old ?? types.later!);
    }
  }
  const lines = [
    '// Generated by scripts/k8s-fields.ts (`npm run k8s-fields`) from the Kubernetes client models of 1.28 and 1.33,',
    '// generated from the upstream OpenAPI schema. Do not edit: test/generated.test.ts fails when it is stale.',
    '',
    '/**',
    ' * The apiVersions each built-in kind is served at by Kubernetes 1.28, each with the client type (a table of K8S_FIELDS) of the',
    ' * kind there; "+" marks an apiVersion a later version (to 1.33) adds.',
    ' */',
    'export const SERVED_KINDS: { [kind: string]: { readonly [apiVersion: string]: string } } = {',
  ];
  for (const kind of [...served.keys()].sort()) {
    const entries = [...served.get(kind)!].map(([version, types]) => {
      const key = types.old ? version : `+${version}`;
      return `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : `'${key}'`}: '${types.old ?? types.later}'`;
    });
    const line = `  ${kind}: { ${entries.join(', ')} },`;
    if (line.length < 150) lines.push(line);
    else lines.push(`  ${kind}: {`, ...entries.map(e => `    ${e},`), '  },');
  }
  lines.push(
    '};',
    '',
    '/** Every type reachable from them: each JSON field and its type; "+" marks a field added after 1.28 (see scripts/k8s-fields.ts). */',
    'export const K8S_FIELDS: { [type: string]: { [field: string]: string } } = {',
  );
  for (const name of [...tables.keys()].sort()) {
    lines.push(`  ${name}: {`);
    for (const [field, type] of tables.get(name)!) lines.push(`    ${/^[A-Za-z_$][\w$]*$/.test(field) ? field : `'${field}'`}: '${type}',`);
    lines.push('  },');
  }
  lines.push('};', '');
  return lines.join('\n');
}

/** The pod-bearing kinds, which the engine has always checked whole: a client that stopped serving one would be misread. */
const POD_BEARING = ['Pod', 'PodTemplate', 'ReplicationController', 'Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet', 'Job', 'CronJob'];

/**
 * Each built-in kind's apiVersions, sorted (1.28's first, then those a later version adds), with the kind's client type there in
 * 1.28's client and in 1.33's.
 */
function servedKinds(): Map<string, Map<string, { old?: string; later?: string }>> {
  const old = clientServedKinds(path.join(CLIENT_1_28, 'api'));
  const later = clientServedKinds(path.join(CLIENT_1_33, 'apis'));
  for (const kind of POD_BEARING) if (!old.has(kind)) throw new Error(`the 1.28 client serves no kind ${kind}`);
  const served = new Map<string, Map<string, { old?: string; later?: string }>>();
  for (const kind of new Set([...old.keys(), ...later.keys()])) {
    const versions = [...old.get(kind)?.keys() ?? []].sort();
    versions.push(...[...later.get(kind)?.keys() ?? []].filter(v => !versions.includes(v)).sort());
    served.set(kind, new Map(versions.map(v => [v, { old: old.get(kind)?.get(v), later: later.get(kind)?.get(v) }])));
  }
  return served;
}

if (require.main === module) {
  fs.writeFileSync(path.join(__dirname, '..', 'lib', 'policy', 'k8s-fields.ts'), renderK8sFields());
}
