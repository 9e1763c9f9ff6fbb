import { PortTransport } from './port-transport';
import type { TerminalTransport } from './terminal-transport';
import { WebTransport } from './web-transport';

/** The Electron port when the preload announced itself, else the web shell's WebSocket. */
export function pickTransport(): TerminalTransport {
  return window.pulse?.shell === 'electron' ? new PortTransport() : new WebTransport();
}
