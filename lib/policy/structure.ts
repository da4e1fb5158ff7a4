// Strict structure of the built-in pod-bearing kinds, as the API server's strict field
// validation (kubectl's default since 1.27) and its JSON decoding see it: a field the schema
// does not have, or a value of the wrong JSON type (`privileged: "true"`,
// `runAsUser: "0"`, a label value that is a number), makes Kubernetes refuse the object, so the
// engine reports it as invalid rather than check what would never run. The field tables are
// generated from the upstream schema (k8s-fields.ts), as is the table of the apiVersions each
// built-in kind is served at.
import { parseQuantity } from '../vocab/quantity';
import { CUSTOM_FIELDS } from './custom-fields';
import { K8S_FIELDS, POD_BEARING_TYPES, SERVED_KINDS } from './k8s-fields';
import { customPodKindOf } from './pod-view';

/**
 * API groups Kubernetes once served and 1.28 serves no version of (extensions: 1.22;
 * settings.k8s.io: 1.20; auditregistration.k8s.io: 1.19): their kinds are built-in kinds at an
 * apiVersion gone, not custom resources (a CRD's group has a dot, and none of these is a CRD's).
 */
const REMOVED_GROUPS = ['extensions', 'settings.k8s.io', 'auditregistration.k8s.io'];

/** The groups of the built-in API: an object of any other group is a custom resource (or an aggregated API's). */
const BUILT_IN_GROUPS = new Set([...REMOVED_GROUPS, ...Object.values(SERVED_KINDS).flat().map(v => groupOf(v.replace(/^\+/, '')))]);

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

/**
 * Why an object of a built-in API group is not served as written, or undefined: its kind is not
 * served at its apiVersion (the API server answers "no matches for kind"), at the field to change
 * and with the apiVersion or kind to use. An apiVersion a later Kubernetes (to 1.33) adds is
 * accepted, as the field tables accept later fields. An object of any other group is a custom
 * resource: a `Service` of serving.knative.dev/v1 is Knative's.
 */
