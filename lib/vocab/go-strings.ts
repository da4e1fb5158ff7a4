// Go's reading of white space, where a Kubernetes component trims a string with strings.TrimSpace: its set is
// unicode.IsSpace, which is not JavaScript's String.prototype.trim. Go trims U+0085 (NEL), which JavaScript
// keeps; JavaScript trims U+FEFF (the byte order mark), which Go keeps.

/** Whether Go's unicode.IsSpace holds for the UTF-16 code unit `c` (every such character is one unit). */
export function isGoSpace(c: number): boolean {
  return (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)
    || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** `text` without the leading and trailing characters `trims` holds for (by default Go's strings.TrimSpace). */
export function goTrimSpace(text: string, trims: (c: number) => boolean = isGoSpace): string {
  let start = 0;
  let end = text.length;
  while (start < end && trims(text.charCodeAt(start))) start++;
  while (end > start && trims(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}
