// Strict structure of the built-in kinds, as the API server's strict field validation (kubectl's default
// since 1.27) and its JSON decoding see it: a field the schema does not have, or a value of the wrong JSON
// type (`privileged: "true"`, `runAsUser: "0"`, a label value that is a number, `polcyTypes` in a
// NetworkPolicy), makes Kubernetes refuse the object, so the engine reports it as invalid rather than check
// what would never run. The field tables are generated from the upstream schema (k8s-fields.ts), as is the
// table of the apiVersions each built-in kind is served at and its schema type there.
import { isGoRfc3339Time } from '../vocab/go-time';
import { parseQuantity } from '../vocab/quantity';
import { shown } from './checks/shown';
import { CUSTOM_FIELDS } from './custom-fields';
import { K8S_FIELDS, SCHEMA_VERSIONS, SERVED_KINDS } from './k8s-fields';
import { customPodKindOf } from './pod-view';
import { CUSTOM_RESOURCE, ProblemSink, VALIDATIONS } from './validation';

/** The Kubernetes the tables are of (1.28), and the newest whose additions they have, as messages name them. */
const FIRST = SCHEMA_VERSIONS.first;
const NEWEST = SCHEMA_VERSIONS.newest;

/**
 * API groups Kubernetes once served and 1.28 serves no version of (extensions: 1.22;
 * settings.k8s.io: 1.20; auditregistration.k8s.io: 1.19): their kinds are built-in kinds at an
 * apiVersion gone, not custom resources (a CRD's group has a dot, and none of these is a CRD's).
 */
const REMOVED_GROUPS = ['extensions', 'settings.k8s.io', 'auditregistration.k8s.io'];

/** Kind to apiVersion to its schema type (a "+" apiVersion, one a later Kubernetes serves, under its own name). */
const TYPES = new Map(Object.entries(SERVED_KINDS).map(([kind, versions]) => [kind,
  new Map(Object.entries(versions).map(([apiVersion, type]) => [apiVersion.replace(/^\+/, ''), type]))]));

/** The groups of the built-in API: an object of any other group is a custom resource (or an aggregated API's). */
const BUILT_IN_GROUPS = new Set([...REMOVED_GROUPS, ...[...TYPES.values()].flatMap(versions => [...versions.keys()].map(groupOf))]);

/**
 * Whether `apiVersion` is of a group only custom resources use: one with a dot that the built-in API does not serve. Kubernetes'
 * own groups end in k8s.io, but so do projects' (sparkoperator.k8s.io, jobset.x-k8s.io, gateway.networking.k8s.io): the
 * served groups decide, not the name.
 */
export function isCustomGroup(apiVersion: string): boolean {
  const slash = apiVersion.indexOf('/');
  const dot = apiVersion.indexOf('.');
  return dot >= 0 && dot < slash && !BUILT_IN_GROUPS.has(apiVersion.slice(0, slash));
}

/** The built-in groups whose names have no dot, as the messages list them (the core group, "", is written `v1`). */
const DOTLESS_GROUPS = [...BUILT_IN_GROUPS].filter(g => g !== '' && !g.includes('.')).sort();

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

