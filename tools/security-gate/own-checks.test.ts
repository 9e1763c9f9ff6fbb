import { describe, expect, it } from 'vitest';
import { runOwnChecks, webPrefCheckId } from './own-checks';

const ids = (text: string, file = 'main.ts', mainEntry?: string) => runOwnChecks([{ file, text }], { mainEntry }).map((f) => f.check);
/** Our checks over one file, without the app-wide navigation rule (tested on its own below). */
const fileIds = (text: string, file?: string) => ids(`${text}\n${GUARDS}`, file).filter((c) => c !== 'NAVIGATION_UNGUARDED');

const GUARDS = `
contents.setWindowOpenHandler(() => ({ action: 'deny' }));
contents.on('will-navigate', (event) => event.preventDefault());`;

const SAFE_PREFS = `{
  sandbox: true, contextIsolation: true, webSecurity: true,
  nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false,
  webviewTag: false, allowRunningInsecureContent: false, experimentalFeatures: false,
}`;
const windowWith = (prefs: string, cls = 'BrowserWindow') => `import { ${cls} } from 'electron';\nnew ${cls}({ width: 1, webPreferences: ${prefs} });`;
const withPref = (line: string) => SAFE_PREFS.replace('sandbox: true,', `sandbox: true, ${line},`);

describe('own checks: window webPreferences', () => {
  it('passes inline webPreferences with every value explicit', () => {
    expect(fileIds(windowWith(SAFE_PREFS))).toEqual([]);
    expect(fileIds(windowWith(SAFE_PREFS.replace('sandbox: true,', "sandbox: true, enableBlinkFeatures: '', preload: p(),")))).toEqual([]);
  });

  it.each([
    ['an identifier', 'prefs'],
    ['a function call', 'makePrefs()'],
    ['a computed merge', `Object.assign({}, base, ${SAFE_PREFS})`],
    ['a spread inside', SAFE_PREFS.replace('{', '{ ...base,')],
  ])('fails webPreferences given as %s', (_, prefs) => {
    expect(fileIds(windowWith(prefs))).toEqual(['WEBPREFS_NOT_INLINE']);
  });

  it('fails options that are not an inline object, carry a spread, or lack webPreferences', () => {
    expect(fileIds("import { BrowserWindow } from 'electron';\nnew BrowserWindow(options);")).toEqual(['WEBPREFS_NOT_INLINE']);
    expect(fileIds(`import { BrowserWindow } from 'electron';\nnew BrowserWindow({ ...defaults, webPreferences: ${SAFE_PREFS} });`)).toEqual(['WEBPREFS_NOT_INLINE']);
    expect(fileIds("import { BrowserWindow } from 'electron';\nnew BrowserWindow({ width: 1 });")).toEqual(['WEBPREFS_NOT_INLINE']);
    expect(fileIds("import { BrowserWindow } from 'electron';\nnew BrowserWindow();")).toEqual(['WEBPREFS_NOT_INLINE']);
    expect(fileIds("import { BrowserWindow } from 'electron';\nconst webPreferences = {};\nnew BrowserWindow({ webPreferences });")).toEqual(['WEBPREFS_NOT_INLINE']);
  });

  it('sees BrowserView, WebContentsView, aliases, namespaces and window.open overrides', () => {
    expect(fileIds(windowWith('prefs', 'BrowserView'))).toEqual(['WEBPREFS_NOT_INLINE']);
    expect(fileIds(windowWith('prefs', 'WebContentsView'))).toEqual(['WEBPREFS_NOT_INLINE']);
    expect(fileIds("import { BrowserWindow as Win } from 'electron';\nnew Win({ webPreferences: prefs });")).toEqual(['WEBPREFS_NOT_INLINE']);
    expect(fileIds("import * as electron from 'electron';\nnew electron.BrowserWindow({ webPreferences: prefs });")).toEqual(['WEBPREFS_NOT_INLINE']);
    expect(fileIds("wc.setWindowOpenHandler(() => ({ action: 'allow', overrideBrowserWindowOptions: { webPreferences: prefs } }));")).toEqual(['WEBPREFS_NOT_INLINE']);
  });

  it.each(['sandbox', 'contextIsolation', 'webSecurity'])('requires %s to be the literal true', (key) => {
    const id = webPrefCheckId(key);
    expect(fileIds(windowWith(SAFE_PREFS.replace(`${key}: true`, `${key}: false`)))).toEqual([id]);
    expect(fileIds(windowWith(SAFE_PREFS.replace(`${key}: true`, `${key}: !0`)))).toEqual([id]);
    expect(fileIds(windowWith(SAFE_PREFS.replace(`${key}: true`, `${key}: isSafe`)))).toEqual([id]);
    expect(fileIds(windowWith(SAFE_PREFS.replace(`${key}: true,`, '')))).toEqual([id]);
  });

  it.each(['nodeIntegration', 'nodeIntegrationInWorker', 'nodeIntegrationInSubFrames', 'webviewTag', 'allowRunningInsecureContent', 'experimentalFeatures'])(
    'requires %s to be the literal false',
    (key) => {
      const id = webPrefCheckId(key);
      const sandboxed = key.startsWith('nodeIntegration') ? ['SANDBOX_BESIDE_NODE_INTEGRATION'] : [];
      expect(fileIds(windowWith(SAFE_PREFS.replace(`${key}: false`, `${key}: true`))).sort()).toEqual([...sandboxed, id].sort());
      expect(fileIds(windowWith(SAFE_PREFS.replace(`${key}: false`, `${key}: dev`))).sort()).toEqual([...sandboxed, id].sort());
      expect(fileIds(windowWith(SAFE_PREFS.replace(`${key}: false,`, '')))).toEqual([id]);
    },
  );

  it('allows enableBlinkFeatures only absent or empty', () => {
    expect(fileIds(windowWith(withPref("enableBlinkFeatures: 'CSSVariables'")))).toEqual(['WEBPREF_ENABLE_BLINK_FEATURES']);
    expect(fileIds(windowWith(withPref('enableBlinkFeatures: features')))).toEqual(['WEBPREF_ENABLE_BLINK_FEATURES']);
  });

  it('fails sandbox beside nodeIntegration: true, which electronegativity forgives', () => {
    const found = fileIds(windowWith(SAFE_PREFS.replace('nodeIntegration: false', 'nodeIntegration: true')));
    expect(found).toContain('SANDBOX_BESIDE_NODE_INTEGRATION');
  });
});

