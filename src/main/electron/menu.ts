import { app, BrowserWindow, Menu, type MenuItemConstructorOptions } from 'electron';
import { IPC } from '../../shared/bridge';

function showAbout(): void {
  const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  win?.webContents.send(IPC.showAbout);
}

/** Standard roles plus "About Pulse", which opens the renderer's About panel (not Electron's stock box). */
export function installMenu(): void {
  const about: MenuItemConstructorOptions = { label: 'About Pulse', click: showAbout };
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ label: app.name, submenu: [about, { type: 'separator' as const }, { role: 'hide' as const }, { role: 'quit' as const }] }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }, ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }])],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [about] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
