/**
 * The preload exposes the typed contract and nothing else: named functions on window.pulse, and
 * the engine's MessagePort forwarded to the page. No raw ipcRenderer, no event objects; main
 * validates every argument (src/shared/ipc-contract.ts), so nothing is checked twice here.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IPC, PORT_MESSAGE, type AppInfo, type DesktopSettings, type ExternalLinkResult, type PulsePreloadApi } from '../shared/bridge';

// Hand the port over only once the page's scripts are listening, or it would be lost.
ipcRenderer.on(IPC.port, (event) => {
  const ports = [...event.ports];
  const post = () => window.postMessage(PORT_MESSAGE, window.location.origin, ports);
  if (document.readyState === 'loading') window.addEventListener('DOMContentLoaded', post, { once: true });
  else post();
});

const api: PulsePreloadApi = {
  shell: 'electron',
  appInfo: () => ipcRenderer.invoke(IPC.appInfo) as Promise<AppInfo>,
  openExternal: (url) => ipcRenderer.invoke(IPC.openExternal, url) as Promise<ExternalLinkResult>,
  desktopSettings: () => ipcRenderer.invoke(IPC.desktopSettings) as Promise<DesktopSettings>,
  setShmTap: (enabled) => ipcRenderer.invoke(IPC.setShmTap, enabled) as Promise<DesktopSettings>,
  onShowAbout: (callback) => {
    const listener = () => callback();
    ipcRenderer.on(IPC.showAbout, listener);
    return () => {
      ipcRenderer.removeListener(IPC.showAbout, listener);
    };
  },
};

contextBridge.exposeInMainWorld('pulse', api);
