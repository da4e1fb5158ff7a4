// The field tables of lib/policy/k8s-fields.ts, rendered from the official Kubernetes client's
// models, which are generated from the upstream OpenAPI schema: @kubernetes/client-node 0.20 for
// Kubernetes 1.28, and for the fields and apiVersions later versions add (which the PSS versions
// after 1.28 read) the later clients of LATER_CLIENTS: 1.3 (kubernetes-client-1.33, generated from
// the v1.33.0 spec) and 2.0.1 (kubernetes-client-1.36, generated from release-1.36, the newest spec
// the npm registry has: 1.4 is 1.34's), so what 1.33 served and 1.36 no longer does is still known.
// Every type reachable from the built-in kinds, each field with its JSON type (a resource.Quantity as
// kubernetes-models' declarations name it); and the apiVersions every built-in kind is served at,
// read from the clients' API classes (one per group version, whose create methods name the kind they
// take and the path it is served under), each with the client type of its body: every built-in kind
// at every apiVersion is checked against its own version's schema. Fields of a Kubernetes after the
// newest schema that a PSS version the engine knows reads are AFTER_SCHEMA's. `npm run k8s-fields`
// writes the file; test/generated.test.ts fails when it is stale.
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
const K8S_1_28 = clientModels(path.join(CLIENT_1_28, 'model'));

/** The first Kubernetes the tables are of, and the newest (LATER_CLIENTS' last), as the table's messages name them. */
const FIRST = '1.28';

/**
 * The later clients, oldest first, each with the Kubernetes whose spec it was generated from (its models' "OpenAPI spec version"
 * header, checked): a field or apiVersion of any of them is accepted, and a field's type is the oldest client's that has it.
 */
const LATER_CLIENTS = [
  { version: '1.33', dir: path.join(NODE_MODULES, 'kubernetes-client-1.33', 'dist', 'gen') },
  { version: '1.36', dir: path.join(NODE_MODULES, 'kubernetes-client-1.36', 'dist', 'gen') },
].map(client => {
  // A model regenerated for the spec says so (`v1.33.0`, `release-1.36`); those it did not change keep an older header.
  const header = fs.readFileSync(path.join(client.dir, 'models', 'V1PodSpec.js'), 'utf8');
  const spec = /OpenAPI spec version: (?:v|release-)(\d+\.\d+)\b/.exec(header)?.[1];
  if (spec !== client.version) throw new Error(`${client.dir} was generated from the spec of Kubernetes ${spec}, not ${client.version}`);
  return { version: client.version, dir: client.dir, models: clientModels(path.join(client.dir, 'models')) };
});
const NEWEST = LATER_CLIENTS[LATER_CLIENTS.length - 1].version;

/** A later client's attribute of `model`'s `field`, the newest client's first (formats do not change with a field's Go type). */
function laterAttribute(model: string, field: string): Attribute | undefined {
  for (let i = LATER_CLIENTS.length - 1; i >= 0; i--) {
    const attribute = LATER_CLIENTS[i].models.get(model)?.find(a => a.baseName === field);
    if (attribute) return attribute;
  }
  return undefined;
}

/** Whether a later client has a model of `name`. */
function isLaterModel(name: string): boolean {
  return LATER_CLIENTS.some(client => client.models.has(name));
}

/**
 * Fields of a Kubernetes after the newest schema (NEWEST) that a PSS version the engine knows (lib/policy/pss-version.ts) reads:
 * without them the object would be invalid-manifest before its PSS rule runs, at any --pss-version. Their schema is not in a
 * client yet, so their values are any JSON ("any"); the generator refuses an entry once the newest client has the field.
 */
const AFTER_SCHEMA: ReadonlyArray<{ readonly model: string; readonly field: string; readonly since: string }> = [
  // KEP-5758: PSS baseline "Ulimits" (lib/policy/checks/ulimits.ts) reads it from policy v1.37.
  { model: 'V1SecurityContext', field: 'ulimits', since: '1.37' },
];

/**
 * The resource.Quantity fields, as `V1Type.field` (the type without a group prefix): the clients type them as strings, but a JSON
 * number is a quantity too, and a string Kubernetes' ParseQuantity cannot read is refused. Read from kubernetes-models, whose
 * declarations name the Quantity type of each (its schema is of a Kubernetes between 1.28 and 1.33; a quantity field a later
 * Kubernetes adds is typed as a string, and the checks that read quantities parse them themselves).
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
 * `later` is the owner's name in the later clients, which keep the formats.
 */
