// The layers of lib/, read from the imports themselves (as TypeScript parses them, so comments and
// strings do not count):
//   lib/vocab/   the vocabulary both sides use; imports only itself and node builtins.
//   lib/policy/  the engine; imports only itself, lib/vocab/, node builtins and the package's own
//                runtime dependencies: no cdk8s, no constructs, no cdk8s-plus, no construct folder.
//   the rest     constructs and front doors; use lib/policy/ only through its face, lib/policy/index.ts.
//                lib/index.ts, the package's face, re-exports engine modules by `export ... from`.
//                Only lib/kplus.ts, the one binding, imports cdk8s-plus.
//   all of lib/  imports nothing else of the repository but package.json.
import * as fs from 'fs';
import { isBuiltin } from 'module';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');
const RUNTIME_DEPENDENCIES = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).dependencies ?? {});

interface ModuleImport {
  /** The module as written, or undefined when it is not a string literal (and so cannot be checked). */
  readonly specifier?: string;
  readonly line: number;
  /** `export ... from`, rather than an import or a require. */
  readonly reexport: boolean;
}

/** Every import, `export ... from`, `import x = require()`, `require()` and `import()` of a source text. */
function importsOf(fileName: string, text: string): ModuleImport[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: ModuleImport[] = [];
  const add = (node: ts.Node, module: ts.Node | undefined, reexport = false) => found.push({
    specifier: module && ts.isStringLiteralLike(module) ? module.text : undefined,
    line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1,
    reexport,
  });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node, node.moduleSpecifier);
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier) add(node, node.moduleSpecifier, true);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression);
    } else if (ts.isCallExpression(node)
      && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      add(node, node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The lib/-relative file a relative specifier names ("policy/index.ts"), or its path from the root when outside lib/. */
function resolve(from: string, specifier: string, files: ReadonlySet<string>): string {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  return [`${base}.ts`, `${base}/index.ts`].find(f => files.has(f)) ?? base;
}

const layerOf = (file: string) => file.startsWith('lib/vocab/') ? 'vocab' : file.startsWith('lib/policy/') ? 'policy' : 'rest';
const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

const RULES = {
  vocab: 'lib/vocab/ may import only lib/vocab/ and node builtins',
  policy: 'lib/policy/ may import only lib/policy/, lib/vocab/, node builtins and the package\'s runtime dependencies '
    + `(${RUNTIME_DEPENDENCIES.join(', ')})`,
  face: 'outside lib/policy/, the engine is used only through its face, lib/policy/index.ts (lib/index.ts may re-export its modules)',
  literal: 'an import must name its module in a string literal, so that the layers can be checked',
  outside: 'lib/ is what the package ships: it imports nothing else of the repository (test/, scripts/, bench/) but package.json',
  binding: 'only lib/kplus.ts, the one binding to cdk8s-plus, imports it (so a newer cdk8s-plus-XX is one change there)',
};

/**
 * What breaks the layering in `sources` (paths from the repository root, e.g. "lib/guard.ts", to
 * their text), one message per import naming the file, its line, the import and the rule.
 */
function layeringProblems(sources: ReadonlyMap<string, string>): string[] {
  const files = new Set(sources.keys());
  const problems: string[] = [];
  for (const [file, text] of sources) {
    const layer = layerOf(file);
    for (const { specifier, line, reexport } of importsOf(file, text)) {
      const where = `${file}:${line}`;
      if (specifier === undefined) {
        problems.push(`${where} imports a computed module: ${RULES.literal}`);
        continue;
      }
      const relative = specifier.startsWith('.');
      const target = relative ? resolve(file, specifier, files) : undefined;
      const builtin = !relative && isBuiltin(specifier);
      let rule: string | undefined;
      if (layer === 'vocab') {
        if (relative ? !target!.startsWith('lib/vocab/') : !builtin) rule = RULES.vocab;
      } else if (layer === 'policy') {
        // The package's own manifest is data (the version the reports name), not a layer.
        const allowed = relative
          ? /^lib\/(policy|vocab)\//.test(target!) || target === 'package.json'
          : builtin || RUNTIME_DEPENDENCIES.includes(packageOf(specifier));
        if (!allowed) rule = RULES.policy;
      } else if (target?.startsWith('lib/policy/') && target !== 'lib/policy/index.ts' && !(file === 'lib/index.ts' && reexport)) {
        rule = RULES.face;
      } else if (relative && !target!.startsWith('lib/') && target !== 'package.json') {
        rule = RULES.outside;
      } else if (!relative && /^cdk8s-plus-\d+$/.test(packageOf(specifier)) && file !== 'lib/kplus.ts') {
        rule = RULES.binding;
      }
      if (rule) problems.push(`${where} imports '${specifier}'${target ? ` (${target})` : ''}: ${rule}`);
    }
  }
  return problems;
}

function libSources(): Map<string, string> {
  const sources = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const file = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts')) sources.set(file, fs.readFileSync(path.join(ROOT, file), 'utf8'));
    }
  };
  walk('lib');
  return sources;
}

