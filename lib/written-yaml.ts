// What kubectl reads of the YAML cdk8s writes. cdk8s writes manifests with its Yaml.stringify (the `yaml`
// package, YAML 1.1 schema) and kubectl reads them with go-yaml v2 (sigs.k8s.io/yaml), and the two do not
// agree on every string: the writer leaves "0o17", "0X1F", "+_1" or "1e3_1" plain, which go-yaml reads as
// numbers (15, 31, 1, 1e31); it writes DEL, the C1 controls, U+2028, U+FFFE raw, which go-yaml refuses
// ("control characters are not allowed"), and NEL raw, which go-yaml reads as a space. A key is written
// the same way ("0o17" is applied as the key "15"). Such a manifest is not what was checked, so the
// construct front doors (through scopeCheck) refuse the object, naming the field, the string, what
// kubectl reads, and the fix; the CLI and the plugin read the written files and so see it already.
//
// Which strings are affected is decided by the writer and the reader themselves, not by a copy of their
// rules: a string is a candidate only if the reader (the engine's go-yaml port) would read it, written
// plain, as something other than itself, or if it holds a character other than printable ASCII; for a
// candidate (a few in a synth: "1", "0.5", text with line breaks), cdk8s's Yaml.stringify writes that one
// scalar (as a value and as a key) and the port reads it back. Verdicts are kept per string, and so are the strings read as
// written (within bounds).
import { Yaml } from 'cdk8s';
import { plainReadsAsString, readYamlStream } from './policy';

/** A string kubectl does not read as written: where it is, and what kubectl makes of it. */
interface Misreading {
  /** JSON path of the field (for a key, of the field it names). */
  readonly path: string;
  readonly value: string;
  readonly key: boolean;
  /** What kubectl reads ("the number 15"), or why it refuses the file. */
  readonly reading: string;
  readonly fix: string;
}

/** The characters go-yaml may refuse or read as others; every other character is printable ASCII. */
const UNUSUAL_CHARACTER = /[^\x20-\x7e]/;
/** The most problems named in one object's message. */
const MOST_NAMED = 3;
/** Bounds of the verdicts kept: strings, and their characters together. */
const MOST_KEPT = 10_000;
const MOST_KEPT_CHARS = 4_000_000;

interface Verdict {
  readonly reading: string;
  readonly fix: string;
}
const OK: Verdict = { reading: '', fix: '' };
/**
 * The strings of printable ASCII that the reader reads, written plain, as themselves (as a key or a value alike), kept: most
 * strings of a synth are met again and again (every key, the labels, the images), and one lookup answers for them (half the
 * cost of the check at 10,000 objects).
 */
const plain = new Set<string>();
/** The verdicts of the candidates, as values and as keys. */
const kept = [new Map<string, Verdict>(), new Map<string, Verdict>()];
let keptChars = 0;

/** Makes room for `value` in the strings kept (all are let go where the bounds would be passed). */
function keeping(value: string): void {
  if (plain.size + kept[0].size + kept[1].size >= MOST_KEPT || keptChars + value.length > MOST_KEPT_CHARS) {
    plain.clear();
    for (const m of kept) m.clear();
    keptChars = 0;
  }
  keptChars += value.length;
}

/** What kubectl reads of `value` (a key when `key`) as cdk8s writes it; OK when it reads the same string. */
function verdictOf(value: string, key: boolean): Verdict {
  if (plain.has(value)) return OK;
  if (!UNUSUAL_CHARACTER.test(value) && plainReadsAsString(value)) {
    keeping(value);
    plain.add(value);
    return OK;
  }
  const memo = kept[key ? 1 : 0];
  let verdict = memo.get(value);
  if (verdict === undefined) {
    verdict = readBack(value, key);
    keeping(value);
    memo.set(value, verdict);
  }
  return verdict;
}