// An API group is a DNS subdomain and a version a DNS label (what a CRD or an APIService may declare):
// anything else is served by nothing, custom or built-in.
const LABEL = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?';
const SERVABLE = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*/)?[a-z](?:[-a-z0-9]*[a-z0-9])?$`);

/** Kind names by their lower case, for the hint when a built-in kind is misspelt in case. */
const KINDS_BY_LOWER_CASE = new Map(Object.keys(SERVED_KINDS).map(kind => [kind.toLowerCase(), kind]));

/** The kinds Kubernetes serves in `group` (at any version), for the hint when one is misspelt. */
function kindsOf(group: string): string[] {
  return [...TYPES].filter(([, versions]) => [...versions.keys()].some(v => groupOf(v) === group)).map(([kind]) => kind);
}

/** A kind's apiVersions and its schema type at each, as SERVED_KINDS has them. */
type ServedVersions = { readonly [apiVersion: string]: string };

/** The apiVersions `served` lists for 1.28, and those a later Kubernetes (to SCHEMA_VERSIONS.newest) adds. */
function versionsOf(served: ServedVersions): { now: string[]; later: string[] } {
  const versions = Object.keys(served);
  return { now: versions.filter(v => !v.startsWith('+')), later: versions.filter(v => v.startsWith('+')).map(v => v.slice(1)) };
}

/**
 * Whether `manifest` is the built-in kind it names, at an apiVersion Kubernetes serves it at: a NetworkPolicy of
 * networking.k8s.io/v1, not Calico's crd.projectcalico.org/v1 NetworkPolicy or Knative's Service, whose fields mean other things.
 */
export function isBuiltIn(manifest: any): boolean {
  return TYPES.get(manifest.kind)?.has(manifest.apiVersion) === true;
}

/**
 * Why an object's apiVersion and kind name no resource Kubernetes serves, or undefined: its kind is not served at its
 * apiVersion of a built-in group (the API server answers "no matches for kind"), or its group has no dot and is none of
 * Kubernetes' (a CustomResourceDefinition's group must have a dot, so no custom resource has such a group), at the field to
 * change and with the apiVersion or kind to use. An apiVersion a later Kubernetes (to SCHEMA_VERSIONS.newest) adds is
 * accepted, as the field tables accept later fields. An object of any other group is a custom resource: a `Service` of
 * serving.knative.dev/v1 is Knative's.
 */
export function apiVersionProblem(manifest: any): StructureProblem | undefined {
  const kind = manifest.kind;
  const apiVersion = manifest.apiVersion;
  if (TYPES.get(kind)?.has(apiVersion)) return undefined;
  const served = Object.prototype.hasOwnProperty.call(SERVED_KINDS, kind) ? SERVED_KINDS[kind] : undefined;
  if (!SERVABLE.test(apiVersion)) {
    return {
      path: 'apiVersion',
      message: `apiVersion "${apiVersion}" names no API Kubernetes can serve: it is GROUP/VERSION (or VERSION for the core group), `
        + 'the group a lower-case DNS name (e.g. apps, example.com) and the version a lower-case label (e.g. v1, v1beta1)',
      fix: `Set apiVersion to the GROUP/VERSION that serves kind ${kind} (for a custom resource, its CustomResourceDefinition's `
        + 'spec.group and a version it serves).',
    };
  }
  const group = groupOf(apiVersion);
  if (!BUILT_IN_GROUPS.has(group)) return group.includes('.') ? undefined : unknownGroupProblem(group, apiVersion, kind, served);
  const problem = `kind ${kind} is not served under apiVersion "${apiVersion}"`;
  if (!served) {
    const cased = KINDS_BY_LOWER_CASE.get(kind.toLowerCase());
    const near = cased ?? nearest(kind, kindsOf(group));
    // A kind misspelt and of another group (`v1` `Deploymnt`): the kind and the apiVersion that serves it.
    const elsewhere = near ? undefined : nearest(kind, TYPES.keys());
    const at = elsewhere ? versionsOf(SERVED_KINDS[elsewhere]).now.join(' or ') : '';
    const hint = cased ? ` (kinds are case-sensitive: ${cased}?)` : near ? ` (${near}?)` : elsewhere && at ? ` (${elsewhere} of ${at}?)` : '';
    return {
      path: 'kind',
      message: `${problem}; Kubernetes ${FIRST} to ${NEWEST} serves no kind ${kind}${hint}`,
      fix: near ? `Set kind to ${near}.` : elsewhere && at ? `Set kind to ${elsewhere} and apiVersion to ${at}, if that is the kind meant.`
        : `Use a kind Kubernetes ${FIRST} to ${NEWEST} serves under ${apiVersion}, or for a custom resource the apiVersion `
        + 'its CustomResourceDefinition declares (spec.group and a served version).',
    };
  }
  const { now, later } = versionsOf(served);
  const laterText = later.length ? `a later Kubernetes (to ${NEWEST}) serves it as ${later.join(' or ')}` : '';
  if (now.length === 0) {
    return {
      path: 'apiVersion',
      message: `${problem}; Kubernetes ${FIRST} does not serve it, ${laterText}`,
      fix: `Set apiVersion to ${later.join(' or ')}, for a cluster whose Kubernetes serves it there, with the fields that version defines.`,
    };
  }
  return {
    path: 'apiVersion',
    message: `${problem}; Kubernetes ${FIRST} serves it as ${now.join(' or ')}${laterText ? ` (${laterText})` : ''}`,
    fix: `Set apiVersion to ${now.join(' or ')}, where Kubernetes ${FIRST} serves kind ${kind}, with the fields that version defines.`,
  };
}

