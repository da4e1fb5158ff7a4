// The checks of a prop's value by its type, as pure functions: each returns the problem (naming the
// prop, the value as given and the fix) or undefined, and throws nothing. prop-checks.ts holds the
// table of which prop has which type; this file knows the types (a cdk8s Duration, an enum of
// strings, a whole number in a range, a Kubernetes name, labels, annotations) as the API server does.
import { DNS_LABEL, DNS_SUBDOMAIN, labelKeyProblem, labelValueProblem } from '../vocab/labels';
import { shown } from '../vocab/shown';

export { QUOTED_CHARACTERS, shown } from '../vocab/shown';

/** What the API server allows all of an object's annotations to take together (keys and values). */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;

/** The jsii type name of an instance of a cdk8s or cdk8s-plus class, read the way jsii records it (the same in every installed copy). */
function jsiiType(value: unknown): string | undefined {
  const rtti = (value as { constructor?: { [key: symbol]: { fqn?: unknown } } } | null)?.constructor?.[Symbol.for('jsii.rtti')];
  return typeof rtti?.fqn === 'string' ? rtti.fqn : undefined;
}

/** Whether `value` is an instance of the cdk8s or cdk8s-plus class `fqn` (e.g. "cdk8s.Duration"), from any installed copy. */
export function isJsiiInstance(value: unknown, fqn: string): boolean {
  const type = jsiiType(value);
  return type === fqn || (type !== undefined && type.replace(/^cdk8s-plus-\d+\./, 'cdk8s-plus.') === fqn);
}

/** A cdk8s `Duration` (e.g. Duration.seconds(30)), whose length in seconds is a whole number from `min`. */
export function durationProblem(prop: string, value: unknown, example: string, min = 0): string | undefined {
  if (value === undefined) return undefined;
  if (!isJsiiInstance(value, 'cdk8s.Duration')) return `'${prop}' (${shown(value)}) must be a Duration, e.g. ${example}`;
  let seconds: number;
  try {
    seconds = (value as { toSeconds(): number }).toSeconds();
  } catch (e) {
    return `'${prop}' is not a whole number of seconds (${(e as Error).message}); use e.g. ${example}`;
  }
  if (!Number.isSafeInteger(seconds) || seconds < min) {
    return `'${prop}' (${shown(seconds)}s) must be a whole number of seconds of at least ${min}; use e.g. ${example}`;
  }
  return undefined;
}

/** A whole number from `min` to `max` (the API server's int32 fields stop at 2147483647). */
export function integerProblem(prop: string, value: unknown, min: number, max = 2147483647): string | undefined {
  if (value === undefined || (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max)) return undefined;
  return `'${prop}' (${shown(value)}) must be a whole number from ${min} to ${max}`;
}

export function booleanProblem(prop: string, value: unknown): string | undefined {
  return value === undefined || typeof value === 'boolean' ? undefined : `'${prop}' (${shown(value)}) must be true or false`;
}

/** One of an enum's values (e.g. kplus.ImagePullPolicy), named `enumName` in the fix. */
export function oneOfProblem(prop: string, value: unknown, enumName: string, values: { [key: string]: string }): string | undefined {
  if (value === undefined || Object.values(values).includes(value as string)) return undefined;
  return `'${prop}' (${shown(value)}) must be one of ${Object.entries(values).map(([k, v]) => `${enumName}.${k} ("${v}")`).join(', ')}`;
}

/** An instance of the cdk8s-plus class `type` (e.g. "DeploymentStrategy"), made as `example` shows. */
export function instanceProblem(prop: string, value: unknown, type: string, example: string): string | undefined {
  if (value === undefined || isJsiiInstance(value, `cdk8s-plus.${type}`)) return undefined;
  return `'${prop}' (${shown(value)}) must be a ${type}, e.g. ${example}`;
}

/** An object of its own fields (not a string, whose characters would be its keys, nor a list). */
export function objectProblem(prop: string, value: unknown, example: string): string | undefined {
  if (value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value))) return undefined;
  return `'${prop}' (${shown(value)}) must be an object, e.g. ${example}`;
}

