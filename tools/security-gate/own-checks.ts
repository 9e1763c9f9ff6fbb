/**
 * Our checks, for what electronegativity misses or is too lenient about: it follows no
 * webPreferences held in a variable, knows no WebContentsView, treats any `sandbox` key as enough
 * to forgive nodeIntegration, and never looks inside the preload. Parsed with the TypeScript
 * compiler API; every rule fails closed (a value it cannot see as a literal is a finding).
 */
import ts from 'typescript';
import type { Finding, SourceInput } from './finding';
import { checkPreload } from './preload-checks';
import {
  calleeName, constInitializers, electronAliases, findingAt, identifiersIn, isElectronApi, isScript, parse,
  propertyName, someNode, unwrap, walk,
} from './ts-ast';

export interface OwnCheckOptions {
  /** the Electron main entry (repo-relative): it must call app.enableSandbox() */
  mainEntry?: string;
}

const WINDOW_CLASSES = ['BrowserWindow', 'BrowserView', 'WebContentsView'];
const MUST_BE_TRUE = ['sandbox', 'contextIsolation', 'webSecurity'];
const MUST_BE_FALSE = [
  'nodeIntegration', 'nodeIntegrationInWorker', 'nodeIntegrationInSubFrames', 'webviewTag',
  'allowRunningInsecureContent', 'experimentalFeatures',
];
const NODE_INTEGRATION_KEYS = MUST_BE_FALSE.slice(0, 3);

/**
 * Words without which no rule below can fire: files lacking all of them are not parsed (most of
 * the engine and renderer). Aliases still contain the word at their import.
 */
const RELEVANT = /BrowserWindow|BrowserView|WebContentsView|loadFile|loadURL|openExternal|setWindowOpenHandler|will-navigate|ipcRenderer|exposeIn|protocol|SchemesAsPrivileged/;

/** What the app as a whole does: the windows it creates, and whether it denies window.open and navigation. */
interface AppFacts {
  windows: Array<[ts.SourceFile, ts.Node]>;
  denyOpen: boolean;
  guardNavigate: boolean;
}