/**
 * An apiVersion of a group without a dot that Kubernetes does not have (`core/v1`, `api/v1`, `app/v1`): no API server serves
 * it, built-in or custom (apiextensions refuses a CustomResourceDefinition whose spec.group has no dot).
 */
function unknownGroupProblem(group: string, apiVersion: string, kind: string, served: ServedVersions | undefined): StructureProblem {
  const core = group === 'core' || group === 'api';
  const version = apiVersion.slice(group.length + 1);
  const now = served ? versionsOf(served).now : [];
  return {
    path: 'apiVersion',
    message: core
      ? `${apiVersion} is not an apiVersion: the core group is written "${version}", without a group `
        + `(kubectl and the API server answer "no matches for kind ${kind} in version ${apiVersion}")`
      : `apiVersion "${apiVersion}" names group "${group}", which Kubernetes does not have: its groups without a dot are `
        + `${DOTLESS_GROUPS.join(', ')} (and the core group, written v1), and a custom resource's group has a dot`,
    fix: now.length ? `Set apiVersion to ${now.join(' or ')}, where Kubernetes ${FIRST} serves kind ${kind}.`
      : core ? `Set apiVersion to "${version}" if kind ${kind} is of the core group, or to the group/version that serves it.`
        : `Set apiVersion to the group/version that serves kind ${kind} (for a custom resource, its CustomResourceDefinition's spec.group, `
          + 'which has a dot, and a version it serves).',
  };
}

/**
 * Why Kubernetes would refuse an object as written: the JSON path of the field at fault ('' for the
 * document), what is wrong there and what to write instead.
 */
export interface StructureProblem {
  readonly path: string;
  readonly message: string;
  readonly fix: string;
}

/** The most problems reported for one object (the first ones, in document order). */
const MOST = 20;

// The field tables compiled once into descriptors, so the walk over every object compares
// numbers and follows references instead of parsing type strings (it ran ~3x faster). A scalar's
// form is its JSON type, so that testing a value is one switch on a number (comparing the type's
// name with each scalar's in turn took 11% of the walk's instructions).
const STRING = 0;
const NUMBER = 1;
const BOOLEAN = 2;
const INT32 = 3;
const INT64 = 4;
const INT_OR_STRING = 5;
const BYTES = 6;
const TIME = 7;
const MICRO_TIME = 8;
const QUANTITY = 9;
const LIST = 10;
const MAP = 11;
const OBJECT = 12;
const ANY = 13;

/** The form of each scalar type the tables name; any other is a quantity. */
const SCALAR_FORMS: { readonly [type: string]: number } = {
  'string': STRING, 'number': NUMBER, 'boolean': BOOLEAN, 'int32': INT32, 'int64': INT64, 'int-or-string': INT_OR_STRING,
  'bytes': BYTES, 'time': TIME, 'micro-time': MICRO_TIME,
};

interface Descriptor {
  /** A scalar's JSON type (STRING to QUANTITY), or LIST, MAP, OBJECT or ANY. */
  readonly form: number;
  /** A list's or map's items. */
  item: Descriptor | undefined;
  /** An object's fields, by JSON name (a table without a prototype: a field named `constructor` is no field). */
  fields: FieldTable | undefined;
  /**
   * The keys of the object of this type the walk last met, in order (up to SEEN_MOST, more than any type has fields): a key
   * met where it was last time needs no lookup in `fields`. Keys and descriptors in arrays of their own, so that V8 compares
   * the keys as strings in place (in one array of both, each comparison was a call).
   */
  seenKeys: string[] | undefined;
  /** The descriptor of each of `seenKeys`. */
  seenFields: Array<Descriptor | undefined> | undefined;
  /** The table's type string, for messages. */
  readonly type: string;
  /** What the API server's validation refuses in an object of this type that decodes (validation.ts), if anything. */
  readonly validate: typeof VALIDATIONS[string];
  /** A custom resource's own type: the fields it does not list are its project's to judge, not unknown. */
  readonly open: boolean;
}

