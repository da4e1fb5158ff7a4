// The texts of a finding (its message, path and fix) live as long as its report, and a report may hold a million
// findings. Built by concatenation, a string is in V8 a tree of its pieces: `${file} document ${i}: ${problem}`, with a
// problem's own message and fix built the same way, is a few dozen nodes of 32 bytes and the pieces they point at,
// ~700 bytes a finding kept beside the ~130 of the same text in one piece. So what a finding keeps is flat, and what
// findings repeat (the path and the fix of the same problem in each of a million documents) is kept once.

/** How many distinct texts `sharedText` keeps one copy of, at most; then it starts again. */
const SHARED_TEXTS = 1000;
/** The longest text `sharedText` keeps a copy of (a path through a long key is only flattened). */
const SHARED_CHARS = 1024;

const shared = new Map<string, string>();
/** Matching flattens the subject (V8 runs a regular expression on a string in one piece, and makes it one in place). */
const ANYTHING = /(?:)/;

/** `text`, in one piece. */
export function flatText(text: string): string {
  ANYTHING.test(text);
  return text;
}

/** `text` in one piece, and one string for equal texts among the last SHARED_TEXTS (of up to SHARED_CHARS characters) asked. */
export function sharedText(text: string): string {
  if (text.length > SHARED_CHARS) return flatText(text);
  let kept = shared.get(text);
  if (kept === undefined) {
    if (shared.size >= SHARED_TEXTS) shared.clear();
    kept = flatText(text);
    shared.set(kept, kept);
  }
  return kept;
}