/** `contextIsolation` → `WEBPREF_CONTEXT_ISOLATION` */
export const webPrefCheckId = (key: string) => `WEBPREF_${key.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;

export function runOwnChecks(inputs: SourceInput[], options: OwnCheckOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const app: AppFacts = { windows: [], denyOpen: false, guardNavigate: false };
  for (const input of inputs.filter((i) => isScript(i.file) && (RELEVANT.test(i.text) || i.file === options.mainEntry))) {
    const sf = parse(input);
    findings.push(...checkFile(sf, app), ...checkPreload(sf));
    if (input.file === options.mainEntry && !callsEnableSandbox(sf)) {
      findings.push(findingAt(sf, sf.statements[0] ?? sf, 'APP_ENABLE_SANDBOX_MISSING', 'the main entry never calls app.enableSandbox(): every renderer must be sandboxed, whatever its webPreferences'));
    }
  }
  if (options.mainEntry && !inputs.some((i) => i.file === options.mainEntry)) {
    findings.push({ check: 'APP_ENABLE_SANDBOX_MISSING', file: options.mainEntry, line: 0, column: 0, snippet: '', message: 'the main entry is not among the scanned files', source: 'own' });
  }
  const [first] = app.windows;
  if (first && (!app.denyOpen || !app.guardNavigate)) {
    const missing = [!app.denyOpen && "setWindowOpenHandler returning { action: 'deny' }", !app.guardNavigate && "a 'will-navigate' handler calling preventDefault()"].filter(Boolean);
    findings.push(findingAt(first[0], first[1], 'NAVIGATION_UNGUARDED', `windows are created but nothing installs ${missing.join(' or ')}`));
  }
  return findings;
}

function checkFile(sf: ts.SourceFile, app: AppFacts): Finding[] {
  const out: Finding[] = [];
  const aliases = electronAliases(sf);
  const consts = constInitializers(sf);
  walk(sf, (n) => {
    if (ts.isNewExpression(n) && WINDOW_CLASSES.some((c) => isElectronApi(n.expression, c, aliases))) {
      app.windows.push([sf, n]);
      out.push(...checkWindowOptions(sf, n, n.arguments?.[0]));
    }
    if (ts.isPropertyAssignment(n) && propertyName(n.name) === 'overrideBrowserWindowOptions') {
      out.push(...checkWindowOptions(sf, n, n.initializer));
    }
    if (!ts.isCallExpression(n)) return;
    const name = calleeName(n);
    if (name === 'loadFile') out.push(findingAt(sf, n, 'FILE_URL_LOAD', 'loadFile() serves the UI from file://; serve it on the app:// scheme'));
    if (name === 'loadURL' && n.arguments[0] && isFileUrl(n.arguments[0], consts, 0)) {
      out.push(findingAt(sf, n, 'FILE_URL_LOAD', 'loadURL() of a file: URL; serve the UI on the app:// scheme'));
    }
    // Only `x.openExternal(…)`: a bare openExternal(…) is most likely our own allow-listing wrapper.
    if (name === 'openExternal' && ts.isPropertyAccessExpression(unwrap(n.expression))) {
      const arg = n.arguments[0] && unwrap(n.arguments[0]);
      if (!arg || !(ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) && !isGuarded(n, arg, consts)) {
        out.push(findingAt(sf, n, 'OPEN_EXTERNAL_UNGUARDED', 'shell.openExternal() with a URL no enclosing or preceding check tests; call it only behind an allow-list'));
      }
    }
    const callee = unwrap(n.expression);
    if (name === 'handle' && ts.isPropertyAccessExpression(callee) && isElectronApi(callee.expression, 'protocol', aliases) && !setsCsp(n)) {
      out.push(findingAt(sf, n, 'PROTOCOL_WITHOUT_CSP', 'a protocol.handle() handler that never sets a content-security-policy header on its responses'));
    }
    // electronegativity's PROTOCOL_HANDLER check predates protocol.handle and registerSchemesAsPrivileged.
    if (name === 'registerSchemesAsPrivileged' && someNode(n, (p) => ts.isPropertyAssignment(p) && propertyName(p.name) === 'bypassCSP' && unwrap(p.initializer).kind !== ts.SyntaxKind.FalseKeyword)) {
      out.push(findingAt(sf, n, 'SCHEME_BYPASSES_CSP', 'a privileged scheme with bypassCSP: its pages run without the CSP'));
    }
    if (name === 'setWindowOpenHandler' && n.arguments[0] && returnsDeny(n.arguments[0])) app.denyOpen = true;
    if (name === 'on' || name === 'once') {
      const [event, handler] = n.arguments;
      if (event && ts.isStringLiteral(event) && event.text === 'will-navigate' && handler && callsPreventDefault(handler)) app.guardNavigate = true;
    }
  });
  return out;
}

function checkWindowOptions(sf: ts.SourceFile, at: ts.Node, options: ts.Expression | undefined): Finding[] {
  const notInline = (node: ts.Node, why: string) => [findingAt(sf, node, 'WEBPREFS_NOT_INLINE', `${why}: write webPreferences inline so the gate (and a reviewer) sees every value`)];
  if (!options) return notInline(at, 'a window without options');
  const opts = unwrap(options);
  if (!ts.isObjectLiteralExpression(opts)) return notInline(opts, `window options are ${ts.SyntaxKind[opts.kind]}, not an object literal`);
  let prefs: ts.Expression | undefined;
  for (const p of opts.properties) {
    if (ts.isSpreadAssignment(p)) return notInline(p, 'a spread in the window options may carry webPreferences');
    const key = p.name && propertyName(p.name);
    if (key === undefined) return notInline(p, 'a computed key in the window options may be webPreferences');
    if (key !== 'webPreferences') continue;
    if (!ts.isPropertyAssignment(p)) return notInline(p, 'webPreferences is not written as `webPreferences: { ... }`');
    prefs = unwrap(p.initializer);
  }
  if (!prefs) return notInline(at, 'no webPreferences');
  if (!ts.isObjectLiteralExpression(prefs)) return notInline(prefs, `webPreferences is ${ts.SyntaxKind[prefs.kind]}, not an object literal`);

  const out: Finding[] = [];
  const values = new Map<string, ts.Node[]>();
  for (const p of prefs.properties) {
    if (ts.isSpreadAssignment(p)) return notInline(p, 'a spread inside webPreferences');
    const key = p.name && propertyName(p.name);
    if (key === undefined) return notInline(p, 'a computed key inside webPreferences');
    // A shorthand, method or accessor is a value we cannot see: the literal checks below reject it.
    const value: ts.Node = ts.isPropertyAssignment(p) ? unwrap(p.initializer) : ts.isShorthandPropertyAssignment(p) ? p.name : p;
    values.set(key, [...(values.get(key) ?? []), value]);
  }
  const rule = (key: string, ok: (e: ts.Node) => boolean, want: string) => {
    const found = values.get(key);
    if (!found) out.push(findingAt(sf, prefs!, webPrefCheckId(key), `webPreferences.${key} is missing; set it to ${want} explicitly`));
    for (const v of found ?? []) if (!ok(v)) out.push(findingAt(sf, v, webPrefCheckId(key), `webPreferences.${key} is \`${v.getText(sf)}\`; it must be ${want}`));
  };
  for (const key of MUST_BE_TRUE) rule(key, (e) => e.kind === ts.SyntaxKind.TrueKeyword, 'the literal true');
  for (const key of MUST_BE_FALSE) rule(key, (e) => e.kind === ts.SyntaxKind.FalseKeyword, 'the literal false');
  for (const v of values.get('enableBlinkFeatures') ?? []) {
    if (!((ts.isStringLiteral(v) || ts.isNoSubstitutionTemplateLiteral(v)) && v.text === '')) {
      out.push(findingAt(sf, v, webPrefCheckId('enableBlinkFeatures'), `webPreferences.enableBlinkFeatures is \`${v.getText(sf)}\`; leave it out or ''`));
    }
  }
  const nodeOn = NODE_INTEGRATION_KEYS.flatMap((k) => values.get(k) ?? []).some((v) => v.kind !== ts.SyntaxKind.FalseKeyword);
  if (values.has('sandbox') && nodeOn) {
    out.push(findingAt(sf, prefs, 'SANDBOX_BESIDE_NODE_INTEGRATION', 'sandbox is set beside a nodeIntegration that is not false; the sandbox does not make that safe (electronegativity forgives it)'));
  }
  return out;
}

