// Kubernetes resource quantities ("250m", "0.5", "128Mi", "1e3", "2G"), read as the API server reads
// them: Quantity.UnmarshalJSON (k8s.io/apimachinery/pkg/api/resource) takes the string's JSON text,
// trims it with strings.TrimSpace and calls ParseQuantity. Values are compared as numbers in base units
// (cores, bytes), worked out exactly first (digits and a power of ten), as ParseQuantity keeps them:
// - the number is [+-] digits [. digits], where any part may be empty ("+", ".", "-." are 0);
// - the suffix is a binary one (Ki..Ei), a decimal one (n, u, m, "", k, M, G, T, P, E), or e/E and an
//   int64 that is then cut to an int32 ("5e-4294967296" is 5e0; "1e9223372036854775808" is invalid);
// - a non-zero amount is rounded up (away from 0) to whole nanos ("1e-400" is 1n, never 0);
// - a binary amount is capped at 2^63-1; a decimal one is not ("1e400" is 10^400);
// - where ParseQuantity's slow path reads the number with inf.Dec, a number without digits fails
//   (".e-10", ".Pi"; "." alone is 0).
// The number returned is the double nearest that exact value, or the largest double past it: never NaN
// or Infinity.

import { goTrimSpace, isGoSpace } from './go-strings';

/** An exact amount: (negative) digits x 10^exponent, digits without leading or trailing zeros ("" for 0). */
interface Exact {
  readonly negative: boolean;
  readonly digits: string;
  readonly exponent: number;
}

const ZERO: Exact = { negative: false, digits: '', exponent: 0 };

const DECIMAL_SUFFIX: { readonly [suffix: string]: number } = { 'n': -9, 'u': -6, 'm': -3, '': 0, 'k': 3, 'M': 6, 'G': 9, 'T': 12, 'P': 15, 'E': 18 };
const BINARY_SUFFIX: { readonly [suffix: string]: number } = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

// What a suffix may be made of before ParseQuantity interprets it: letters of these, a sign, digits.
const SUFFIX = /^[eEinumkKMGTP]*[+-]?[0-9]*$/;
const INT64 = /^[+-]?[0-9]+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
// The largest binary amount, in nanos (2^63-1 units).
const BINARY_CAP_NANOS = INT64_MAX * 10n ** 9n;

/**
 * Whether Quantity.UnmarshalJSON trims the character: Go's unicode.IsSpace, less those encoding/json writes
 * escaped (tab, line feed, vertical tab, form feed, carriage return, U+2028, U+2029), which then start with a
 * backslash in the JSON text and so are not trimmed.
 */
function isTrimmedInJson(c: number): boolean {
  return c === 0x20 || (c > 0x7f && c !== 0x2028 && c !== 0x2029 && isGoSpace(c));
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `digits` x 10^`exponent` with the leading and trailing zeros of `digits` taken off (the exponent made up). */
function exact(negative: boolean, digits: string, exponent: number): Exact {
  let start = 0;
  let end = digits.length;
  while (start < end && digits.charCodeAt(start) === 48) start++;
  while (end > start && digits.charCodeAt(end - 1) === 48) end--;
  if (start === end) return ZERO;
  return { negative, digits: digits.slice(start, end), exponent: exponent + digits.length - end };
}

/** `digits` (decimal) plus one in its last place. */
function incremented(digits: string): string {
  let i = digits.length - 1;
  while (i >= 0 && digits[i] === '9') i--;
  if (i < 0) return `1${'0'.repeat(digits.length)}`;
  return digits.slice(0, i) + String.fromCharCode(digits.charCodeAt(i) + 1) + '0'.repeat(digits.length - 1 - i);
}

/** A decimal amount rounded up (away from 0) to whole nanos, as ParseQuantity rounds. */
function roundedToNanos(x: Exact): Exact {
  if (x.digits === '' || x.exponent >= -9) return x;
  const dropped = -9 - x.exponent;
  // Digits carry no trailing zeros, so whatever is dropped is more than nothing: round up.
  if (dropped >= x.digits.length) return { negative: x.negative, digits: '1', exponent: -9 };
  return exact(x.negative, incremented(x.digits.slice(0, x.digits.length - dropped)), -9);
}

/**
 * `digits` x 10^`exponent` x 2^`power` (power 10 to 60), rounded up to whole nanos and capped at 2^63-1, with
 * BigInt kept to about 100 digits whatever the input: where more than 64 decimals lie past the nanos, only
 * whether any is non-zero can change the rounded result (the fraction of H x 2^power / 10^64 is a multiple of
 * 2^power / 10^64, more than what the rest adds), and the digits left are non-zero, having no trailing zeros.
 */
function binaryAmount(negative: boolean, digits: string, exponent: number, power: number): Exact {
  const x = exact(negative, digits, exponent);
  if (x.digits === '') return ZERO;
  // 10^19 x 2^10 is past the cap already.
  if (x.digits.length + x.exponent > 19) return exact(negative, BINARY_CAP_NANOS.toString(), -9);
  const scaled = 2n ** BigInt(power);
  let nanos: bigint;
  if (x.exponent >= -9) {
    nanos = BigInt(x.digits) * scaled * 10n ** BigInt(x.exponent + 9);
  } else {
    const past = -9 - x.exponent;
    const cut = Math.max(0, past - 64);
    const kept = x.digits.slice(0, Math.max(0, x.digits.length - cut));
    const divisor = 10n ** BigInt(past - cut);
    const product = BigInt(kept || '0') * scaled;
    nanos = cut > 0 ? product / divisor + 1n : (product + divisor - 1n) / divisor;
  }
  if (nanos > BINARY_CAP_NANOS) nanos = BINARY_CAP_NANOS;
  return exact(negative, nanos.toString(), -9);
}

/** Go's int32(x) of an int64. */
function int32(x: number): number {
  return x | 0;
}

/** What ParseQuantity makes of `text` (already trimmed), exactly; undefined where it returns an error. */
function parsedExactly(text: string): Exact | undefined {
  const end = text.length;
  if (end === 0) return undefined;
  let pos = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 45) {
    negative = true;
    pos++;
  } else if (first === 43) {
    pos++;
  }
  const zeros = pos;
  while (pos < end && text.charCodeAt(pos) === 48) pos++;
  // Nothing but zeros after the sign (or nothing at all): 0, whatever the sign.
  if (pos >= end) return ZERO;
  const hadZeros = pos > zeros;
  const numStart = pos;
  while (pos < end && isDigit(text.charCodeAt(pos))) pos++;
  const num = text.slice(numStart, pos);
  let denom = '';
  if (pos < end && text.charCodeAt(pos) === 46) {
    const denomStart = ++pos;
    while (pos < end && isDigit(text.charCodeAt(pos))) pos++;
    denom = text.slice(denomStart, pos);
  }
  const suffix = text.slice(pos);
  if (!SUFFIX.test(suffix)) return undefined;
  const hasDigits = hadZeros || num !== '' || denom !== '';
  // ParseQuantity's num: the digits after the leading zeros, "0" when none.
  const numLength = num === '' ? 1 : num.length;
  const power = BINARY_SUFFIX[suffix];
  if (power !== undefined) {
    // The slow path (inf.Dec, which needs a digit) unless int64 holds it, as ParseQuantity's precision estimate says.
    const slow = denom !== '' || 15 - numLength - Math.trunc(power * 3 / 10) - 1 < 0;
    if (slow && !hasDigits) return undefined;
    return binaryAmount(negative, num + denom, -denom.length, power);
  }
  let exponent = DECIMAL_SUFFIX[suffix];
  if (exponent === undefined) {
    if (suffix.length < 2 || (suffix[0] !== 'e' && suffix[0] !== 'E') || !INT64.test(suffix.slice(1))) return undefined;
    const parsed = BigInt(suffix.slice(1));
    if (parsed < INT64_MIN || parsed > INT64_MAX) return undefined;
    exponent = Number(BigInt.asIntN(32, parsed));
  }
  // The int64 path's scale, in int32 arithmetic; the inf.Dec path reads -2^31 (its own scale) as 10^(2^31).
  let scale = int32(exponent - denom.length);
  const slow = 18 - (numLength + denom.length) < 0 || scale < -9;
  if (slow && !hasDigits) return undefined;
  if (scale === -(2 ** 31)) scale = 2 ** 31;
  return roundedToNanos(exact(negative, num + denom, scale));
}

