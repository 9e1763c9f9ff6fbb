/**
 * The one contract between the renderer and whichever shell hosts it. The web shell implements
 * it over a WebSocket; the Electron shell over a MessagePort handed over by the preload. The
 * renderer knows only this file (and the codec), never src/main.
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

export interface AppInfo {
  app: string;
  version: string;
  shell: 'electron' | 'web';
  electron?: string;
  node: string;
  chrome?: string;
}

/** What the Electron preload exposes as `window.pulse`: named functions, nothing else. */
export interface PulsePreloadApi {
  readonly shell: 'electron';
  appInfo(): Promise<AppInfo>;
}

/** The window message the preload posts, with the engine port in `ports[0]`. */
export const PORT_MESSAGE = 'pulse:port';

/** Every Electron IPC channel, prefixed `pulse:`; main validates the sender of each. */
export const IPC = {
  /** main → preload: the engine's MessagePort (then forwarded to the page as PORT_MESSAGE) */
  port: 'pulse:port',
  /** renderer → main (invoke): AppInfo */
  appInfo: 'pulse:app-info',
} as const;

/** The Electron renderer's origin: the UI is served on this custom scheme, never file://. */
export const APP_ORIGIN = 'app://pulse';