/** A file: URL: a 'file:…' literal or template, `'file:' + x`, pathToFileURL(…)[.href], new URL('file:…'), or a const holding one. */
function isFileUrl(node: ts.Expression, consts: Map<string, ts.Expression>, depth: number): boolean {
  const e = unwrap(node);
  if (depth > 5) return false;
  const next = (x: ts.Expression) => isFileUrl(x, consts, depth + 1);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return /^\s*file:/i.test(e.text);
  if (ts.isTemplateExpression(e)) return /^\s*file:/i.test(e.head.text) || (e.head.text === '' && next(e.templateSpans[0]!.expression));
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return next(e.left);
  if (ts.isPropertyAccessExpression(e)) return e.name.text === 'href' && next(e.expression);
  if (ts.isNewExpression(e)) return !!e.arguments?.[0] && (next(e.arguments[0]) || (!!e.arguments[1] && next(e.arguments[1])));
  if (ts.isCallExpression(e)) {
    const name = calleeName(e);
    if (name === 'pathToFileURL') return true;
    if (name === 'toString' && ts.isPropertyAccessExpression(e.expression)) return next(e.expression.expression);
    if (name === 'String' && e.arguments[0]) return next(e.arguments[0]);
    return false;
  }
  if (ts.isIdentifier(e)) {
    const init = consts.get(e.text);
    return !!init && next(init);
  }
  return false;
}

/**
 * Whether a call is reached only through a check of its argument: it sits in the `then` branch
 * of an `if`, after `cond &&`, or in the true arm of `cond ?`, or follows an `if (…) return|throw`
 * in its function; and the condition calls something on an identifier the argument uses, directly
 * or through a const (`const refusal = check(url); if (refusal) return;`). A bare `if (url)` is no check.
 */
function isGuarded(call: ts.Node, arg: ts.Expression, consts: Map<string, ts.Expression>): boolean {
  const names = identifiersIn(arg);
  const tests = (cond: ts.Node) => {
    const parts = [cond, ...[...identifiersIn(cond)].flatMap((n) => consts.get(n) ?? [])];
    const checks = parts.some((p) => someNode(p, ts.isCallExpression));
    return checks && parts.some((p) => [...identifiersIn(p)].some((n) => names.has(n)));
  };
  let child: ts.Node = call;
  for (let n = call.parent; n && !ts.isSourceFile(n); child = n, n = n.parent) {
    if (ts.isIfStatement(n) && n.thenStatement === child && tests(n.expression)) return true;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && n.right === child && tests(n.left)) return true;
    if (ts.isConditionalExpression(n) && n.whenTrue === child && tests(n.condition)) return true;
    if (ts.isBlock(n)) {
      const before = n.statements.slice(0, n.statements.indexOf(child as ts.Statement));
      if (before.some((s) => ts.isIfStatement(s) && exits(s.thenStatement) && tests(s.expression))) return true;
    }
    if (ts.isFunctionLike(n)) return false;
  }
  return false;
}

function exits(s: ts.Statement): boolean {
  if (ts.isReturnStatement(s) || ts.isThrowStatement(s)) return true;
  return ts.isBlock(s) && s.statements.length > 0 && exits(s.statements[s.statements.length - 1]!);
}

const returnsDeny = (handler: ts.Node) =>
  someNode(handler, (n) => ts.isPropertyAssignment(n) && propertyName(n.name) === 'action' && isText(unwrap(n.initializer), 'deny'));
const setsCsp = (handler: ts.Node) => someNode(handler, (n) => isText(n, 'content-security-policy'));
const callsPreventDefault = (handler: ts.Node) => someNode(handler, (n) => ts.isCallExpression(n) && calleeName(n) === 'preventDefault');
const callsEnableSandbox = (sf: ts.SourceFile) => someNode(sf, (n) => ts.isCallExpression(n) && calleeName(n) === 'enableSandbox');

function isText(n: ts.Node, text: string): boolean {
  return (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && n.text.toLowerCase() === text;
}
