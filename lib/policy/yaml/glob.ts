// Go's path/filepath Glob and Match (on Unix), which kubectl applies to a -f path that does not exist
// (cli-runtime's expandIfFilePattern): `kubectl apply -f 'dist/*.yaml'` reads what the pattern matches
// when no shell expanded it. '*' is any run of characters but '/', '?' one such character, '[...]' a
// class (ranges a-z, '^' negates, never empty), '\' makes the next character plain; unlike a shell's,
// '*' matches a leading dot too. Matches are listed directory by directory, each in byte order.
import * as fs from 'fs';
import * as path from 'path';

/** A pattern filepath.Match refuses (filepath.ErrBadPattern: "syntax error in pattern"). */
export class BadPatternError extends Error {
  constructor(pattern: string) {
    super(`pattern "${pattern}" is not valid: syntax error in pattern`);
    this.name = 'BadPatternError';
  }
}

/** Whether `text` holds a character Match reads as a pattern (Go's hasMeta on Unix). */
export function hasMeta(text: string): boolean {
  return /[*?[\\]/.test(text);
}

/** A RegExp source for one class, from `pattern[at]` (just past "["); the index past its "]". Throws on a bad class. */
function classSource(pattern: string, at: number, whole: string): [string, number] {
  let i = at;
  let source = '[';
  if (pattern[i] === '^') {
    source += '^';
    i++;
  }
  // One character of a class, as a code point: plain, or escaped with "\"; "-" and "]" are refused where one is due.
  const char = (): number => {
    if (pattern[i] === undefined || pattern[i] === '-' || pattern[i] === ']') throw new BadPatternError(whole);
    if (pattern[i] === '\\' && ++i >= pattern.length) throw new BadPatternError(whole);
    const code = pattern.codePointAt(i)!;
    i += code > 0xFFFF ? 2 : 1;
    return code;
  };
  const literal = (code: number) => `\\u{${code.toString(16)}}`;
  let ranges = 0;
  for (;;) {
    if (pattern[i] === ']' && ranges > 0) return [`${source}]`, i + 1];
    const lo = char();
    let hi = lo;
    if (pattern[i] === '-') {
      i++;
      hi = char();
    }
    // A range from a higher character to a lower one matches nothing, as in Go (a RegExp would refuse it).
    if (lo <= hi) source += lo === hi ? literal(lo) : `${literal(lo)}-${literal(hi)}`;
    ranges++;
  }
}

/** A RegExp for a Go pattern matching one whole name (no "/" in it); throws BadPatternError as filepath.Match refuses it. */
function matcher(pattern: string, whole: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i];
    if (c === '*') {
      source += '[^/]*';
      i++;
    } else if (c === '?') {
      source += '[^/]';
      i++;
    } else if (c === '[') {
      const [klass, next] = classSource(pattern, i + 1, whole);
      source += klass;
      i = next;
    } else {
      let plain = c;
      if (c === '\\') {
        if (i + 1 >= pattern.length) throw new BadPatternError(whole);
        plain = pattern[++i];
      }
      source += plain.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      i++;
    }
  }
  return new RegExp(`^${source}$`, 'u');
}

/** Go's sort.Strings, which orders names in filepath.Walk and Glob: by their bytes (UTF-8), where JavaScript compares UTF-16 code units. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** The names in `dir` that match `pattern`, joined to it; none when `dir` is no directory that can be listed (Glob ignores I/O errors). */
function matchesIn(dir: string, pattern: string, whole: string): string[] {
  const match = matcher(pattern, whole);
  let names: string[];
  try {
    if (!fs.statSync(dir).isDirectory()) return [];
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names.sort(byteOrder).filter(name => match.test(name)).map(name => path.join(dir, name));
}

/** Every file name `pattern` matches (filepath.Glob), in Glob's order; throws BadPatternError for a pattern Match refuses. */
export function glob(pattern: string, whole = pattern): string[] {
  // Every part of the pattern is checked first, as filepath.Match(pattern, "") checks it.
  for (const part of pattern.split('/')) matcher(part, whole);
  if (!hasMeta(pattern)) {
    try {
      fs.lstatSync(pattern);
      return [pattern];
    } catch {
      return [];
    }
  }
  const slash = pattern.lastIndexOf('/');
  const file = pattern.slice(slash + 1);
  const dir = slash < 0 ? '.' : slash === 0 ? '/' : pattern.slice(0, slash);
  if (!hasMeta(dir)) return matchesIn(dir, file, whole);
  if (dir === pattern) throw new BadPatternError(whole);
  return glob(dir, whole).flatMap(d => matchesIn(d, file, whole));
}
