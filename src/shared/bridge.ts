/**
 * The one contract between the renderer and whichever shell hosts it. The web shell implements
 * it over a WebSocket; the Electron shell over a MessagePort handed over by the preload. The
 * renderer knows only this file (and the codec), never src/main.
 *
 * The preload imports this file at run time, and a sandboxed preload can load nothing but
 * `electron`: keep it free of runtime imports (types only). The zod schemas of the IPC payloads
 * live in ipc-contract.ts, which only the main process loads.
 */
import type { Command, ControlMessage } from './protocol';
import type { TradingCommand } from './trading';

export type LinkState = 'connecting' | 'open' | 'closed';

export interface TransportHandlers {
  /** one binary frame (frames.ts), already an ArrayBuffer; never JSON */
  onFrame(frame: ArrayBuffer): void;
  onControl(message: ControlMessage): void;
  onState(state: LinkState): void;
}

export interface PulseTransport {
  connect(handlers: TransportHandlers): void;
  send(command: Command | TradingCommand): void;
  close(): void;
}

/** What only the Electron shell knows (the engine reports the rest in AboutInfo). */
export interface AppInfo {
  app: string;
  version: string;
  shell: 'electron' | 'web';
  electron?: string;
  node: string;
  chrome?: string;
  /** the desktop settings file (a Pulse config file the shell reads at start) */
  settingsPath?: string;
  packaged?: boolean;
}

/** Desktop settings the window may change; they take effect at the next start. */
export interface DesktopSettings {
  /** the shared-memory market-data tap (config `shm.enabled`) */
  shmTap: boolean;
  /** the file they are kept in */
  path: string;
  /** true when the running engine was started with different settings */
  restartNeeded: boolean;
}

export type ExternalLinkResult = { opened: true } | { opened: false; reason: string };

/** What the Electron preload exposes as `window.pulse`: named functions, nothing else. */
export interface PulsePreloadApi {
  readonly shell: 'electron';
  appInfo(): Promise<AppInfo>;
  /** opens an https URL on the allow-list in the user's browser; anything else is refused */
  openExternal(url: string): Promise<ExternalLinkResult>;
  desktopSettings(): Promise<DesktopSettings>;
  setShmTap(enabled: boolean): Promise<DesktopSettings>;
  /** the app menu's "About Pulse"; returns the unsubscribe function. The callback gets no event object. */
  onShowAbout(callback: () => void): () => void;
}

/** The window message the preload posts, with the engine port in `ports[0]`. */
export const PORT_MESSAGE = 'pulse:port';

/** Every Electron IPC channel, prefixed `pulse:`; main validates the sender and payload of each. */
export const IPC = {
  /** main → preload: the engine's MessagePort (then forwarded to the page as PORT_MESSAGE) */
  port: 'pulse:port',
  /** main → renderer: show the About panel (app menu) */
  showAbout: 'pulse:show-about',
  /** renderer → main (invoke): AppInfo */
  appInfo: 'pulse:app-info',
  /** renderer → main (invoke): [url] → ExternalLinkResult */
  openExternal: 'pulse:open-external',
  /** renderer → main (invoke): DesktopSettings */
  desktopSettings: 'pulse:desktop-settings',
  /** renderer → main (invoke): [enabled] → DesktopSettings */
  setShmTap: 'pulse:set-shm-tap',
} as const;

/** The Electron renderer's origin: the UI is served on this custom scheme, never file://. */
export const APP_ORIGIN = 'app://pulse';