test('lib/ keeps its layers', () => {
  const sources = libSources();
  // The walk really saw the three layers (a renamed folder would pass vacuously otherwise).
  expect(['lib/vocab/labels.ts', 'lib/policy/index.ts', 'lib/policy/engine.ts', 'lib/guard.ts', 'lib/kplus.ts'].filter(f => !sources.has(f)))
    .toEqual([]);
  expect(layeringProblems(sources)).toEqual([]);
});

test('the reader finds every kind of import, and not comments or strings', () => {
  const text = [
    "import { a } from './a';",
    "import type { B } from './b';",
    "import './c';",
    "export * from './d';",
    "export { e } from './e';",
    "import f = require('./f');",
    "const g = require('./g');",
    "async function h() { return import('./h'); }",
    "// import { i } from './i';",
    "const j = \"require('./j')\";",
    'const k = require(name);',
    'export { l };',
  ].join('\n');
  expect(importsOf('x.ts', text)).toEqual([
    { specifier: './a', line: 1, reexport: false },
    { specifier: './b', line: 2, reexport: false },
    { specifier: './c', line: 3, reexport: false },
    { specifier: './d', line: 4, reexport: true },
    { specifier: './e', line: 5, reexport: true },
    { specifier: './f', line: 6, reexport: false },
    { specifier: './g', line: 7, reexport: false },
    { specifier: './h', line: 8, reexport: false },
    { specifier: undefined, line: 11, reexport: false },
  ]);
});

