// The times the API server decodes: metav1.Time's UnmarshalJSON reads a string with Go's time.Parse and layout RFC3339,
// metav1.MicroTime's with RFC3339Micro ("2006-01-02T15:04:05.000000Z07:00"). These rows are time.Parse's behaviour (Go's
// src/time/format.go: the layout's chunks, getnum's fixed and one-or-two-digit numbers, the fraction after seconds, the zone
// offset's range, the day checked against the month), leniencies included.
import { isGoRfc3339Time } from '../../lib/vocab/go-time';

const RFC3339: Array<[string, boolean]> = [
  ['2024-05-01T10:00:00Z', true],
  ['2024-05-01T1:00:00Z', true], // stdHour takes one or two digits
  ['2024-05-01T10:00:00.123456789123Z', true], // a fraction the layout lacks: every digit is read
  ['2024-05-01T10:00:00,5Z', true],
  ['2024-05-01T10:00:00+24:00', true], // offsets are range-checked with >, not >=
  ['2024-05-01T10:00:00-00:60', true],
  ['2024-02-29T00:00:00Z', true],
  ['2000-02-29T00:00:00Z', true],
  ['0000-02-29T00:00:00Z', true],
  ['2023-02-29T00:00:00Z', false],
  ['1900-02-29T00:00:00Z', false],
  ['2024-04-31T00:00:00Z', false],
  ['2024-05-01T10:00:00', false],
  ['2024-05-01', false],
  ['2024-05-01 10:00:00Z', false],
  ['2024-05-01t10:00:00Z', false],
  ['2024-05-01T10:00:00z', false],
  ['2024-5-01T10:00:00Z', false],
  ['2024-05-01T24:00:00Z', false],
  ['2024-05-01T10:60:00Z', false],
  ['2024-05-01T10:00:60Z', false],
  ['2024-05-01T10:0:00Z', false],
  ['2024-05-01T10:00:00+25:00', false],
  ['2024-05-01T10:00:00+0100', false],
  ['2024-05-01T10:00:00+01', false],
  ['2024-05-01T10:00:00.Z', false],
  ['2024-05-01T100:00:00Z', false],
  ['+2024-05-01T10:00:00Z', false],
  ['12024-05-01T10:00:00Z', false],
  ['2024-05-01T10:00:00Z ', false],
  ['2024-00-01T10:00:00Z', false],
  ['2024-05-00T10:00:00Z', false],
  ['', false],
];

const RFC3339_MICRO: Array<[string, boolean]> = [
  ['2024-05-01T10:00:00.000000Z', true],
  ['2024-05-01T10:00:00,123456+02:00', true],
  ['2024-05-01T9:00:00.123456Z', true],
  ['2024-05-01T10:00:00.+12345Z', true], // the six characters are read by atoi: a sign, then digits
  ['2024-05-01T10:00:00.-00000Z', true], // negative zero is no negative fraction
  ['2024-05-01T10:00:00.-12345Z', false],
  ['2024-05-01T10:00:00Z', false],
  ['2024-05-01T10:00:00.123Z', false],
  ['2024-05-01T10:00:00.1234567Z', false],
  ['2024-05-01T10:00:00.12345aZ', false],
  ['2024-02-30T10:00:00.000000Z', false],
];

test.each(RFC3339)('RFC3339 %j: %s', (text, read) => {
  expect(isGoRfc3339Time(text, false)).toBe(read);
});

test.each(RFC3339_MICRO)('RFC3339Micro %j: %s', (text, read) => {
  expect(isGoRfc3339Time(text, true)).toBe(read);
});
