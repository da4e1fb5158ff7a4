// Pod Security Admission judges the pod as the API server decoded it (sigs.k8s.io/json, Go's encoding/json): a null
// pointer, slice, map or struct field is nil, as if absent, and a null plain string, bool or number field is its zero
// value, which Go cannot tell from absent either. So in every PSS fixture, each field a PSS rule reads, set to null,
// must give exactly the findings of the field as Go reads it: absent, or "", false or 0 (lib/policy/go-decoding.ts).
// The Go types below are written from k8s.io/api/core/v1 types.go, independently of the checks.
import * as fs from 'fs';
import * as path from 'path';
import { ALL_CHECKS } from '../../lib/policy/checks';
import { PolicyEngine } from '../../lib/policy/engine';
import { Severity } from '../../lib/policy/model';
import { Packs } from '../../lib/policy/packs';
import { PssCheck } from '../../lib/policy/pss-check';
import { parseManifests } from '../../lib/policy/yaml-loader';

/** How Go decodes a field: nil (pointer, slice, map, struct), a plain scalar's zero value, or a list element's. */
type GoKind = 'nil' | 'string' | 'bool' | 'number' | 'element';

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const SECURITY_CONTEXT = [
  'procMount', 'runAsNonRoot', 'runAsUser', 'runAsGroup', 'privileged', 'allowPrivilegeEscalation', 'capabilities', 'seLinuxOptions',
  'windowsOptions', 'seccompProfile', 'appArmorProfile', 'sysctls', 'ulimits', 'readOnlyRootFilesystem', 'fsGroup', 'supplementalGroups',
];

/**
 * The Go kind of each field the PSS rules read, by `<holder>.<field>`: the holder is the key the object sits at
 * (`<list>[]` for an element of a list), and `*` stands for every field the object has. A field listed by name is
 * also tried where the fixture leaves it out; a `*` field only where the fixture sets it.
 */
const GO_KINDS = new Map<string, GoKind>([
  ['spec.hostNetwork', 'bool'], ['spec.hostPID', 'bool'], ['spec.hostIPC', 'bool'], ['spec.hostUsers', 'nil'],
  ['spec.securityContext', 'nil'], ['spec.os', 'nil'], ['spec.volumes', 'nil'], ['os.name', 'string'],
  ...CONTAINER_LISTS.flatMap(list => [
    [`spec.${list}`, 'nil'], [`${list}[]`, 'element'],
    ...['securityContext', 'ports', 'lifecycle', ...PROBES].map(field => [`${list}[].${field}`, 'nil']),
  ] as [string, GoKind][]),
  ...SECURITY_CONTEXT.map(field => [`securityContext.${field}`, 'nil'] as [string, GoKind]),
  ['seLinuxOptions.type', 'string'], ['seLinuxOptions.user', 'string'], ['seLinuxOptions.role', 'string'], ['seLinuxOptions.level', 'string'],
  ['windowsOptions.hostProcess', 'nil'],
  ['capabilities.add', 'nil'], ['capabilities.drop', 'nil'], ['add[]', 'string'], ['drop[]', 'string'],
  ['sysctls[]', 'element'], ['sysctls[].name', 'string'], ['sysctls[].value', 'string'],
  ['seccompProfile.type', 'string'], ['seccompProfile.localhostProfile', 'nil'],
  ['appArmorProfile.type', 'string'], ['appArmorProfile.localhostProfile', 'nil'],
  ['ports[]', 'element'], ['ports[].hostPort', 'number'],
  ...PROBES.flatMap(probe => [[`${probe}.httpGet`, 'nil'], [`${probe}.tcpSocket`, 'nil']] as [string, GoKind][]),
  ['lifecycle.postStart', 'nil'], ['lifecycle.preStop', 'nil'],
  ...['postStart', 'preStop'].flatMap(hook => [[`${hook}.httpGet`, 'nil'], [`${hook}.tcpSocket`, 'nil']] as [string, GoKind][]),
  ['httpGet.host', 'string'], ['tcpSocket.host', 'string'],
  ['volumes[]', 'element'], ['volumes[].*', 'nil'],
  ['metadata.annotations', 'nil'], ['annotations.*', 'string'],
]);

const NAMED = new Map<string, string[]>();
for (const key of GO_KINDS.keys()) {
  const dot = key.lastIndexOf('.');
  if (dot < 0 || key.endsWith('.*')) continue;
  const holder = key.slice(0, dot);
  NAMED.set(holder, [...NAMED.get(holder) ?? [], key.slice(dot + 1)]);
}

/** A place to set null: the path to the field, its Go kind, and whether it is a map value (whose key stays when null). */
interface Site {
  readonly at: (string | number)[];
  readonly kind: GoKind;
  readonly mapValue: boolean;
}

