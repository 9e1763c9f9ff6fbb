/**
 * The Electron shell: the only code that imports electron. It starts the same engine the web
 * shell runs, opens the window, and hands the renderer a MessagePort that carries the frames.
 */
import { app, MessageChannelMain, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { IPC, type AppInfo, type DesktopSettings } from '../../shared/bridge';
import { Engine } from '../engine';
import { parseCommandLine } from '../options';
import { findRendererDir } from '../serve/static-files';
import { PortLink } from './port-link';
import { flushLogs, setupLogging } from '../telemetry/log';
import { readShmTap, writeShmTap } from './desktop-settings';
import { registerIpc } from './ipc';
import { installMenu } from './menu';
import { lockDown, openExternalLink, registerAppScheme, serveRenderer } from './security';
import { createMainWindow } from './window';

registerAppScheme();
app.enableSandbox();

let engine: Engine | undefined;

/** A fresh port per page load: the old session ends with the old page. */
function connect(win: BrowserWindow, engine: Engine): void {
  let link: PortLink | undefined;
  win.webContents.on('did-finish-load', () => {
    link?.close();
    const { port1, port2 } = new MessageChannelMain();
    link = new PortLink(port1);
    const session = engine.attach(link);
    port1.on('message', (event) => {
      if (typeof event.data === 'string') session.handleText(event.data);
    });
    port1.on('close', () => session.close());
    port1.start();
    win.webContents.postMessage(IPC.port, null, [port2]);
  });
}

function ipcHandlers(engine: Engine, settingsPath: string) {
  const settings = (): DesktopSettings => {
    const shmTap = readShmTap(settingsPath);
    return { shmTap, path: settingsPath, restartNeeded: shmTap !== engine.config.shm.enabled };
  };
  return {
    [IPC.appInfo]: (): AppInfo => ({
      app: app.getName(),
      version: app.getVersion(),
      shell: 'electron',
      electron: process.versions.electron,
      node: process.versions.node,
      chrome: process.versions.chrome,
      settingsPath,
      packaged: app.isPackaged,
    }),
    [IPC.openExternal]: (url: string) => openExternalLink(url),
    [IPC.desktopSettings]: settings,
    [IPC.setShmTap]: (enabled: boolean) => {
      writeShmTap(settingsPath, enabled);
      return settings();
    },
  };
}

async function start(): Promise<void> {
  const argv = process.argv.slice(app.isPackaged ? 1 : 2).filter((a) => !a.startsWith('--inspect'));
  const settingsPath = join(app.getPath('userData'), 'pulse.json');
  const { config, configPath } = parseCommandLine(argv.filter((a) => a !== 'desktop'), { configFile: settingsPath });
  await setupLogging({ dataDir: config.dataDir });
  await app.whenReady();
  lockDown();
  installMenu();
  const rendererDir = findRendererDir();
  if (!rendererDir) throw new Error('the renderer is not built (run npm run build)');
  serveRenderer(rendererDir);
  engine = await Engine.start(config, { configPath });
  registerIpc(ipcHandlers(engine, settingsPath));
  connect(createMainWindow(), engine);
}

app.on('window-all-closed', () => {
  void (engine?.stop() ?? Promise.resolve()).finally(() => {
    flushLogs();
    app.quit();
  });
});

start().catch((err: unknown) => {
  console.error(`Pulse: ${(err as Error).message}`);
  app.exit(1);
});
