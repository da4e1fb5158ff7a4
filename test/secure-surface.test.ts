// The four Secure* workloads' shared members come from one source, scripts/secure-surface.ts.
import * as fs from 'fs';
import * as path from 'path';
import { SURFACE_FILES, withSurface } from '../scripts/secure-surface';

test.each(SURFACE_FILES.map(f => path.basename(f)))('%s has the shared members as written (run `npm run surface`)', name => {
  const file = SURFACE_FILES.find(f => path.basename(f) === name)!;
  const source = fs.readFileSync(file, 'utf8');
  expect(source).toBe(withSurface(file, source));
});

test('a stale copy, or one without its region, is found', () => {
  const [file] = SURFACE_FILES;
  const source = fs.readFileSync(file, 'utf8');
  const stale = source.replace('this.hardening.addWritablePath(path);', 'this.hardening.addWritablePath({ ...path });');
  expect(withSurface(file, stale)).toBe(source);
  expect(() => withSurface(file, 'export class X {}\n'))
    .toThrow(`${file} has no "// <secure-surface>" ... "// </secure-surface>" region for the shared members`);
});