function sitesOf(value: unknown, holder: string, at: (string | number)[], out: Site[]): Site[] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const kind = GO_KINDS.get(`${holder}[]`);
      if (kind !== undefined) out.push({ at: [...at, i], kind, mapValue: false });
      sitesOf(item, `${holder}[]`, [...at, i], out);
    });
  } else if (value !== null && typeof value === 'object') {
    const fields = new Set([...Object.keys(value), ...NAMED.get(holder) ?? []]);
    for (const field of fields) {
      const kind = GO_KINDS.get(`${holder}.${field}`) ?? (field === 'name' ? undefined : GO_KINDS.get(`${holder}.*`));
      if (kind !== undefined) out.push({ at: [...at, field], kind, mapValue: holder === 'annotations' });
      sitesOf((value as any)[field], field, [...at, field], out);
    }
  }
  return out;
}

const ZERO: { [kind in GoKind]: unknown } = { nil: undefined, string: '', bool: false, number: 0, element: {} };

/** The document with the field at `at` set to `value` (removed when undefined), and the objects on the way made if missing. */
function withField(document: unknown, at: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(document) as any;
  let holder = copy;
  for (const key of at.slice(0, -1)) holder = holder[key] ??= {};
  const last = at[at.length - 1];
  if (value === undefined && !Array.isArray(holder)) delete holder[last];
  else holder[last] = structuredClone(value);
  return copy;
}

const DIR = path.join(__dirname, '..', 'fixtures', 'checks');
const PSS_CHECKS = ALL_CHECKS.filter(c => c.info.mapping.pss) as PssCheck[];
const versions = [...new Set(PSS_CHECKS.flatMap(c => c.behaviours.map(b => b.since)))].sort((a, b) => a - b).map(minor => `v1.${minor}`);
// Every PSS rule, none replacing another, so each one's own reading shows.
const pack = { name: 'pss-all', description: 'every PSS rule', rules: Object.fromEntries(PSS_CHECKS.map(c => [c.info.id, Severity.ERROR])) };
const engines = versions.map(pssVersion => new PolicyEngine({ pack, pssVersion, strictStructure: false }));
const pssIds = new Set(PSS_CHECKS.map(c => c.info.id));

/** The PSS findings of a document at every version a behaviour starts at. */
function findings(document: unknown): string[] {
  return engines.flatMap((engine, i) => engine.evaluate([document]).findings
    .filter(f => pssIds.has(f.ruleId)).map(f => `${versions[i]} ${f.ruleId} ${f.path}`).sort());
}

// Custom resources (Argo, OpenTelemetry) decode by their own Go types, which the table does not describe.
const BUILT_IN = ['v1', 'apps/v1', 'batch/v1'];
const fixtures = PSS_CHECKS.flatMap(c => fs.readdirSync(path.join(DIR, c.info.id)).sort().map(file => {
  const name = `${c.info.id}/${file}`;
  return { name, documents: parseManifests(fs.readFileSync(path.join(DIR, name), 'utf8'), name).map(d => d.manifest) };
})).filter(f => f.documents.some(d => BUILT_IN.includes(d.apiVersion)));

test.each(fixtures.map(f => f.name))('%s: a null field gives the findings of the field as Go decodes it', name => {
  let tried = 0;
  for (const document of fixtures.find(f => f.name === name)!.documents.filter(d => BUILT_IN.includes(d.apiVersion))) {
    for (const site of sitesOf(document, '', [], [])) {
      // An absent plain field reads as its zero value too; a map value or list item cannot be absent and stay (undefined in a
      // list is no JSON at all, which the engine refuses).
      const listItem = typeof site.at[site.at.length - 1] === 'number';
      const decoded = site.kind === 'nil' ? [undefined] : site.mapValue || listItem || site.kind === 'element' ? [ZERO[site.kind]]
        : [ZERO[site.kind], undefined];
      const expected = findings(withField(document, site.at, decoded[0]));
      for (const value of [null, ...decoded.slice(1)]) {
        expect([site.at.join('.'), value, findings(withField(document, site.at, value))]).toEqual([site.at.join('.'), value, expected]);
      }
      tried++;
    }
  }
  expect(tried).toBeGreaterThan(0);
});

test('a null sysctl entry or name is the sysctl "" to the API server, and the message says so', () => {
  const [doc] = parseManifests(['apiVersion: v1', 'kind: Pod', 'metadata: {name: p, namespace: shop}', 'spec:',
    '  securityContext: {sysctls: [null, {name: null, value: "1"}]}', '  containers: [{name: c, image: registry.example.com/app:1.0.0}]',
  ].join('\n'), 'pod.yaml');
  const findings = new PolicyEngine({ pack: Packs.PSS_BASELINE }).evaluate([doc.manifest]).findings.filter(f => f.ruleId === 'sysctls');
  expect(findings.map(f => [f.path, f.message])).toEqual([0, 1].map(i => [
    `spec.securityContext.sysctls[${i}].name`, 'pod must not set sysctl ""; it is not in the safe set',
  ]));
});