/** Writes `value` as cdk8s does (as the value of a key, or as a key) and reads it as kubectl does. */
function readBack(value: string, key: boolean): Verdict {
  // A key is written after another, as in a manifest: at the start of a file a U+FEFF is a byte order mark.
  const [read] = readYamlStream(Yaml.stringify(key ? { k: '', [value]: '' } : { k: value }));
  const unusual = [...value].filter(c => UNUSUAL_CHARACTER.test(c) && c !== '\n' && c !== '\t')
    .map(c => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
  const characterFix = unusual.length > 0
    ? `remove the character${unusual.length > 1 ? 's' : ''} ${[...new Set(unusual)].join(', ')}: YAML as kubectl reads it cannot carry `
      + `${unusual.length > 1 ? 'them' : 'it'} as written`
    : undefined;
  if (read === undefined || read.error !== undefined) {
    return { reading: `kubectl refuses the file (${read?.error ?? 'no document'})`, fix: characterFix ?? 'change the string' };
  }
  const object = read.value as { [k: string]: unknown } | null;
  const keys = object !== null && typeof object === 'object' ? Object.keys(object) : [];
  if (key) {
    // (An object lists integer keys first.)
    const other = keys.length === 2 ? keys.find(k => k !== 'k') : undefined;
    if (other === value) return OK;
    return { reading: `kubectl reads the key ${other === undefined ? 'differently' : JSON.stringify(other)}`, fix: characterFix ?? NUMBER_FIX };
  }
  const got = keys.length === 1 && keys[0] === 'k' ? object!.k : undefined;
  if (got === value) return OK;
  return { reading: `kubectl reads ${described(got)}`, fix: characterFix ?? NUMBER_FIX };
}

const NUMBER_FIX = "cdk8s writes it unquoted: use one kubectl's YAML does not read as a number, bool, null or date "
  + '(for example, begin it with a letter)';

function described(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `the ${typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : typeof value} ${JSON.stringify(value)}`;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** The JSON path of the segments (keys and indexes). */
const fieldPath = (segments: ReadonlyArray<string | number>) => segments.map((s, i) => typeof s === 'number' ? `[${s}]`
  : IDENTIFIER.test(s) ? `${i > 0 ? '.' : ''}${s}` : `[${JSON.stringify(s)}]`).join('');

/** Every string of `manifest` (values and keys) that kubectl does not read as cdk8s writes it, in document order. */
function misreadings(manifest: unknown): Misreading[] {
  const found: Misreading[] = [];
  // The path is built only for a string found: a synth holds ~10^5 strings.
  const at: Array<string | number> = [];
  const visit = (node: unknown): void => {
    if (typeof node === 'string') {
      const v = verdictOf(node, false);
      if (v !== OK) found.push({ path: fieldPath(at), value: node, key: false, ...v });
    } else if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        at.push(i);
        visit(node[i]);
        at.pop();
      }
    } else if (node !== null && typeof node === 'object') {
      // for...in reads the keys from the object's map without allocating a list (checkJsonData says the manifest is plain data).
      for (const k in node) {
        at.push(k);
        const v = verdictOf(k, true);
        if (v !== OK) found.push({ path: fieldPath(at), value: k, key: true, ...v });
        visit((node as any)[k]);
        at.pop();
      }
    }
  };
  visit(manifest);
  return found;
}

/**
 * Why the YAML cdk8s writes of `manifest` is not what kubectl reads (undefined when it is): the first
 * problems, each naming the field, the string, what kubectl reads and the fix.
 */
export function writtenYamlProblem(manifest: unknown): string | undefined {
  const found = misreadings(manifest);
  if (found.length === 0) return undefined;
  const named = found.slice(0, MOST_NAMED).map(m => `${m.path}: cdk8s writes the ${m.key ? 'key' : 'string'} ${JSON.stringify(m.value)} `
    + `so that ${m.reading}; ${m.fix}`);
  const more = found.length > MOST_NAMED ? `; and ${found.length - MOST_NAMED} more such string(s)` : '';
  return `the YAML cdk8s writes is not what was checked: ${named.join('; ')}${more}`;
}