describe('each rule names the file, the import and the rule', () => {
  const lib = (files: { [file: string]: string }) => layeringProblems(new Map(Object.entries({
    'lib/index.ts': '',
    'lib/vocab/labels.ts': '',
    'lib/policy/index.ts': '',
    'lib/policy/engine.ts': '',
    'lib/policy/checks/log-shipper.ts': '',
    'lib/policy/report/report.ts': '',
    'lib/scheduling/node-pool.ts': '',
    ...files,
  })));

  test.each([
    ['the vocabulary importing the engine', { 'lib/vocab/x.ts': "import { e } from '../policy/engine';" },
      `lib/vocab/x.ts:1 imports '../policy/engine' (lib/policy/engine.ts): ${RULES.vocab}`],
    ['the vocabulary importing a construct folder', { 'lib/vocab/x.ts': "\nimport { NodePool } from '../scheduling/node-pool';" },
      `lib/vocab/x.ts:2 imports '../scheduling/node-pool' (lib/scheduling/node-pool.ts): ${RULES.vocab}`],
    ['the vocabulary importing an npm package', { 'lib/vocab/x.ts': "import * as yaml from 'js-yaml';" },
      `lib/vocab/x.ts:1 imports 'js-yaml': ${RULES.vocab}`],
    ['the engine importing a construct folder', { 'lib/policy/checks/x.ts': "import { NodePool } from '../../scheduling/node-pool';" },
      `lib/policy/checks/x.ts:1 imports '../../scheduling/node-pool' (lib/scheduling/node-pool.ts): ${RULES.policy}`],
    ['the engine importing the package face', { 'lib/policy/x.ts': "export * from '..';" },
      `lib/policy/x.ts:1 imports '..' (lib/index.ts): ${RULES.policy}`],
    ['the engine importing cdk8s', { 'lib/policy/x.ts': "import { ApiObject } from 'cdk8s';" },
      `lib/policy/x.ts:1 imports 'cdk8s': ${RULES.policy}`],
    ['the engine requiring constructs', { 'lib/policy/x.ts': "const c = require('constructs');" },
      `lib/policy/x.ts:1 imports 'constructs': ${RULES.policy}`],
    ['the engine importing cdk8s-plus by a subpath', { 'lib/policy/x.ts': "import { k8s } from 'cdk8s-plus-28/lib/imports/k8s';" },
      `lib/policy/x.ts:1 imports 'cdk8s-plus-28/lib/imports/k8s': ${RULES.policy}`],
    ['a construct reaching past the engine face', { 'lib/scheduling/x.ts': "import { PolicyEngine } from '../policy/engine';" },
      `lib/scheduling/x.ts:1 imports '../policy/engine' (lib/policy/engine.ts): ${RULES.face}`],
    ['a construct importing a check', { 'lib/logging/x.ts': "import { LogShipperCheck } from '../policy/checks/log-shipper';" },
      `lib/logging/x.ts:1 imports '../policy/checks/log-shipper' (lib/policy/checks/log-shipper.ts): ${RULES.face}`],
    ['a front door re-exporting past the face', { 'lib/guard.ts': "export { Report } from './policy/report/report';" },
      `lib/guard.ts:1 imports './policy/report/report' (lib/policy/report/report.ts): ${RULES.face}`],
    ['the package face importing (not re-exporting) an engine module', { 'lib/index.ts': "import { PolicyEngine } from './policy/engine';" },
      `lib/index.ts:1 imports './policy/engine' (lib/policy/engine.ts): ${RULES.face}`],
    ['a construct importing cdk8s-plus past the binding', { 'lib/workloads/x.ts': "import * as kplus from 'cdk8s-plus-28';" },
      `lib/workloads/x.ts:1 imports 'cdk8s-plus-28': ${RULES.binding}`],
    ['a front door requiring a cdk8s-plus subpath', { 'lib/guard.ts': "const { k8s } = require('cdk8s-plus-28/lib/imports/k8s');" },
      `lib/guard.ts:1 imports 'cdk8s-plus-28/lib/imports/k8s': ${RULES.binding}`],
    ['a construct re-exporting a newer cdk8s-plus', { 'lib/logging/x.ts': "export { Deployment } from 'cdk8s-plus-33';" },
      `lib/logging/x.ts:1 imports 'cdk8s-plus-33': ${RULES.binding}`],
    ['a front door importing a test helper', { 'lib/testing.ts': "import { IMAGE } from '../test/workloads/helpers';" },
      `lib/testing.ts:1 imports '../test/workloads/helpers' (test/workloads/helpers): ${RULES.outside}`],
    ['a computed module', { 'lib/policy/x.ts': "const m = require('../' + name);" },
      `lib/policy/x.ts:1 imports a computed module: ${RULES.literal}`],
  ])('%s', (_what, files, message) => {
    expect(lib(files)).toEqual([message]);
  });

  test('what the layers allow', () => {
    expect(lib({
      'lib/vocab/x.ts': "import * as fs from 'fs';\nimport { p } from 'node:path';\nimport { POOL_LABEL } from './labels';",
      'lib/policy/x.ts': "import * as yaml from 'js-yaml';\nimport { e } from './engine';\nimport { l } from '../vocab/labels';\n"
        + "const v = require('../../package.json').version;",
      'lib/scheduling/x.ts': "import { PolicyEngine } from '../policy';\nimport { POOL_LABEL } from '../vocab/labels';\n"
        + "import { App } from 'cdk8s';",
      'lib/guard.ts': "import { Report } from './policy/index';",
      'lib/kplus.ts': "import * as kplus from 'cdk8s-plus-28';\nexport { Deployment } from 'cdk8s-plus-28';",
      'lib/workloads/x.ts': "import * as kplus from '../kplus';",
      'lib/index.ts': "export * from './policy/engine';\nexport * from './vocab/labels';",
    })).toEqual([]);
  });
});