/** The double nearest `x`, or the largest double where `x` is past it. */
function approximately(x: Exact): number {
  if (x.digits === '') return 0;
  // 40 digits and a sticky one for whatever follows are enough for the nearest double.
  const sticky = x.digits.length > 40 && /[1-9]/.test(x.digits.slice(40));
  const head = x.digits.slice(0, 40) + (sticky ? '1' : '');
  const value = Number(`${head}e${x.exponent + x.digits.length - head.length}`);
  const finite = Number.isFinite(value) ? value : Number.MAX_VALUE;
  return x.negative ? -finite : finite;
}

function parsed(quantity: string): number | undefined {
  const x = parsedExactly(goTrimSpace(quantity, isTrimmedInJson));
  return x === undefined ? undefined : approximately(x);
}

// Parsed quantities, shared by the whole process: manifests repeat a few dozen amounts ("500m",
// "256Mi") across thousands of containers, and the rules read each several times. Bounded: amounts
// of up to 32 characters, emptied when it reaches the limit.
const PARSED = new Map<string, number | undefined>();
const PARSED_LIMIT = 10_000;

/** The value of a quantity in base units (a finite number), or undefined when it is not a valid quantity. */
export function parseQuantity(quantity: string): number | undefined {
  if (typeof quantity !== 'string') return undefined;
  if (quantity.length > 32) return parsed(quantity);
  let value = PARSED.get(quantity);
  if (value === undefined && !PARSED.has(quantity)) {
    if (PARSED.size >= PARSED_LIMIT) PARSED.clear();
    PARSED.set(quantity, value = parsed(quantity));
  }
  return value;
}

/**
 * Why a container's resource request or limit bounds nothing, or undefined when it bounds the
 * resource: 'unset'; 'invalid' (not a quantity, or negative: the API server refuses it); 'zero'
 * (Kubernetes takes a limit of 0 as no limit, and a request of 0 reserves nothing). A JSON
 * number is a quantity too (`cpu: 1`).
 */
export function unboundedAmount(value: unknown): 'unset' | 'invalid' | 'zero' | undefined {
  if (value === undefined || value === null || value === '') return 'unset';
  const amount = typeof value === 'number' ? (Number.isFinite(value) ? value : undefined) : parseQuantity(value as string);
  if (amount === undefined || amount < 0) return 'invalid';
  return amount === 0 ? 'zero' : undefined;
}

/** What a zero amount means to Kubernetes, for messages: "no limit" or "no request". */
export function zeroMeaning(section: 'requests' | 'limits'): string {
  return section === 'limits' ? 'no limit' : 'a request of nothing';
}
