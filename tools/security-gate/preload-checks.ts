/**
 * The preload may expose named functions only: never ipcRenderer or its methods as values, never
 * a channel the page picks, never the IpcRendererEvent (its `sender` is ipcRenderer itself).
 * What is exposed is the value given to contextBridge.exposeInMainWorld / exposeInIsolatedWorld,
 * followed through same-file consts and function declarations.
 */
import ts from 'typescript';
import type { Finding } from './finding';
import { calleeName, constInitializers, electronAliases, findingAt, functionDeclarations, someNode, unwrap, walk } from './ts-ast';

const LISTEN = ['on', 'once', 'addListener', 'prependListener', 'prependOnceListener'];

export function checkPreload(sf: ts.SourceFile): Finding[] {
  const consts = constInitializers(sf);
  const fns = functionDeclarations(sf);
  const ipcNames = new Set(['ipcRenderer']);
  for (const [local, imported] of electronAliases(sf)) if (imported === 'ipcRenderer') ipcNames.add(local);
  for (const [name, init] of consts) {
    const e = unwrap(init);
    if ((ts.isIdentifier(e) && ipcNames.has(e.text)) || (ts.isPropertyAccessExpression(e) && e.name.text === 'ipcRenderer')) ipcNames.add(name);
  }
  const isIpc = (node: ts.Node) =>
    (ts.isIdentifier(node) && ipcNames.has(node.text) && isReference(node)) ||
    (ts.isPropertyAccessExpression(node) && node.name.text === 'ipcRenderer');

  const roots: ts.Node[] = [];
  const ipcCalls: ts.CallExpression[] = [];
  walk(sf, (n) => {
    if (!ts.isCallExpression(n)) return;
    const name = calleeName(n);
    if (name === 'exposeInMainWorld' && n.arguments[1]) roots.push(n.arguments[1]);
    if (name === 'exposeInIsolatedWorld' && n.arguments[2]) roots.push(n.arguments[2]);
    const callee = unwrap(n.expression);
    if (ts.isPropertyAccessExpression(callee) && isIpc(unwrap(callee.expression))) ipcCalls.push(n);
  });

  const out: Finding[] = [];
  // Everything the page can reach, and the functions among it (their parameters come from the page).
  const exposedFns = new Set<ts.Node>();
  const seen = new Set<ts.Node>();
  const queue = [...roots];
  while (queue.length > 0) {
    const root = queue.pop()!;
    if (seen.has(root)) continue;
    seen.add(root);
    walk(root, (n) => {
      if (ts.isFunctionLike(n)) exposedFns.add(n);
      if (isIpc(n) && !isCalledMember(n)) {
        out.push(findingAt(sf, n, 'PRELOAD_EXPOSES_IPC_RENDERER', `exposes \`${n.getText(sf)}\` to the page; expose named functions that invoke fixed channels instead`));
      }
      if (ts.isIdentifier(n) && isReference(n) && !ipcNames.has(n.text)) {
        const target = fns.get(n.text) ?? consts.get(n.text);
        if (target) queue.push(target);
      }
    });
  }

  // A listener written inline or held in a const; its parameters come from IPC, not the page.
  const listenerOf = (call: ts.CallExpression) => {
    const l = call.arguments[1] && unwrap(call.arguments[1]);
    const held = l && ts.isIdentifier(l) && !paramOwner(l) ? consts.get(l.text) : undefined;
    return held ? unwrap(held) : l;
  };
  const listeners = new Set<ts.Node>(ipcCalls.filter((c) => LISTEN.includes(calleeName(c)!)).map(listenerOf).filter((l): l is ts.Expression => !!l));
  const isPageParam = (id: ts.Identifier) => {
    const owner = paramOwner(id);
    return !!owner && exposedFns.has(owner) && !listeners.has(owner);
  };
  const usesPageParam = (node: ts.Node) => someNode(node, (n) => ts.isIdentifier(n) && isReference(n) && isPageParam(n));

  for (const call of ipcCalls) {
    const channel = call.arguments[0];
    if (channel && usesPageParam(channel)) {
      out.push(findingAt(sf, call, 'PRELOAD_PAGE_CHOSEN_CHANNEL', 'the page chooses the IPC channel; each exposed function must use one fixed channel'));
    }
    const l = LISTEN.includes(calleeName(call)!) ? listenerOf(call) : undefined;
    if (!l) continue;
    if (ts.isIdentifier(l) && isPageParam(l)) {
      out.push(findingAt(sf, call, 'PRELOAD_FORWARDS_IPC_EVENT', 'registers a page callback as the listener, so it receives the IpcRendererEvent; wrap it and pass only the data'));
    } else if ((ts.isArrowFunction(l) || ts.isFunctionExpression(l)) && forwardsEvent(l, isPageParam)) {
      out.push(findingAt(sf, call, 'PRELOAD_FORWARDS_IPC_EVENT', 'the listener hands its IpcRendererEvent to the page; pass only the data'));
    }
  }
  return out;
}

/** Whether a listener passes its event (first parameter, or a rest holding it) or event.sender to a page callback or postMessage. */
function forwardsEvent(listener: ts.ArrowFunction | ts.FunctionExpression, isPageParam: (id: ts.Identifier) => boolean): boolean {
  const first = listener.parameters[0];
  if (!first || !ts.isIdentifier(first.name)) return false;
  const eventName = first.name.text;
  return someNode(listener.body, (n) => {
    if (!ts.isCallExpression(n)) return false;
    const callee = unwrap(n.expression);
    const sink = (ts.isIdentifier(callee) && isPageParam(callee)) || calleeName(n) === 'postMessage';
    return sink && n.arguments.some((a) => {
      const v = unwrap(ts.isSpreadElement(a) ? a.expression : a);
      const isEvent = (e: ts.Expression) => ts.isIdentifier(e) && e.text === eventName;
      return isEvent(v) || (ts.isPropertyAccessExpression(v) && v.name.text === 'sender' && isEvent(unwrap(v.expression)));
    });
  });
}

/** The innermost function-like whose parameter (a plain identifier) this identifier names. */
function paramOwner(id: ts.Identifier): ts.SignatureDeclaration | undefined {
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n) && n.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === id.text)) return n;
  }
  return undefined;
}

/** An identifier used as a value (not a property name, key or declared name). */
function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if ((ts.isPropertyAccessExpression(p) && p.name === id) || (ts.isQualifiedName(p) && p.right === id)) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p)) && p.name === id) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p) || ts.isFunctionDeclaration(p) || ts.isFunctionExpression(p)) && p.name === id) return false;
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  return !(ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p) || ts.isTypeReferenceNode(p));
}

/** `ipcRenderer.invoke(…)`: the member is called, not handed out. */
function isCalledMember(node: ts.Node): boolean {
  const access = node.parent;
  return ts.isPropertyAccessExpression(access) && access.expression === node && ts.isCallExpression(access.parent) && access.parent.expression === access;
}
