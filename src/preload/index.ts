/**
 * The preload exposes the typed contract and nothing else: named functions on window.pulse, and
 * the engine's MessagePort forwarded to the page. No raw ipcRenderer, no event objects.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IPC, PORT_MESSAGE, type AppInfo, type PulsePreloadApi } from '../shared/bridge';

ipcRenderer.on(IPC.port, (event) => {
  window.postMessage(PORT_MESSAGE, window.location.origin, [...event.ports]);
});

const api: PulsePreloadApi = {
  shell: 'electron',
  appInfo: () => ipcRenderer.invoke(IPC.appInfo) as Promise<AppInfo>,
};

contextBridge.exposeInMainWorld('pulse', api);
