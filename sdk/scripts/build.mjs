// Builds the package with the root's TypeScript (resolved upward from sdk/, no separate install):
// type-checks and emits what `tsc -p tsconfig.json` would (with emit on), and while emitting adds the
// file extensions Node's ESM loader needs to relative imports (`./compile` → `./compile.js`,
// `../policy` → `../policy/index.js`). lib/ is written for the root's bundler resolution and
// leaves them out; rewriting at emit time keeps lib/policy and lib/identity the one source of the
// engine instead of a copy. Declarations are rewritten the same way, so consumers on NodeNext
// resolution get full types.

import { existsSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const sdkDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const configPath = path.join(sdkDir, 'tsconfig.json');

const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail([d]) };
const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, host);
if (!config) process.exit(1);
if (config.errors.length) fail(config.errors);

const formatHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => process.cwd(),
  getNewLine: () => '\n',
};

function fail(diagnostics) {
  process.stderr.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost));
  process.exit(1);
}

// tsconfig.json sets noEmit so that a bare `tsc -p` only type-checks (its output would lack the
// extensions below and not run); this script is what emits.
config.options.noEmit = false;
const outDir = config.options.outDir;
if (outDir) rmSync(outDir, { recursive: true, force: true });

const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences });
const diagnostics = ts.getPreEmitDiagnostics(program);
if (diagnostics.some((d) => d.category === ts.DiagnosticCategory.Error)) fail(diagnostics);

const unresolved = [];

/** The specifier with the extension Node needs, or the same string if it already resolves. */
function withExtension(specifier, fromFile) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return specifier;
  if (/\.(m|c)?js$|\.json$/.test(specifier)) return specifier;
  const base = path.resolve(path.dirname(fromFile), specifier);
  if (existsSync(`${base}.ts`) || existsSync(`${base}.tsx`)) return `${specifier}.js`;
  if (existsSync(base) && statSync(base).isDirectory() && existsSync(path.join(base, 'index.ts'))) {
    return `${specifier.replace(/\/$/, '')}/index.js`;
  }
  unresolved.push(`${fromFile}: ${specifier}`);
  return specifier;
}

function rewriter(context) {
  const f = context.factory;
  return (root) => {
    // Declarations are transformed per source file; a bundle never occurs with outDir.
    const sourceFile = ts.getOriginalNode(root);
    const fileName = sourceFile.fileName ?? root.fileName;
    const literal = (node) => f.createStringLiteral(withExtension(node.text, fileName));
    const visit = (node) => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        return f.updateImportDeclaration(node, node.modifiers, node.importClause, literal(node.moduleSpecifier), node.attributes);
      }
      if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        return f.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, literal(node.moduleSpecifier), node.attributes);
      }
      if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
        const argument = f.updateLiteralTypeNode(node.argument, literal(node.argument.literal));
        return f.updateImportTypeNode(node, argument, node.attributes, node.qualifier, ts.visitNodes(node.typeArguments, visit), node.isTypeOf);
      }
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments.length >= 1 && ts.isStringLiteral(node.arguments[0])) {
        return f.updateCallExpression(node, node.expression, node.typeArguments, [literal(node.arguments[0]), ...node.arguments.slice(1)]);
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitEachChild(root, visit, context);
  };
}

const result = program.emit(undefined, undefined, undefined, false, { after: [rewriter], afterDeclarations: [rewriter] });
if (result.emitSkipped || result.diagnostics.length) fail(result.diagnostics);
if (unresolved.length) {
  process.stderr.write(`Relative imports that resolve to no source file:\n  ${unresolved.join('\n  ')}\n`);
  process.exit(1);
}
console.log(`built ${program.getSourceFiles().filter((s) => !s.isDeclarationFile).length} files into ${path.relative(process.cwd(), outDir)}`);
