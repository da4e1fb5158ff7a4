// Part of `npm run lint`: every export of a file in lib/ is either public (reached from lib/index.ts) or
// imported somewhere else (lib/, test/, examples/, scripts/, or bench/ and bin/ through build/). An export
// nothing imports is dead code, or a local that should lose its `export`. The type checker resolves every
// import, re-export and barrel to the declaration it names, so a name is never matched by its spelling.
import * as fs from 'fs';
import * as path from 'path';
import { ESLint } from 'eslint';
import * as ts from 'typescript';

/**
 * `file:line name` of every export of the `linted` files that is neither public nor imported by another file,
 * in the project at `root` (its tsconfig.dev.json, lib/index.ts, and the JavaScript in bench/ and bin/).
 */
export function unusedExports(root: string, linted: string[]): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.dev.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: d => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
  })!;
  const program = ts.createProgram(config.fileNames, config.options);
  const checker = program.getTypeChecker();
  const original = (s: ts.Symbol) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const moduleOf = (file: string) => {
    const source = program.getSourceFile(file);
    return source && checker.getSymbolAtLocation(source);
  };
  const exportsOf = (file: string) => {
    const module = moduleOf(file);
    return module ? checker.getExportsOfModule(module).map(original) : [];
  };

  const used = new Set<ts.Symbol>(exportsOf(path.join(root, 'lib', 'index.ts')));
  for (const source of program.getSourceFiles()) {
    if (source.isDeclarationFile) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isImportSpecifier(node) || ts.isExportSpecifier(node)) {
        const symbol = checker.getSymbolAtLocation(node.propertyName ?? node.name);
        if (symbol) used.add(original(symbol));
      } else if (ts.isImportClause(node) && node.name) {
        const symbol = checker.getSymbolAtLocation(node.name);
        if (symbol) used.add(original(symbol));
      } else if (ts.isNamespaceImport(node)) {
        // `import * as x` may read any of the module's exports.
        const module = checker.getSymbolAtLocation(node.parent.parent.moduleSpecifier);
        if (module) checker.getExportsOfModule(module).forEach(s => used.add(original(s)));
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  // The JavaScript in bench/ and bin/ runs the compiled library: `const { a, b } = require('../build/x')`.
  for (const file of javascriptFiles(root)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:const|let|var)\s*\{([^}]*)\}\s*=\s*require\((['"])\.\.\/build\/([^'"]+?)(?:\.js)?\2\)/g)) {
      const exports = exportsOf(path.join(root, 'lib', `${m[3]}.ts`));
      for (const name of m[1].split(',').map(n => n.split(':')[0].trim()).filter(Boolean)) {
        exports.filter(s => s.name === name).forEach(s => used.add(s));
      }
    }
  }

  const unused: string[] = [];
  for (const source of program.getSourceFiles()) {
    if (!linted.includes(path.resolve(source.fileName))) continue;
    const module = checker.getSymbolAtLocation(source);
    if (!module) continue;
    const candidates = checker.getExportsOfModule(module).filter(s => !(s.flags & ts.SymbolFlags.Alias) && !used.has(s)
      && s.declarations?.[0]?.getSourceFile() === source);
    // A type that names the shape of another export in its file is part of that export: it keeps its `export`.
    const namesAShape = usedInFile(source, candidates.filter(s => !(s.flags & ts.SymbolFlags.Value)));
    for (const symbol of candidates.filter(s => !namesAShape.has(s))) {
      const { line } = source.getLineAndCharacterOfPosition(symbol.declarations![0].getStart());
      unused.push(`${path.relative(root, source.fileName)}:${line + 1} ${symbol.name}`);
    }
  }
  return unused.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

  function usedInFile(source: ts.SourceFile, symbols: ts.Symbol[]): Set<ts.Symbol> {
    const wanted = new Set(symbols);
    const found = new Set<ts.Symbol>();
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && (node.parent as ts.NamedDeclaration).name !== node) {
        const symbol = checker.getSymbolAtLocation(node);
        if (symbol && wanted.has(symbol)) found.add(symbol);
      }
      ts.forEachChild(node, visit);
    };
    if (wanted.size > 0) visit(source);
    return found;
  }
}

function javascriptFiles(root: string): string[] {
  const inDir = (dir: string) => (fs.existsSync(path.join(root, dir)) ? fs.readdirSync(path.join(root, dir)) : [])
    .filter(f => dir === 'bin' || f.endsWith('.js')).map(f => path.join(root, dir, f));
  return [...inDir('bench'), ...inDir('bin')];
}

/** The files of lib/ that eslint lints (eslint.config.mjs decides which it ignores). */
async function lintedLibFiles(root: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const lib = path.join(root, 'lib');
  const files = (fs.readdirSync(lib, { recursive: true }) as string[]).filter(f => f.endsWith('.ts')).map(f => path.join(lib, f));
  const ignored = await Promise.all(files.map(f => eslint.isPathIgnored(f)));
  return files.filter((_, i) => !ignored[i]);
}

if (require.main === module) {
  const root = path.join(__dirname, '..');
  void lintedLibFiles(root).then(linted => {
    const unused = unusedExports(root, linted);
    if (unused.length > 0) {
      process.stderr.write(`unused exports (remove them, or drop the \`export\` of a name used only in its file):\n${unused.join('\n')}\n`);
      process.exit(1);
    }
  });
}
