// lib/kplus.ts is the one binding to cdk8s-plus, so moving to a newer cdk8s-plus-XX is one change:
// no other file in lib/ may import cdk8s-plus-28 (or any of its subpaths), by import, export or require.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const LIB = path.join(__dirname, '..', 'lib');
const BINDING = 'kplus.ts';

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** The modules a file imports, as TypeScript reads them (comments and strings are not imports). */
function imports(file: string): string[] {
  return ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles.map(f => f.fileName);
}

const isKplus = (specifier: string) => /^cdk8s-plus-\d+(\/|$)/.test(specifier);

test('lib/kplus.ts is the only file in lib/ that imports cdk8s-plus', () => {
  const importers = sources(LIB).filter(f => imports(f).some(isKplus)).map(f => path.relative(LIB, f).split(path.sep).join('/'));
  expect(importers).toEqual([BINDING]);
});

test('the binding test reads imports, exports, requires and subpaths, and not comments', () => {
  const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'kplus-binding-'));
  try {
    const cases: { [name: string]: string } = {
      'import.ts': "import { Deployment } from 'cdk8s-plus-28';",
      'export.ts': "export * from 'cdk8s-plus-28';",
      'require.ts': "const kplus = require('cdk8s-plus-28');",
      'subpath.ts': "import { k8s } from 'cdk8s-plus-28/lib/imports/k8s';",
      'newer.ts': "import * as kplus from 'cdk8s-plus-33';",
      'comment.ts': "// cdk8s-plus-28 is the target\nconst s = 'cdk8s-plus-28';",
    };
    for (const [name, text] of Object.entries(cases)) fs.writeFileSync(path.join(dir, name), text);
    const found = Object.keys(cases).filter(name => imports(path.join(dir, name)).some(isKplus));
    expect(found).toEqual(['import.ts', 'export.ts', 'require.ts', 'subpath.ts', 'newer.ts']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
