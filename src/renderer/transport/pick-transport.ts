import type { PulseTransport } from '../../shared/bridge';
import { PortTransport } from './port-transport';
import { WebTransport } from './web-transport';

/** The Electron port when the preload announced itself, else the web shell's WebSocket. */
export function pickTransport(): PulseTransport {
  return window.pulse?.shell === 'electron' ? new PortTransport() : new WebTransport();
}