/** How many keys `seenKeys` holds at most: an object with thousands of keys is refused, not remembered. */
const SEEN_MOST = 64;

type FieldTable = { readonly [field: string]: Descriptor | undefined };

const DESCRIPTORS = new Map<string, Descriptor>();

function descriptor(type: string): Descriptor {
  let d = DESCRIPTORS.get(type);
  if (d) return d;
  if (type.startsWith('[]') || type.startsWith('{}')) {
    d = { form: type.startsWith('[]') ? LIST : MAP, item: undefined, fields: undefined, seenKeys: undefined, seenFields: undefined, type,
      validate: undefined, open: false };
    DESCRIPTORS.set(type, d);
    d.item = descriptor(type.slice(2));
  } else if (type === 'any') {
    d = { form: ANY, item: undefined, fields: undefined, seenKeys: undefined, seenFields: undefined, type, validate: undefined, open: false };
    DESCRIPTORS.set(type, d);
  } else if (Object.prototype.hasOwnProperty.call(K8S_FIELDS, type) || Object.prototype.hasOwnProperty.call(CUSTOM_FIELDS, type)) {
    const fields: { [field: string]: Descriptor } = Object.create(null);
    const open = !Object.prototype.hasOwnProperty.call(K8S_FIELDS, type);
    d = { form: OBJECT, item: undefined, fields, seenKeys: [], seenFields: [], type, validate: VALIDATIONS[type], open };
    DESCRIPTORS.set(type, d);
    // "+" marks a field a later Kubernetes added: accepted, and type-checked, all the same.
    const table = K8S_FIELDS[type] ?? CUSTOM_FIELDS[type];
    for (const [field, fieldType] of Object.entries(table)) fields[field] = descriptor(fieldType.replace(/^\+/, ''));
  } else {
    const form = Object.prototype.hasOwnProperty.call(SCALAR_FORMS, type) ? SCALAR_FORMS[type] : QUANTITY;
    d = { form, item: undefined, fields: undefined, seenKeys: undefined, seenFields: undefined, type, validate: undefined, open: false };
    DESCRIPTORS.set(type, d);
  }
  return d;
}

/**
 * Problems of an object against its schema ([] for an object of no schema the tables have). A built-in kind, at an apiVersion
 * that serves it, is checked whole against that version's schema, as the API server's strict decoding checks it: a field that
 * Kubernetes 1.29 to SCHEMA_VERSIONS.newest added is accepted (PSS versions after 1.28 read such fields, and the engine cannot tell
 * the cluster's version: --pss-version is the namespace's policy, not the cluster's), and so is one of a later Kubernetes that a PSS
 * version reads (securityContext.ulimits, v1.37: scripts/k8s-fields.ts's AFTER_SCHEMA); any other field is refused. A custom
 * resource whose pods the engine reads (pod-view.ts's CUSTOM_POD_KINDS) is checked for the value types of the parts it reads pods
 * from (custom-fields.ts), Kubernetes' own types inside them included; fields the tables do not know are left alone, as each
 * project's schema treats them its own way.
 */
export function structureProblems(manifest: any): StructureProblem[] {
  const type = TYPES.get(manifest.kind)?.get(manifest.apiVersion);
  if (type !== undefined) return walkOf(manifest, type, undefined);
  // Any other object served is a custom resource (or an aggregated API's), whose metadata the API server decodes and validates
  // as an ObjectMeta all the same (apiextensions-apiserver's GetObjectMeta and ValidateObjectMetaAccessor).
  if (typeof manifest.apiVersion !== 'string' || !isCustomGroup(manifest.apiVersion)) return NONE;
  return walkOf(manifest, CUSTOM_RESOURCE, customPodKindOf(manifest));
}

/** Who decides a built-in object's structure (a custom resource's is its project's: the one that wants a value there). */
const KUBERNETES = 'Kubernetes';

