// A manifest is JSON data: what the API server decodes (and what YAML read as sigs.k8s.io/yaml reads it
// becomes) holds strings, finite numbers, booleans, null, lists and objects, nested at most 10000 deep. A
// JavaScript caller (an ApiObject's props, PolicyEngine.evaluate) can hand the engine anything else: a BigInt,
// which cdk8s writes as the number but every rule reads as no number (runAsUser: 0n is not 0), a Symbol or a
// function, NaN (written .nan, which the decoding refuses), a Date or a Map, a cycle. None is what Kubernetes
// would read, so the document is refused, naming it, the value's path and the fix. Checked where JavaScript values
// come in (PolicyEngine.evaluate and evaluateDocuments, the synth pass as it serialises each ApiObject), not on what
// the YAML reader made, which is JSON data by construction.

import { isObject } from '../vocab/json';
import { shown } from '../vocab/shown';
import type { ManifestDocument } from './engine';
import { checkImageCheckOptions } from './options';

/** Go's encoding/json, and so the API server's decoding, refuses JSON nested deeper than this ("exceeded max depth"). */
const MAX_DEPTH = 10_000;

/** Where a manifest holds a value JSON has no form for, and what it is. */
interface NonJsonValue {
  /** The JSON path of the value: `spec.containers[0].ports[0].containerPort`, `metadata.annotations["a/b"]`. */
  readonly path: string;
  /** What the value is, for the message: "a bigint (80)", "a Date object", "the object at spec again (a cycle)". */
  readonly what: string;
  /** What to give instead. */
  readonly fix: string;
}

interface Frame {
  readonly value: any;
  /** The keys of an object; undefined for a list. */
  readonly keys: string[] | undefined;
  readonly length: number;
  /** The index of the child being looked at. */
  at: number;
}

/** How deep the quick look goes by recursion; deeper (or a cycle) is left to the walk that names what it finds. */
const QUICK_DEPTH = 500;

/** Throws unless `documents` is a list of documents whose manifests are JSON data (`checkJsonData`), naming the first that is not. */
export function checkDocuments(documents: readonly ManifestDocument[], call: string): void {
  if (!Array.isArray(documents)) throw new Error(`${call}: the documents (${shown(documents)}) must be a list of { manifest, file?, ... }`);
  for (let i = 0; i < documents.length; i++) {
    const d: unknown = documents[i];
    if (!isObject(d)) throw new Error(`${call}: document ${i} (${shown(d)}) must be an object: { manifest, file?, ... }`);
    const problem = documentFieldProblem(d);
    if (problem) throw new Error(`${call}: document ${i}'s ${problem}`);
    const file = d.file === undefined ? '' : `${d.file} `;
    checkJsonData(d.manifest, d.constructPath !== undefined ? `ApiObject ${d.constructPath}` : `${file}document ${d.documentIndex ?? i}`);
    if (d.imageChecks !== undefined) {
      if (!isObject(d.imageChecks)) throw new Error(`${call}: document ${i}'s 'imageChecks' (${shown(d.imageChecks)}) must be an object`);
      try {
        checkImageCheckOptions(d.imageChecks, 'imageChecks.');
      } catch (e) {
        throw new Error(`${call}: document ${i}'s ${(e as Error).message}`);
      }
    }
  }
}

/** What is wrong with a document's fields other than its manifest and image settings (each is what ManifestDocument says). */
function documentFieldProblem(d: { [field: string]: unknown }): string | undefined {
  const text = (field: string, what: string) =>
    d[field] === undefined || typeof d[field] === 'string' ? undefined : `'${field}' (${shown(d[field])}) must be ${what}`;
  const count = (field: string, min: number, what: string) => {
    const value = d[field];
    return value === undefined || (Number.isSafeInteger(value) && (value as number) >= min) ? undefined
      : `'${field}' (${shown(value)}) must be ${what}, a whole number from ${min}`;
  };
  const suppressions = d.suppressions;
  const reasons = suppressions === undefined ? undefined : !isObject(suppressions)
    ? `'suppressions' (${shown(suppressions)}) must map rule ids to reasons, e.g. { 'image-tag': 'pinned by the lock' }`
    : Object.entries(suppressions).filter(([, reason]) => typeof reason !== 'string')
      .map(([rule, reason]) => `'suppressions[${JSON.stringify(rule)}]' (${shown(reason)}) must be the reason, a string`)[0];
  return text('file', 'the path of the file it was read from') ?? count('documentIndex', 0, 'its index in the file')
    ?? count('line', 1, 'the line it starts at') ?? text('constructPath', 'the construct path of its ApiObject')
    ?? text('parseError', 'why it could not be parsed') ?? reasons;
}

/**
 * Throws unless `manifest` (when an object: anything else is the engine's invalid-manifest finding) is JSON data,
 * naming the document as `where` says ("document 0", "ApiObject c/web"), the value's path, what it is and the fix.
 */
export function checkJsonData(manifest: unknown, where: string): void {
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) return;
  const found = nonJsonValue(manifest);
  if (!found) return;
  const m = manifest as { kind?: unknown; metadata?: { name?: unknown } };
  const named = typeof m.kind === 'string' && typeof m.metadata?.name === 'string' ? ` (${m.kind} ${m.metadata.name})` : '';
  throw new Error(`${where}${named} is not JSON data, as Kubernetes reads it: ${found.path === '' ? 'the document' : found.path} is ${found.what}. `
    + found.fix);
}