function typeOf(owner: string, later: string, field: string, type: string): string {
  const list = /^Array<(.+)>$/.exec(type);
  if (list) return `[]${typeOf(owner, later, field, list[1])}`;
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return `{}${typeOf(owner, later, field, map[1])}`;
  if (type === 'string' && QUANTITIES.has(`${owner.replace(GROUP_PREFIX, '')}.${field}`)) return 'quantity';
  switch (type) {
    // Go decodes a []byte field from base64 text: the OpenAPI format "byte" says which.
    case 'string': return laterAttribute(later, field)?.format === 'byte' ? 'bytes' : 'string';
    // metav1.Time and metav1.MicroTime decode only an RFC 3339 string (their UnmarshalJSON calls time.Parse), or null.
    case 'Date': return 'time';
    case 'V1MicroTime': return 'micro-time';
    // Go decodes a JSON number into an int32 or int64 field only if it is a whole number in range: the OpenAPI format
    // says which (the 1.28 client drops formats; the later ones keep them, and a field's Go type does not change).
    case 'number': {
      const format = laterAttribute(later, field)?.format;
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
  return K8S_1_28.has(inner) || isLaterModel(inner) ? inner : undefined;
}

/** Whether `later` is `old` with a group prefix (a field whose type is another model in a later client keeps 1.28's: it is another type). */
function isRenamed(old: string | undefined, later: string | undefined): boolean {
  return old !== undefined && later !== undefined && later !== old && later.replace(GROUP_PREFIX, '') === old;
}

export function renderK8sFields(): string {
  const served = servedKinds();
  const tables = new Map<string, Array<[string, string]>>();
  // A 1.28 model's name in the later clients where the two differ (they prefix the group to names two groups share: V1Subject
  // is RbacV1Subject), learnt from the field that holds it in both.
  const laterNames = new Map<string, string>();
  const visit = (name: string) => {
    if (tables.has(name)) return;
    const laterName = laterNames.get(name) ?? name;
    const old = K8S_1_28.get(name);
    const later = LATER_CLIENTS.map(client => client.models.get(laterName));
    if (!old && later.every(models => !models)) throw new Error(`the Kubernetes clients have no model ${name}`);
    // 1.28's fields, then those a later version adds (marked "+"), with their types (the oldest client's that has the field).
    const fields: Array<[string, string]> = (old ?? []).map(a => [a.baseName, typeOf(name, laterName, a.baseName, a.type)]);
    for (const a of later.flatMap(models => models ?? [])) {
      const i = fields.findIndex(([f]) => f === a.baseName);
      const type = typeOf(laterName, laterName, a.baseName, a.type);
      if (i < 0) fields.push([a.baseName, `+${type}`]);
      else if (isRenamed(modelOf(fields[i][1]), modelOf(type))) laterNames.set(modelOf(fields[i][1])!, modelOf(type)!);
    }
    for (const after of AFTER_SCHEMA.filter(a => a.model === name)) {
      if (fields.some(([f]) => f === after.field)) throw new Error(`${name}.${after.field} is in the schema now: drop it from AFTER_SCHEMA`);
      fields.push([after.field, '+any']);
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
  for (const after of AFTER_SCHEMA) if (!tables.has(after.model)) throw new Error(`AFTER_SCHEMA names ${after.model}, which no kind holds`);
  const afterSchema = AFTER_SCHEMA.map(a => `${a.model.replace(VERSION_PREFIX, '')}.${a.field} (${a.since})`).join(', ');
  const lines = [
    '// Generated by scripts/k8s-fields.ts (`npm run k8s-fields`) from the Kubernetes client models of',
    `// ${FIRST}, ${LATER_CLIENTS.map(c => c.version).join(' and ')}, generated from the upstream OpenAPI schema. Do not edit:`,
    '// test/generated.test.ts fails when it is stale.',
    '',
    '/** The Kubernetes versions whose schemas the tables are of: the first one\'s, and what later ones to the newest add. */',
    `export const SCHEMA_VERSIONS = { first: '${FIRST}', newest: '${NEWEST}' } as const;`,
    '',
    '/**',
    ` * The apiVersions each built-in kind is served at by Kubernetes ${FIRST}, each with the client type (a table of K8S_FIELDS) of the`,
    ` * kind there; "+" marks an apiVersion a later version (to ${NEWEST}) adds.`,
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
    '/**',
    ` * Every type reachable from them: each JSON field and its type; "+" marks a field added after ${FIRST} (see scripts/k8s-fields.ts),`,
    ` * to ${NEWEST}, and those of a later Kubernetes that PSS versions read (any value): ${afterSchema}.`,
    ' */',
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
 * 1.28's client and in the oldest later client that serves it there.
 */
function servedKinds(): Map<string, Map<string, { old?: string; later?: string }>> {
  const old = clientServedKinds(path.join(CLIENT_1_28, 'api'));
  const later = new Map<string, Map<string, string>>();
  for (const client of LATER_CLIENTS) {
    for (const [kind, versions] of clientServedKinds(path.join(client.dir, 'apis'))) {
      if (!later.has(kind)) later.set(kind, new Map());
      for (const [version, type] of versions) if (!later.get(kind)!.has(version)) later.get(kind)!.set(version, type);
    }
  }
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