export function apiVersionProblem(manifest: any): StructureProblem | undefined {
  const kind = manifest.kind;
  const apiVersion = manifest.apiVersion;
  const served = Object.prototype.hasOwnProperty.call(SERVED_KINDS, kind) ? SERVED_KINDS[kind] : undefined;
  if (served && (served.includes(apiVersion) || served.includes(`+${apiVersion}`))) return undefined;
  if (!SERVABLE.test(apiVersion)) {
    return {
      path: 'apiVersion',
      message: `apiVersion "${apiVersion}" names no API Kubernetes can serve: it is GROUP/VERSION (or VERSION for the core group), `
        + 'the group a lower-case DNS name (e.g. apps, example.com) and the version a lower-case label (e.g. v1, v1beta1)',
      fix: `Set apiVersion to the GROUP/VERSION that serves kind ${kind} (for a custom resource, its CustomResourceDefinition's `
        + 'spec.group and a version it serves).',
    };
  }
  if (!BUILT_IN_GROUPS.has(groupOf(apiVersion))) return undefined;
  const problem = `kind ${kind} is not served under apiVersion "${apiVersion}"`;
  if (!served) {
    const near = KINDS_BY_LOWER_CASE.get(kind.toLowerCase());
    return {
      path: 'kind',
      message: `${problem}; Kubernetes 1.28 serves no kind ${kind}${near ? ` (kinds are case-sensitive: ${near}?)` : ''}`,
      fix: near ? `Set kind to ${near}.` : `Use a kind Kubernetes 1.28 serves under ${apiVersion}, or for a custom resource the apiVersion `
        + 'its CustomResourceDefinition declares (spec.group and a served version).',
    };
  }
  const now = served.filter(v => !v.startsWith('+'));
  const later = served.filter(v => v.startsWith('+')).map(v => v.slice(1));
  const laterText = later.length ? `a later Kubernetes (to 1.33) serves it as ${later.join(' or ')}` : '';
  if (now.length === 0) {
    return {
      path: 'apiVersion',
      message: `${problem}; Kubernetes 1.28 does not serve it, ${laterText}`,
      fix: `Set apiVersion to ${later.join(' or ')}, for a cluster whose Kubernetes serves it there, with the fields that version defines.`,
    };
  }
  return {
    path: 'apiVersion',
    message: `${problem}; Kubernetes 1.28 serves it as ${now.join(' or ')}${laterText ? ` (${laterText})` : ''}`,
    fix: `Set apiVersion to ${now.join(' or ')}, where Kubernetes 1.28 serves kind ${kind}, with the fields that version defines.`,
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
// numbers and follows references instead of parsing type strings (it ran ~3x faster).
const SCALAR = 0;
const LIST = 1;
const MAP = 2;
const OBJECT = 3;
const ANY = 4;

interface Descriptor {
  readonly form: number;
  /** The JSON type of a scalar ("string", "number", "boolean", "quantity", "int-or-string"). */
  readonly scalar: string;
  /** For a scalar, the `typeof` of the values that fit it (a quantity's: "string" and "number"); '' for the rest. */
  readonly typeofA: string;
  readonly typeofB: string;
  /**
   * Whether a value of the right `typeof` must be tested further (`fitsScalar`): a number must be a whole one in range
   * (int32, int64, int-or-string), a quantity's string must parse as one (the API server's decoding refuses "512MB").
   */
  readonly checked: boolean;
  /** A list's or map's items. */
  item: Descriptor | undefined;
  /** An object's fields, by JSON name (a table without a prototype: a field named `constructor` is no field). */
  fields: FieldTable | undefined;
  /** The table's type string, for messages. */
  readonly type: string;
}

type FieldTable = { readonly [field: string]: Descriptor | undefined };

const DESCRIPTORS = new Map<string, Descriptor>();

function descriptor(type: string): Descriptor {
  let d = DESCRIPTORS.get(type);
  if (d) return d;
  if (type.startsWith('[]') || type.startsWith('{}')) {
    d = { form: type.startsWith('[]') ? LIST : MAP, scalar: '', typeofA: '', typeofB: '', checked: false, item: undefined, fields: undefined, type };
    DESCRIPTORS.set(type, d);
    d.item = descriptor(type.slice(2));
  } else if (type === 'any') {
    d = { form: ANY, scalar: '', typeofA: '', typeofB: '', checked: false, item: undefined, fields: undefined, type };
    DESCRIPTORS.set(type, d);
  } else if (Object.prototype.hasOwnProperty.call(K8S_FIELDS, type) || Object.prototype.hasOwnProperty.call(CUSTOM_FIELDS, type)) {
    const fields: { [field: string]: Descriptor } = Object.create(null);
    d = { form: OBJECT, scalar: '', typeofA: '', typeofB: '', checked: false, item: undefined, fields, type };
    DESCRIPTORS.set(type, d);
    // "+" marks a field a later Kubernetes added: accepted, and type-checked, all the same.
    const table = K8S_FIELDS[type] ?? CUSTOM_FIELDS[type];
    for (const [field, fieldType] of Object.entries(table)) fields[field] = descriptor(fieldType.replace(/^\+/, ''));
  } else {
    const one = type === 'string' || type === 'number' || type === 'boolean';
    const whole = type === 'int32' || type === 'int64';
    // A whole number's typeof is "number" too: isScalarOf tests the value of those (`checked`) further.
    const typeofA = one ? type : whole ? 'number' : 'string';
    const typeofB = one ? type : 'number';
    const checked = whole || type === 'int-or-string' || type === 'quantity';
    d = { form: SCALAR, scalar: type, typeofA, typeofB, checked, item: undefined, fields: undefined, type };
    DESCRIPTORS.set(type, d);
  }
  return d;
}

/**
 * Problems of a pod-bearing object against its schema ([] for other objects). A built-in kind is checked whole, as the
 * API server's strict decoding checks it: a field that Kubernetes 1.29 to 1.33 added is accepted (PSS versions after
 * 1.28 read such fields, and the engine cannot tell the cluster's version); a field no version up to 1.33 has is refused.
 * A custom resource whose pods the engine reads (pod-view.ts's CUSTOM_POD_KINDS) is checked for the value types of the
 * parts it reads pods from (custom-fields.ts), Kubernetes' own types inside them included; fields the tables do not
 * know are left alone, as each project's schema treats them its own way.
 */
export function structureProblems(manifest: any): StructureProblem[] {
  const kind = manifest.kind;
  if (typeof kind !== 'string') return NONE;
  if (Object.prototype.hasOwnProperty.call(POD_BEARING_TYPES, kind)) return walkOf(manifest, POD_BEARING_TYPES[kind], KUBERNETES);
  const custom = customPodKindOf(manifest);
  return custom ? walkOf(manifest, custom.type, custom.project) : NONE;
}

/** Who decides a built-in object's structure (a custom resource's is its project's: the one that wants a value there). */
const KUBERNETES = 'Kubernetes';

/** The problems of `manifest` as `type`, for `owner` (Kubernetes: every field; a project: the value types of the fields known). */
function walkOf(manifest: unknown, type: string, owner: string): StructureProblem[] {
  // One walk serves object after object (its path arrays are scratch); a walk started from within one (an accessor of an
  // object built in code) makes its own.
  const walk = idleWalk ?? new Walk();
  idleWalk = undefined;
  try {
    walk.owner = owner;
    walk.check(manifest, descriptor(type), 0);
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
  return `a ${typeof value} (${JSON.stringify(value)})`;
}

const WANTED: { [type: string]: string } = {
  'string': 'a string', 'number': 'a number', 'boolean': 'a boolean (true or false)', 'quantity': 'a quantity (e.g. "500m", "256Mi")',
  'int32': 'a whole number from -2147483648 to 2147483647', 'int64': 'a whole number', 'int-or-string': 'a whole number or a string',
};

/** The largest magnitude a JSON number may have for Go to decode it into an int64 (2^63: a double cannot tell 2^63 - 1 from it). */
const INT64_BOUND = 2 ** 63;

/** A client type's Kubernetes name: V1PodSpec is PodSpec. */
function typeName(type: string): string {
  return type.replace(/^V\d+(?:(?:alpha|beta)\d+)?/, '');
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
  const quoted = typeof value === 'string' && (d.scalar === 'number' || d.scalar === 'int32' || d.scalar === 'int64' || d.scalar === 'boolean');
  const bare = (typeof value === 'number' || typeof value === 'boolean') && d.scalar === 'string';
  const how = quoted ? ', without quotes' : bare ? `, in quotes as written (unquoted, it is read as the ${typeof value} ${String(value)})` : '';
  return `Write ${path} as ${wanted(d)}${how}.`;
}

/**
 * The field of `fields` that `key` most likely misspells: the same but for case, or at most two
 * letters added, dropped or changed (one for short names), else undefined.
 */
function nearestField(key: string, fields: FieldTable): string | undefined {
  let best: string | undefined;
  let bestDistance = key.length > 5 ? 3 : 2;
  for (const field in fields) {
    const distance = field.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, field, bestDistance);
    if (distance < bestDistance) [best, bestDistance] = [field, distance];
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

function fits(value: unknown, d: Descriptor): boolean {
  switch (d.form) {
    case LIST: return Array.isArray(value);
    case MAP: case OBJECT: return typeof value === 'object' && !Array.isArray(value);
    case ANY: return true;
    default: return fitsScalar(value, d.scalar);
  }
}

/** Whether `value` is a scalar that fits `d` (false for any other descriptor). */
function isScalarOf(value: unknown, d: Descriptor): boolean {
  const type = typeof value;
  return (type === d.typeofA || type === d.typeofB) && (!d.checked || fitsScalar(value, d.scalar));
}

function fitsScalar(value: unknown, scalar: string): boolean {
  switch (scalar) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number';
    case 'boolean': return typeof value === 'boolean';
    case 'int32': return isInt32(value);
    case 'int64': return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= INT64_BOUND;
    case 'int-or-string': return typeof value === 'string' || isInt32(value);
    // A quantity: a string Kubernetes' ParseQuantity reads (what its JSON decoding calls), or a JSON number.
    default: return typeof value === 'string' ? parseQuantity(value) !== undefined : typeof value === 'number';
  }
}

function isInt32(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= -2147483648 && value <= 2147483647;
}

/**
 * One walk over an object and its schema type. The path is kept as raw segments (a map's keys
 * unquoted, with the depths where they are) and written only for a problem: most objects have none.
 */
class Walk {
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
      const object = value as { [key: string]: unknown };
      for (const key in object) {
        const field = fields[key];
        if (field === undefined) {
          if (this.owner === KUBERNETES) this.unknown(key, d, depth);
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

  /** Reports `key`, a field the object of type `d` (at `depth`) does not have. */
  private unknown(key: string, d: Descriptor, depth: number): void {
    if (this.problems.length >= MOST) return;
    this.segments[depth] = key;
    const path = this.path(depth + 1);
    const near = nearestField(key, d.fields!);
    this.problems.push({
      path,
      message: `${path} is not a field of ${typeName(d.type)}; Kubernetes' strict field validation refuses it`,
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