/**
 * The problems of `manifest` as `type`, whose every field is Kubernetes' to judge, then as `custom`'s type if it is a custom
 * resource whose pods the engine reads (the value types of the fields its project's table knows).
 */
function walkOf(manifest: unknown, type: string, custom: { readonly type: string; readonly project: string } | undefined): StructureProblem[] {
  // One walk serves object after object (its path arrays are scratch); a walk started from within one (an accessor of an
  // object built in code) makes its own.
  const walk = idleWalk ?? new Walk();
  idleWalk = undefined;
  try {
    walk.owner = KUBERNETES;
    walk.check(manifest, descriptor(type), 0);
    if (custom !== undefined) {
      walk.owner = custom.project;
      walk.check(manifest, descriptor(custom.type), 0);
    }
    return walk.take();
  } finally {
    idleWalk = walk;
  }
}

/** The walk between objects (undefined while one runs). */
let idleWalk: Walk | undefined;

const NONE: StructureProblem[] = [];

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${shown(value)})`;
}

const WANTED: { [type: string]: string } = {
  'string': 'a string', 'number': 'a number', 'boolean': 'a boolean (true or false)', 'quantity': 'a quantity (e.g. "500m", "256Mi")',
  'int32': 'a whole number from -2147483648 to 2147483647', 'int64': 'a whole number', 'int-or-string': 'a whole number or a string',
  'bytes': 'base64 text (the standard alphabet, padded with "=")',
  'time': 'a quoted RFC 3339 time of a real date (e.g. "2024-05-01T10:00:00Z")',
  'micro-time': 'a quoted RFC 3339 time of a real date with six digits of fraction (e.g. "2024-05-01T10:00:00.000000Z")',
};

/** The largest magnitude a JSON number may have for Go to decode it into an int64 (2^63: a double cannot tell 2^63 - 1 from it). */
const INT64_BOUND = 2 ** 63;

/** A client type's Kubernetes name: V1PodSpec is PodSpec, CoreV1Event Event. */
function typeName(type: string): string {
  return type.replace(/^(?:[A-Z][a-z]+)*?V\d+(?:(?:alpha|beta)\d+)?(?=[A-Z])/, '');
}

function wanted(d: Descriptor): string {
  if (d.form === LIST) return 'a list';
  if (d.form === MAP) return 'an object (a map)';
  // A custom resource's own types have no names its users know: only Kubernetes' are named.
  return WANTED[d.type] ?? (Object.prototype.hasOwnProperty.call(K8S_FIELDS, d.type) ? `an object (${typeName(d.type)})` : 'an object');
}

/**
 * How to write `value` at `path` as `d` wants it: a number or boolean in quotes is a string to JSON, and a string wants them.
 * A bare scalar is to be quoted as it was written, not as it was read: YAML reads `1.10` as 1.1, `0123` as 83 and `yes` as true.
 */
function rewrite(path: string, value: unknown, d: Descriptor): string {
  const quoted = typeof value === 'string' && (d.form === NUMBER || d.form === INT32 || d.form === INT64 || d.form === BOOLEAN);
  const bare = (typeof value === 'number' || typeof value === 'boolean') && d.form === STRING;
  const how = quoted ? ', without quotes' : bare ? `, in quotes as written (unquoted, it is read as the ${typeof value} ${String(value)})` : '';
  // A Secret's values are base64 under data; text goes under stringData, which the API server encodes.
  if (d.form === BYTES && typeof value === 'string') {
    return `Encode ${path} in base64 (\`base64 -w0\`), or write the text under stringData in a Secret.`;
  }
  return `Write ${path} as ${wanted(d)}${how}.`;
}

/**
 * The name of `names` that `key` most likely misspells: the same but for case, or at most two
 * letters added, dropped or changed (one for short names), else undefined.
 */
export function nearest(key: string, names: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = key.length > 5 ? 3 : 2;
  for (const name of names) {
    const distance = name.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, name, bestDistance);
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best;
}

/** Levenshtein distance of `a` and `b`, or `bound` when it is at least that (so long names cost little). */
function editDistance(a: string, b: string, bound: number): number {
  if (Math.abs(a.length - b.length) >= bound) return bound;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row.push(Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    if (Math.min(...row) >= bound) return bound;
    previous = row;
  }
  return Math.min(previous[b.length], bound);
}