describe('own checks: file:// loads', () => {
  it.each([
    ["win.loadFile('index.html')"],
    ["win.loadURL('file:///app/index.html')"],
    ['win.loadURL(`file://${dir}/index.html`)'],
    ["win.loadURL('file://' + dir)"],
    ['win.webContents.loadURL(pathToFileURL(index).href)'],
    ['win.loadURL(url.pathToFileURL(index).toString())'],
    ["const page = pathToFileURL(index).href;\nwin.loadURL(page)"],
  ])('fails %s', (code) => {
    expect(fileIds(code)).toEqual(['FILE_URL_LOAD']);
  });

  it('passes the app:// scheme and net.fetch of a file inside a protocol handler', () => {
    expect(fileIds("win.loadURL(`${APP_ORIGIN}/index.html`);\nwin.loadURL('app://pulse/');\nnet.fetch(pathToFileURL(file).href);")).toEqual([]);
  });
});

describe('own checks: shell.openExternal behind an allow-list', () => {
  it('fails an unchecked URL', () => {
    expect(fileIds('ipcMain.on("open", (_e, url) => shell.openExternal(url));')).toEqual(['OPEN_EXTERNAL_UNGUARDED']);
    expect(fileIds('function open(url) { if (busy(x)) return; shell.openExternal(url); }')).toEqual(['OPEN_EXTERNAL_UNGUARDED']);
    expect(fileIds('function open(url) { if (url) shell.openExternal(url); }')).toEqual(['OPEN_EXTERNAL_UNGUARDED']);
  });

  it('passes a call reached only through a test of its URL, or a constant', () => {
    expect(fileIds('function open(url) { const refusal = refuse(url); if (refusal) { log(refusal); return; } shell.openExternal(url); }')).toEqual([]);
    expect(fileIds('function open(url) { if (allowed(url)) shell.openExternal(url); }')).toEqual([]);
    expect(fileIds('const open = (url) => allowed(url) && shell.openExternal(url);')).toEqual([]);
    expect(fileIds("shell.openExternal('https://pulse.example/help');")).toEqual([]);
  });
});

describe('own checks: app-wide', () => {
  it('requires app.enableSandbox() in the main entry', () => {
    expect(ids("import { app } from 'electron';\napp.whenReady();", 'main.ts', 'main.ts')).toEqual(['APP_ENABLE_SANDBOX_MISSING']);
    expect(ids("import { app } from 'electron';\napp.enableSandbox();", 'main.ts', 'main.ts')).toEqual([]);
    expect(ids('', 'other.ts', 'main.ts')).toEqual(['APP_ENABLE_SANDBOX_MISSING']);
  });

  it('requires deny-by-default window-open and navigation handlers once a window exists', () => {
    const win = windowWith(SAFE_PREFS);
    expect(ids(win)).toEqual(['NAVIGATION_UNGUARDED']);
    expect(ids(`${win}\ncontents.setWindowOpenHandler(() => ({ action: 'allow' }));\ncontents.on('will-navigate', (e) => e.preventDefault());`)).toEqual(['NAVIGATION_UNGUARDED']);
    expect(ids(`${win}\ncontents.setWindowOpenHandler(() => ({ action: 'deny' }));\ncontents.on('will-navigate', () => {});`)).toEqual(['NAVIGATION_UNGUARDED']);
    expect(ids(`${win}${GUARDS}`)).toEqual([]);
  });

  it('refuses a privileged scheme that bypasses the CSP', () => {
    const scheme = (privileges: string) => `protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: ${privileges} }]);`;
    expect(fileIds(scheme('{ standard: true, secure: true, bypassCSP: true }'))).toEqual(['SCHEME_BYPASSES_CSP']);
    expect(fileIds(scheme('{ standard: true, secure: true, supportFetchAPI: true }'))).toEqual([]);
  });

  it('requires a CSP header on protocol.handle responses', () => {
    const handler = (headers: string) => `import { protocol } from 'electron';\nprotocol.handle('app', async (req) => new Response(body, { headers: ${headers} }));`;
    expect(fileIds(handler('{}'))).toEqual(['PROTOCOL_WITHOUT_CSP']);
    expect(fileIds(handler("{ 'Content-Security-Policy': CSP }"))).toEqual([]);
  });
});
