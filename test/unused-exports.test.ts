// The unused-export check of `npm run lint` (scripts/unused-exports.ts), on a small project of its own.
import * as fs from 'fs';
import * as path from 'path';
import { unusedExports } from '../scripts/unused-exports';

const PROJECT = path.join(__dirname, 'fixtures', 'unused-exports');
const LIB = path.join(PROJECT, 'lib');

test('an export neither public nor imported is reported; public, imported, required and shape-naming ones are not', () => {
  const linted = fs.readdirSync(LIB).map(f => path.join(LIB, f));
  expect(unusedExports(PROJECT, linted)).toEqual([
    'lib/shapes.ts:5 LOCAL_ONLY',
    'lib/shapes.ts:6 unused',
    'lib/shapes.ts:12 Unnamed',
  ]);
});

test('only the files given are checked (those eslint ignores are left out)', () => {
  expect(unusedExports(PROJECT, [path.join(LIB, 'helpers.ts'), path.join(LIB, 'reader.ts')])).toEqual([]);
});