/** A name the API server takes: a DNS label (at most 63 characters) or subdomain (at most 253), cut to `max` where the kind needs it. */
export function nameProblem(prop: string, value: unknown, form: 'label' | 'subdomain', max: number, why = ''): string | undefined {
  const limit = Math.min(max, form === 'label' ? 63 : 253);
  if (typeof value === 'string' && value.length <= limit && (form === 'label' ? DNS_LABEL : DNS_SUBDOMAIN).test(value)) return undefined;
  const chars = form === 'label' ? 'lowercase letters, digits and "-"' : 'lowercase letters, digits, "-" and "."';
  return `'${prop}' (${shown(value)}) must be a DNS ${form}: ${chars}, at most ${limit} characters${why}`;
}

/** Labels: an object whose keys are label keys and whose values are label values. */
export function labelsProblem(prop: string, labels: unknown): string | undefined {
  const problem = objectProblem(prop, labels, "{ 'app.kubernetes.io/name': 'shop' }");
  if (problem || labels === undefined) return problem;
  for (const [key, value] of Object.entries(labels as object)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) return `'${prop}' key ${shown(key)} is not a label key: ${keyProblem}`;
    const valueProblem = labelValueProblem(value);
    if (valueProblem) return `'${prop}.${key}' (${shown(value)}) is not a label value: ${valueProblem}`;
  }
  return undefined;
}

/** Annotations: an object of string values whose keys are qualified names, all of them within what the API server allows. */
export function annotationsProblem(prop: string, annotations: unknown): string | undefined {
  const problem = objectProblem(prop, annotations, "{ 'example.com/owner': 'team-shop' }");
  if (problem || annotations === undefined) return problem;
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations as object)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) return `'${prop}' key ${shown(key)} is not an annotation key: ${keyProblem}`;
    if (typeof value !== 'string') return `'${prop}.${key}' (${shown(value)}) must be a string`;
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  return bytes > ANNOTATIONS_MAX_BYTES ? annotationsSizeProblem(prop, bytes) : undefined;
}

function annotationsSizeProblem(what: string, bytes: number): string {
  return `'${what}' take ${bytes} bytes, more than the ${ANNOTATIONS_MAX_BYTES} bytes (256 KiB) the API server allows an object's `
    + 'annotations in all; keep long text out of annotations';
}

/** A name of an environment variable as Kubernetes 1.28 takes it (IsEnvVarName): letters, digits, "_", "-" and ".", not starting with a digit. */
export function envNameProblem(prop: string, name: string): string | undefined {
  if (/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)) return undefined;
  return `'${prop}' has a variable named ${shown(name)}; a name is letters, digits, "_", "-" and ".", and does not start with a digit`;
}

/**
 * A CronJob time zone as Kubernetes 1.28 takes it: an IANA name as Go's time.LoadLocation loads it, never "Local".
 * LoadLocation reads the time zone database by name, so a name's case counts ("utc" and "america/new_york" are refused),
 * which Node's Intl ignores: every part of a name starts with a capital letter, and a name Intl spells otherwise is refused.
 */
export function timeZoneProblem(prop: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const fix = `must be an IANA time zone such as "Europe/Berlin" or "Etc/UTC"`;
  if (typeof value !== 'string' || value === '' || value.toLowerCase() === 'local'
    || value.split('/').some(part => part === '.' || part === '..' || part.startsWith('-') || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(part))) {
    return `'${prop}' (${shown(value)}) ${fix}`;
  }
  let known: string;
  try {
    known = new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return `'${prop}' (${shown(value)}) is not a time zone Node knows; it ${fix}`;
  }
  // Intl gives the database's spelling of the name, or the zone an alias names (US/Pacific is America/Los_Angeles).
  const byName = 'Kubernetes reads the time zone database by name, case and all';
  if (known !== value && known.toLowerCase() === value.toLowerCase()) return `'${prop}' (${shown(value)}) is spelt "${known}": ${byName}`;
  if (value.split('/').some(part => !/^[A-Z]/.test(part))) {
    return `'${prop}' (${shown(value)}) is not spelt as the database spells its names, each part with a capital ("Etc/UTC", "US/Pacific"): ${byName}`;
  }
  return undefined;
}