/** Whether `object[key]` has a value (an accessor that throws has one: the rules that read it say so). */
function isSet(object: { [key: string]: unknown }, key: string): boolean {
  try {
    return object[key] !== undefined;
  } catch {
    return true;
  }
}

function fits(value: unknown, d: Descriptor): boolean {
  switch (d.form) {
    case LIST: return Array.isArray(value);
    case MAP: case OBJECT: return typeof value === 'object' && !Array.isArray(value);
    case ANY: return true;
    default: return isScalarOf(value, d);
  }
}

/**
 * Whether `value` is a scalar that fits `d` (false for any other descriptor). Each typeof is compared with a literal, which
 * V8 tests in place; compared with a string read from the descriptor, it called its Typeof builtin for every value (22% of a
 * warm check's samples, PERF's callgrind in bench/README).
 */
function isScalarOf(value: unknown, d: Descriptor): boolean {
  switch (d.form) {
    case STRING: return typeof value === 'string';
    case NUMBER: return typeof value === 'number';
    case BOOLEAN: return typeof value === 'boolean';
    case INT32: return isInt32(value);
    case INT64: return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= INT64_BOUND;
    case INT_OR_STRING: return typeof value === 'string' || isInt32(value);
    case BYTES: return typeof value === 'string' && isBase64(value);
    // metav1.Time's and metav1.MicroTime's UnmarshalJSON: a string time.Parse reads as RFC3339, or RFC3339Micro (null is no value).
    case TIME: return typeof value === 'string' && isGoRfc3339Time(value, false);
    case MICRO_TIME: return typeof value === 'string' && isGoRfc3339Time(value, true);
    // A string Kubernetes' ParseQuantity reads (what its JSON decoding calls), or a JSON number.
    case QUANTITY: return typeof value === 'string' ? parseQuantity(value) !== undefined : typeof value === 'number';
    default: return false;
  }
}

/**
 * Whether `text` decodes as Go's base64.StdEncoding decodes a []byte field: the standard alphabet in whole quanta of four,
 * padded with "=", line breaks ignored.
 */
function isBase64(text: string): boolean {
  const t = text.includes('\n') || text.includes('\r') ? text.replace(/[\r\n]/g, '') : text;
  return t.length % 4 === 0 && BASE64.test(t);
}

const BASE64 = /^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function isInt32(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= -2147483648 && value <= 2147483647;
}

/**
 * One walk over an object and its schema type. The path is kept as raw segments (a map's keys
 * unquoted, with the depths where they are) and written only for a problem: most objects have none.
 */
class Walk implements ProblemSink {
  /**
   * Whose structure the object has: "Kubernetes" for a built-in kind, where a field the schema lacks is refused; a
   * project's name for a custom resource, where only the value types of the fields the tables know are checked.
   */
  public owner = KUBERNETES;
  private problems: StructureProblem[] = [];
  /**
   * The path to the value at depth `n` is `segments[0..n)`, written in place as the walk goes down (an array pushed and
   * popped as a stack is reallocated by V8 as it shrinks and grows again: megabytes in a check of thousands of objects).
   */
  private readonly segments: Array<string | number> = [];
  /** The descriptor each segment is a field, item or key of (a map's keys are written `["key"]`). */
  private readonly parents: Descriptor[] = [];
  /** The depth of the value a validation (validation.ts) is checking, for the paths of what it adds. */
  private validating = 0;

