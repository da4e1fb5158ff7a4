// Strict structure of the built-in pod-bearing kinds, as the API server's strict field
// validation (kubectl's default since 1.27) and its JSON decoding see it: a field the schema
// does not have, or a value of the wrong JSON type (`privileged: "true"`,
// `runAsUser: "0"`, a label value that is a number), makes Kubernetes refuse the object, so the
// engine reports it as invalid rather than check what would never run. The field tables are
// generated from the upstream schema (k8s-fields.ts).
import { K8S_FIELDS, POD_BEARING_TYPES } from './k8s-fields';

/** One place where an object does not fit the schema: the JSON path and what is wrong there. */
export interface StructureProblem {
  readonly path: string;
  readonly message: string;
}

/** The most problems reported for one object (the first ones, in document order). */
const MOST = 20;

/**
 * Problems of a built-in pod-bearing object against the schema ([] for other kinds). A field
 * that Kubernetes 1.29 to 1.33 added is accepted (PSS versions after 1.28 read such fields, and
 * the engine cannot tell the cluster's version); a field no version up to 1.33 has is refused.
 */
export function structureProblems(manifest: any): StructureProblem[] {
  const kind = manifest.kind;
  const type = typeof kind === 'string' && Object.prototype.hasOwnProperty.call(POD_BEARING_TYPES, kind) ? POD_BEARING_TYPES[kind] : undefined;
  const problems: StructureProblem[] = [];
  if (type !== undefined) new Walk(problems).check(manifest, type, '');
  return problems;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${JSON.stringify(value)})`;
}

const WANTED: { [type: string]: string } = {
  'string': 'a string', 'number': 'a number', 'boolean': 'a boolean (true or false)', 'quantity': 'a quantity (e.g. "500m", "256Mi")',
  'int-or-string': 'a number or a string',
};

/** A client type's Kubernetes name: V1PodSpec is PodSpec. */
function typeName(type: string): string {
  return type.replace(/^V\d+(?:(?:alpha|beta)\d+)?/, '');
}

function wanted(type: string): string {
  if (type.startsWith('[]')) return 'a list';
  if (type.startsWith('{}')) return 'an object (a map)';
  return WANTED[type] ?? `an object (${typeName(type)})`;
}

function join(path: string, field: string): string {
  return path === '' ? field : `${path}.${field}`;
}

/** One walk over an object and its schema type, collecting problems. */
class Walk {
  constructor(private readonly problems: StructureProblem[]) {}

  public check(value: unknown, type: string, path: string): void {
    // JSON null decodes to the zero value of any field.
    if (value === null || value === undefined || this.problems.length >= MOST || type === 'any') return;
    if (!fits(value, type)) {
      this.problems.push({ path, message: `${path} is ${describe(value)}; Kubernetes wants ${wanted(type)} there` });
      return;
    }
    if (type.startsWith('[]')) {
      const items = value as unknown[];
      for (let i = 0; i < items.length; i++) this.check(items[i], type.slice(2), `${path}[${i}]`);
    } else if (type.startsWith('{}')) {
      for (const [key, item] of Object.entries(value as object)) this.check(item, type.slice(2), `${path}[${JSON.stringify(key)}]`);
    } else if (typeof value === 'object') {
      this.fields(value as { [key: string]: unknown }, type, path);
    }
  }

  private fields(value: { [key: string]: unknown }, type: string, path: string): void {
    const fields = K8S_FIELDS[type];
    for (const key of Object.keys(value)) {
      const at = join(path, key);
      const declared = Object.prototype.hasOwnProperty.call(fields, key) ? fields[key] : undefined;
      if (declared === undefined) {
        if (this.problems.length < MOST) {
          this.problems.push({ path: at, message: `${at} is not a field of ${typeName(type)}; Kubernetes' strict field validation refuses it` });
        }
        continue;
      }
      const fieldType = declared.startsWith('+') ? declared.slice(1) : declared;
      let item: unknown;
      try {
        item = value[key];
      } catch {
        continue; // an accessor that throws (an object built in code): the rules that read it say so
      }
      this.check(item, fieldType, at);
    }
  }
}

function fits(value: unknown, type: string): boolean {
  switch (type) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number';
    case 'boolean': return typeof value === 'boolean';
    case 'quantity': case 'int-or-string': return typeof value === 'string' || typeof value === 'number';
    default: return type.startsWith('[]') ? Array.isArray(value) : typeof value === 'object' && !Array.isArray(value);
  }
}
