// Go's time.Parse with the two layouts Kubernetes' times decode with: metav1.Time's UnmarshalJSON parses
// time.RFC3339 ("2006-01-02T15:04:05Z07:00") and metav1.MicroTime's RFC3339Micro ("2006-01-02T15:04:05.000000Z07:00").
// time.Parse is more lenient than RFC 3339 in places and stricter in others, and the API server takes what it takes:
// a one-digit hour ("T9:00:00Z"), a comma before the fraction and a zone offset up to 24:60 are read; a lower-case
// "t" or "z", a space for "T", a leap second, February 30 or a date alone are not. Under RFC3339 a fraction of any
// length may follow the seconds; under RFC3339Micro exactly six characters must, as Go's atoi reads them (a sign then
// digits), and nothing else.

/** Whether `text` is a time Go's time.Parse reads with layout time.RFC3339, or (`micro`) with metav1.RFC3339Micro. */
export function isGoRfc3339Time(text: string, micro: boolean): boolean {
  // 2006: four characters, the first a digit, read by atoi (so all digits).
  if (!digits(text, 0, 4) || text[4] !== '-') return false;
  const year = Number(text.slice(0, 4));
  // 01 and 02: two digits each (fixed); the day is checked against the month once parsed.
  if (!digits(text, 5, 2) || text[7] !== '-' || !digits(text, 8, 2) || text[10] !== 'T') return false;
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  // 15: one or two digits.
  let i = 11;
  const hourDigits = digits(text, i, 2) ? 2 : digits(text, i, 1) ? 1 : 0;
  if (hourDigits === 0) return false;
  const hour = Number(text.slice(i, i + hourDigits));
  i += hourDigits;
  // :04:05, two digits each.
  if (text[i] !== ':' || !digits(text, i + 1, 2) || text[i + 3] !== ':' || !digits(text, i + 4, 2)) return false;
  const minute = Number(text.slice(i + 1, i + 3));
  const second = Number(text.slice(i + 4, i + 6));
  i += 6;
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return false;
  if (micro) {
    // .000000: a period or comma, then six characters atoi reads (an optional sign, digits), not negative.
    if (text.length < i + 7 || !isFractionMark(text[i]) || !/^[+-]?\d*$/.test(text.slice(i + 1, i + 7))) return false;
    if (text[i + 1] === '-' && /[1-9]/.test(text.slice(i + 2, i + 7))) return false;
    i += 7;
  } else if (isFractionMark(text[i]) && digits(text, i + 1, 1)) {
    // A fraction the layout does not have: Go reads every digit that follows.
    i += 2;
    while (digits(text, i, 1)) i++;
  }
  // Z07:00: "Z", or a sign, two digits, ":" and two digits (hours to 24, minutes to 60, as Go allows).
  if (text[i] === 'Z') {
    i += 1;
  } else {
    if ((text[i] !== '+' && text[i] !== '-') || !digits(text, i + 1, 2) || text[i + 3] !== ':' || !digits(text, i + 4, 2)) return false;
    if (Number(text.slice(i + 1, i + 3)) > 24 || Number(text.slice(i + 4, i + 6)) > 60) return false;
    i += 6;
  }
  return i === text.length && day >= 1 && day <= daysIn(month, year);
}

/** Whether `text` has `count` ASCII digits from `at`. */
function digits(text: string, at: number, count: number): boolean {
  if (at + count > text.length) return false;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isFractionMark(c: string | undefined): boolean {
  return c === '.' || c === ',';
}

/** The days of `month` in `year` of the proleptic Gregorian calendar Go's time uses (year 0 is a leap year). */
function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