  /**
   * Checks `value`, at `depth`, against `d` and what is below it. One function calling itself, with each loop's items tested
   * in place: the walk visits every field of every pod-bearing object, and as a few functions calling one another its first
   * runs (before V8 optimises it) paid a call per value and V8's optimising compiler inlined them into one another at length.
   */
  public check(value: unknown, d: Descriptor, depth: number): void {
    // JSON null decodes to the zero value of any field.
    if (value === null || value === undefined || d.form === ANY || this.problems.length >= MOST) return;
    if (!fits(value, d)) {
      const path = this.path(depth);
      this.problems.push({ path, message: `${path} is ${describe(value)}; ${this.owner} wants ${wanted(d)} there`, fix: rewrite(path, value, d) });
      return;
    }
    const segments = this.segments;
    this.parents[depth] = d;
    if (d.form === OBJECT) {
      const fields = d.fields!;
      const seenKeys = d.seenKeys!;
      const seenFields = d.seenFields!;
      const object = value as { [key: string]: unknown };
      let n = 0;
      for (const key in object) {
        // Objects of one type mostly come in one shape: the key at the same place as last time has the same descriptor.
        let field: Descriptor | undefined;
        if (n < seenKeys.length && seenKeys[n] === key) field = seenFields[n];
        else {
          field = fields[key];
          if (n < SEEN_MOST) {
            seenKeys[n] = key;
            seenFields[n] = field;
          }
        }
        n++;
        if (field === undefined) {
          // A key whose value is undefined (an object built in code) is no field: JSON has no undefined.
          if (this.owner === KUBERNETES && !d.open && isSet(object, key)) this.unknown(key, d, depth);
          continue;
        }
        let item: unknown;
        try {
          item = object[key];
        } catch {
          item = undefined; // an accessor that throws (an object built in code): the rules that read it say so
        }
        // A scalar of the right type, most values, has nothing below it to walk and needs no path.
        if (isScalarOf(item, field)) continue;
        segments[depth] = key;
        this.check(item, field, depth + 1);
      }
      // What decodes may still be refused by the API server's validation, checked where the type is. (A custom resource's
      // project defaults and rewrites its pod templates before it makes pods of them, a Knative container's name, say.)
      if (d.validate !== undefined && this.owner === KUBERNETES) {
        this.validating = depth;
        try {
          d.validate(object, this, depth > 0 ? this.parents[depth - 1].type : undefined, depth === 1);
        } catch {
          // an accessor that throws (an object built in code): the rules that read it say so
        }
      }
    } else if (d.form === LIST) {
      const items = value as unknown[];
      const item = d.item!;
      for (let i = 0; i < items.length; i++) {
        const v = items[i];
        if (isScalarOf(v, item)) continue;
        segments[depth] = i;
        this.check(v, item, depth + 1);
      }
    } else if (d.form === MAP) {
      const map = value as { [key: string]: unknown };
      const item = d.item!;
      for (const key in map) {
        const v = map[key];
        if (isScalarOf(v, item)) continue;
        segments[depth] = key;
        this.check(v, item, depth + 1);
      }
    }
  }

  /** The problems found since the last call ([] for none), and the walk ready for the next object. */
  public take(): StructureProblem[] {
    const problems = this.problems;
    if (problems.length === 0) return NONE;
    this.problems = [];
    return problems;
  }

  /** Adds a problem validation found at `at` below the value it checks (see ProblemSink). */
  public add(at: string, message: string, fix: string): void {
    if (this.problems.length >= MOST) return;
    const base = this.path(this.validating);
    const path = base === '' ? at.replace(/^\./, '') : `${base}${at}`;
    this.problems.push({ path, message: `${path}: ${message}`, fix });
  }

  /** Reports `key`, a field the object of type `d` (at `depth`) does not have. */
  private unknown(key: string, d: Descriptor, depth: number): void {
    if (this.problems.length >= MOST) return;
    this.segments[depth] = key;
    const path = this.path(depth + 1);
    const near = nearest(key, Object.keys(d.fields!));
    this.problems.push({
      path,
      message: `${path} is not a field of ${typeName(d.type)} (Kubernetes ${FIRST} to ${NEWEST}); `
        + 'Kubernetes\' strict field validation refuses it',
      fix: near ? `Rename the field to ${near} (or remove it).` : `Remove the field, or name one ${typeName(d.type)} has.`,
    });
  }

  /** The JSON path of the value at `depth`: `spec.containers[0].securityContext`, `metadata.labels["app"]`. */
  private path(depth: number): string {
    let path = '';
    for (let i = 0; i < depth; i++) {
      const s = this.segments[i];
      if (typeof s === 'number') path += `[${s}]`;
      else if (this.parents[i].form === MAP) path += `[${JSON.stringify(s)}]`;
      else path += path === '' ? s : `.${s}`;
    }
    return path;
  }
}
