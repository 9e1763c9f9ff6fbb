/** Small helpers over the TypeScript compiler API shared by our checks. */
import ts from 'typescript';
import type { Finding, SourceInput } from './finding';

const KINDS: Record<string, ts.ScriptKind> = {
  ts: ts.ScriptKind.TS, mts: ts.ScriptKind.TS, cts: ts.ScriptKind.TS, tsx: ts.ScriptKind.TSX,
  js: ts.ScriptKind.JS, mjs: ts.ScriptKind.JS, cjs: ts.ScriptKind.JS, jsx: ts.ScriptKind.JSX,
};

export const SCRIPT_EXTENSIONS = Object.keys(KINDS);

export function isScript(file: string): boolean {
  return SCRIPT_EXTENSIONS.includes(file.slice(file.lastIndexOf('.') + 1));
}

export function parse(input: SourceInput): ts.SourceFile {
  const kind = KINDS[input.file.slice(input.file.lastIndexOf('.') + 1)] ?? ts.ScriptKind.TS;
  return ts.createSourceFile(input.file, input.text, ts.ScriptTarget.Latest, true, kind);
}

/** A finding placed at `node` (its first token), with the source line as snippet. */
export function findingAt(sf: ts.SourceFile, node: ts.Node, check: string, message: string): Finding {
  const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  const lineText = sf.text.slice(sf.getLineStarts()[line], sf.getLineStarts()[line + 1] ?? sf.text.length);
  return { check, file: sf.fileName, line: line + 1, column: character, snippet: lineText.trim(), message, source: 'own' };
}

/** Strips parentheses, `as`, `satisfies`, `<T>x` and `x!`: they don't change the value. */
export function unwrap(node: ts.Expression): ts.Expression {
  let e = node;
  while (
    ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) ||
    ts.isTypeAssertionExpression(e) || ts.isNonNullExpression(e)
  ) e = e.expression;
  return e;
}

export function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
}

/** Whether any node under `root` (itself included) satisfies `pred`. */
export function someNode(root: ts.Node, pred: (n: ts.Node) => boolean): boolean {
  if (pred(root)) return true;
  return ts.forEachChild(root, (child) => someNode(child, pred) || undefined) ?? false;
}

/** The text of a property name when it is static (`a`, `'a'`, `1`), else undefined (computed). */
export function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const e = unwrap(name.expression);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  }
  return undefined;
}

/**
 * Local names that stand for an Electron export in this file: `import { X as Y } from 'electron'`
 * and `const { X: Y } = require('electron')` map Y to X. Every name also stands for itself, so a
 * check fails closed on code that got the API some other way.
 */
export function electronAliases(sf: ts.SourceFile): Map<string, string> {
  const aliases = new Map<string, string>();
  const fromElectron = (spec: ts.Node | undefined) => !!spec && ts.isStringLiteral(spec) && /^electron(\/|$)/.test(spec.text);
  for (const stmt of sf.statements) {
    if (ts.isImportDeclaration(stmt) && fromElectron(stmt.moduleSpecifier)) {
      const named = stmt.importClause?.namedBindings;
      if (named && ts.isNamedImports(named)) {
        for (const el of named.elements) aliases.set(el.name.text, (el.propertyName ?? el.name).text);
      }
    }
    if (ts.isVariableStatement(stmt)) {
      for (const decl of stmt.declarationList.declarations) {
        const init = decl.initializer && unwrap(decl.initializer);
        const isRequire = init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require' && fromElectron(init.arguments[0]);
        if (isRequire && ts.isObjectBindingPattern(decl.name)) {
          for (const el of decl.name.elements) {
            if (!ts.isIdentifier(el.name)) continue;
            const imported = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
            aliases.set(el.name.text, imported);
          }
        }
      }
    }
  }
  return aliases;
}

/** Whether `e` names the Electron export `name`: `name`, an alias of it, or `anything.name`. */
export function isElectronApi(e: ts.Expression, name: string, aliases: Map<string, string>): boolean {
  const x = unwrap(e);
  if (ts.isIdentifier(x)) return x.text === name || aliases.get(x.text) === name;
  if (ts.isPropertyAccessExpression(x)) return x.name.text === name;
  return false;
}

/** The method name of a call `a.b.name(...)` or `name(...)`, if the callee is that simple. */
export function calleeName(call: ts.CallExpression): string | undefined {
  const c = unwrap(call.expression);
  if (ts.isIdentifier(c)) return c.text;
  if (ts.isPropertyAccessExpression(c)) return c.name.text;
  return undefined;
}

/** `const name = <init>` declarations anywhere in the file (first wins): enough to follow a value one hop. */
export function constInitializers(sf: ts.SourceFile): Map<string, ts.Expression> {
  const out = new Map<string, ts.Expression>();
  walk(sf, (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && !out.has(n.name.text)) {
      if (ts.getCombinedNodeFlags(n) & ts.NodeFlags.Const) out.set(n.name.text, n.initializer);
    }
  });
  return out;
}

/** Function declarations of the file by name. */
export function functionDeclarations(sf: ts.SourceFile): Map<string, ts.FunctionDeclaration> {
  const out = new Map<string, ts.FunctionDeclaration>();
  walk(sf, (n) => {
    if (ts.isFunctionDeclaration(n) && n.name && !out.has(n.name.text)) out.set(n.name.text, n);
  });
  return out;
}

/** Identifier texts used anywhere inside `node`. */
export function identifiersIn(node: ts.Node): Set<string> {
  const out = new Set<string>();
  walk(node, (n) => {
    if (ts.isIdentifier(n)) out.add(n.text);
  });
  return out;
}
