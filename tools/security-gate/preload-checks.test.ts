import { describe, expect, it } from 'vitest';
import { runOwnChecks } from './own-checks';

const HEADER = "import { contextBridge, ipcRenderer } from 'electron';\n";
const ids = (body: string) => runOwnChecks([{ file: 'preload.ts', text: HEADER + body }]).map((f) => f.check);
const expose = (api: string) => ids(`contextBridge.exposeInMainWorld('api', ${api});`);

describe('own checks: the preload exposes named functions only', () => {
  it('passes named functions on fixed channels, a wrapped listener and a forwarded port', () => {
    expect(
      ids(`
ipcRenderer.on('pulse:port', (event) => window.postMessage('pulse:port', origin, [...event.ports]));
const api = {
  appInfo: () => ipcRenderer.invoke('pulse:app-info'),
  open: (url: string) => ipcRenderer.invoke('pulse:open', url),
  onAbout: (callback: () => void) => {
    const listener = (_event: unknown, value: number) => callback(value);
    ipcRenderer.on('pulse:about', listener);
    return () => ipcRenderer.removeListener('pulse:about', listener);
  },
};
contextBridge.exposeInMainWorld('pulse', api);`),
    ).toEqual([]);
  });

  it.each([
    ['ipcRenderer itself', '{ ipcRenderer }'],
    ['ipcRenderer as the whole API', 'ipcRenderer'],
    ['a method as a value', '{ send: ipcRenderer.send }'],
    ['a bound method', '{ on: ipcRenderer.on.bind(ipcRenderer) }'],
    ['a spread of it', '{ ...ipcRenderer }'],
    ['electron.ipcRenderer', "{ ipc: require('electron').ipcRenderer }"],
  ])('fails exposing %s', (_, api) => {
    expect(expose(api)).toContain('PRELOAD_EXPOSES_IPC_RENDERER');
  });

  it('follows the exposed value through consts, function declarations and aliases', () => {
    expect(ids("const api = { sendSync: ipcRenderer.sendSync };\ncontextBridge.exposeInMainWorld('api', api);")).toEqual(['PRELOAD_EXPOSES_IPC_RENDERER']);
    expect(ids("function bridge() { return ipcRenderer; }\ncontextBridge.exposeInMainWorld('api', { bridge });")).toEqual(['PRELOAD_EXPOSES_IPC_RENDERER']);
    const aliased = "import { contextBridge as cb, ipcRenderer as ipc } from 'electron';\ncb.exposeInMainWorld('api', { invoke: ipc.invoke });";
    expect(runOwnChecks([{ file: 'preload.ts', text: aliased }]).map((f) => f.check)).toEqual(['PRELOAD_EXPOSES_IPC_RENDERER']);
    expect(ids("contextBridge.exposeInIsolatedWorld(1, 'api', { send: ipcRenderer.send });")).toEqual(['PRELOAD_EXPOSES_IPC_RENDERER']);
  });

  it('fails a channel chosen by the page', () => {
    expect(expose('{ invoke: (channel: string, ...args: unknown[]) => ipcRenderer.invoke(channel, ...args) }')).toEqual(['PRELOAD_PAGE_CHOSEN_CHANNEL']);
    expect(expose('{ send: (...args: unknown[]) => ipcRenderer.send(...args) }')).toEqual(['PRELOAD_PAGE_CHOSEN_CHANNEL']);
    expect(expose('{ send: (name: string) => ipcRenderer.send(`pulse:${name}`) }')).toEqual(['PRELOAD_PAGE_CHOSEN_CHANNEL']);
  });

  it('fails handing the IpcRendererEvent to page callbacks', () => {
    expect(expose("{ onUpdate: (cb: Cb) => ipcRenderer.on('pulse:update', cb) }")).toEqual(['PRELOAD_FORWARDS_IPC_EVENT']);
    expect(expose("{ onUpdate: (cb: Cb) => ipcRenderer.on('pulse:update', (event, data) => cb(event, data)) }")).toEqual(['PRELOAD_FORWARDS_IPC_EVENT']);
    expect(expose("{ onUpdate: (cb: Cb) => ipcRenderer.once('pulse:update', (...args) => cb(...args)) }")).toEqual(['PRELOAD_FORWARDS_IPC_EVENT']);
    expect(expose("{ onUpdate: (cb: Cb) => { const l = (e: unknown) => cb(e); ipcRenderer.on('pulse:update', l); } }")).toEqual(['PRELOAD_FORWARDS_IPC_EVENT']);
    expect(ids("ipcRenderer.on('pulse:port', (event) => window.postMessage(event, '*'));")).toEqual(['PRELOAD_FORWARDS_IPC_EVENT']);
    expect(expose("{ onUpdate: (cb: Cb) => ipcRenderer.on('pulse:update', (event) => cb(event.sender)) }")).toEqual(['PRELOAD_FORWARDS_IPC_EVENT']);
  });
});