/** The first value of `manifest` (an object) that is not JSON data, in document order; undefined when all are. */
function nonJsonValue(manifest: object): NonJsonValue | undefined {
  // Nearly every manifest is data: the quick look says so at a fraction of the cost of the walk below.
  try {
    if (isData(manifest, 0)) return undefined;
  } catch {
    // A getter that throws: the walk below passes over what cannot be read, which the rules meet as they do.
  }
  return locate(manifest);
}

/**
 * Whether `value` (an object or a list) holds only JSON data, to QUICK_DEPTH. An object's keys are had by `for...in`, which V8
 * reads from the object's map without allocating a list of them (Object.keys did, and its keyed reads went the slow way).
 * `for...in` also yields enumerable keys a plain object inherits (Object.prototype's, if a script added some): such a key can
 * only make the look say "not data", and the walk below, which reads own keys alone, decides.
 */
function isData(value: any, depth: number): boolean {
  if (depth > QUICK_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v === undefined || !isDataValue(v, depth)) return false;
    }
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== null && proto !== Object.prototype && Object.getPrototypeOf(proto) !== null) return false;
  for (const key in value) {
    const v = value[key];
    if (v !== undefined && !isDataValue(v, depth)) return false;
  }
  return true;
}

/**
 * Whether `v`, a value (not undefined) held at `depth`, is JSON data (what is below it to QUICK_DEPTH). Each `typeof` is
 * compared with a literal, which V8 tests in place: a `switch` on `typeof v` calls its Typeof builtin for every value.
 */
function isDataValue(v: unknown, depth: number): boolean {
  if (typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v === 'object') return v === null || isData(v, depth + 1);
  return false;
}

/** The walk that finds where `manifest` is not data and says why (the first such value, in document order). */
function locate(manifest: object): NonJsonValue | undefined {
  const rootProblem = problemOf(manifest, false);
  if (rootProblem) return { path: '', ...rootProblem };
  // An explicit stack, not recursion: a deep object from a JavaScript caller must not overflow the call stack.
  const frames: Frame[] = [frameOf(manifest)];
  const ancestors = new Set<object>([manifest]);
  while (frames.length > 0) {
    const frame = frames[frames.length - 1];
    if (frame.at >= frame.length) {
      ancestors.delete(frame.value);
      frames.pop();
      if (frames.length > 0) frames[frames.length - 1].at++;
      continue;
    }
    let value: unknown;
    try {
      value = frame.value[frame.keys ? frame.keys[frame.at] : frame.at];
    } catch {
      frame.at++;
      continue;
    }
    const problem = problemOf(value, frame.keys === undefined);
    if (problem) return { path: pathOf(frames), ...problem };
    if (value === null || typeof value !== 'object') {
      frame.at++;
      continue;
    }
    if (ancestors.has(value)) {
      const depth = frames.findIndex(f => f.value === value);
      const where = depth === 0 ? 'the document itself' : `the object at ${pathOf(frames.slice(0, depth))}`;
      return { path: pathOf(frames), what: `${where} again (a cycle)`, fix: 'Give a copy of the value, not an object that holds it.' };
    }
    if (frames.length >= MAX_DEPTH) {
      const what = `nested deeper than ${MAX_DEPTH} levels, which Kubernetes' JSON decoding refuses`;
      return { path: pathOf(frames), what, fix: 'Nest less deep.' };
    }
    let next: Frame;
    try {
      next = frameOf(value);
    } catch {
      frame.at++; // an object whose keys cannot be listed (a Proxy that throws): passed over, as a getter that throws
      continue;
    }
    ancestors.add(value);
    frames.push(next);
  }
  return undefined;
}

function frameOf(value: any): Frame {
  if (Array.isArray(value)) return { value, keys: undefined, length: value.length, at: 0 };
  const keys = Object.keys(value);
  return { value, keys, length: keys.length, at: 0 };
}

/** Why `value` is not JSON data, looked at alone; undefined for a string, finite number, boolean, null, list or plain object. */
function problemOf(value: unknown, inList: boolean): Omit<NonJsonValue, 'path'> | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { what: `${value}, which JSON has no number for`, fix: 'Give a finite number.' };
    case 'bigint':
      return { what: `a bigint (${value}), which every check would read as no number`, fix: `Give a number: ${value}, not ${value}n (Number(x)).` };
    case 'undefined':
      // An object's undefined field is left out, as JSON and cdk8s leave it out; a list has no hole to leave.
      return inList ? { what: 'undefined, a list item with no value', fix: 'Give the item a value, or leave it out of the list.' } : undefined;
    case 'object': {
      if (value === null || Array.isArray(value)) return undefined;
      const proto = Object.getPrototypeOf(value);
      // A plain object of any realm: its prototype is null or has none above it (Object.prototype).
      if (proto === null || Object.getPrototypeOf(proto) === null) return undefined;
      const fix = 'Give its JSON form (a string, number, list or plain object).';
      return { what: `a ${proto.constructor?.name ?? 'class'} object, not JSON data`, fix };
    }
    default:
      return { what: `a ${typeof value}`, fix: 'Give the value itself: a string, number, boolean, list or object.' };
  }
}

/** The JSON path of the value each frame is at. */
function pathOf(frames: readonly Frame[]): string {
  let path = '';
  for (const f of frames) {
    if (!f.keys) path += `[${f.at}]`;
    else {
      const key = f.keys[f.at];
      path += /^[A-Za-z_$][\w$-]*$/.test(key) ? `${path === '' ? '' : '.'}${key}` : `[${JSON.stringify(key)}]`;
    }
  }
  return path;
}
