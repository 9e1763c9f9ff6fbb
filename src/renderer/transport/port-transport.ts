import { PORT_MESSAGE, type LinkState, type TransportHandlers } from '../../shared/bridge';
import type { ControlMessage } from '../../shared/protocol';
import type { OutgoingCommand, TerminalTransport } from './terminal-transport';
import { Subscriptions, parseControl } from './subscriptions';

/**
 * The Electron shell's transport: the preload posts PORT_MESSAGE to the window with the engine's
 * MessagePort in ports[0]. ArrayBuffer messages are frames, strings are control JSON. A later
 * PORT_MESSAGE (engine restarted) replaces the port and replays the subscriptions.
 */
export class PortTransport implements TerminalTransport {
  private port: MessagePort | null = null;
  private handlers: TransportHandlers | null = null;
  private readonly subs = new Subscriptions();
  private state: LinkState | null = null;

  private readonly onWindowMessage = (ev: MessageEvent): void => {
    if (ev.data !== PORT_MESSAGE || ev.source !== window) return;
    const port = ev.ports[0];
    if (port) this.attach(port);
  };

  connect(handlers: TransportHandlers): void {
    this.handlers = handlers;
    this.setState('connecting');
    window.addEventListener('message', this.onWindowMessage);
  }

  send(command: OutgoingCommand): void {
    this.subs.note(command);
    this.port?.postMessage(JSON.stringify(command));
  }

  close(): void {
    window.removeEventListener('message', this.onWindowMessage);
    this.detach();
    this.setState('closed');
  }

  private attach(port: MessagePort): void {
    this.detach();
    this.port = port;
    port.onmessage = (ev: MessageEvent) => {
      if (this.port !== port) return;
      const data: unknown = ev.data;
      if (data instanceof ArrayBuffer) this.handlers?.onFrame(data);
      else if (typeof data === 'string') {
        const msg = parseControl<ControlMessage>(data);
        if (msg) this.handlers?.onControl(msg);
      }
    };
    // Chromium fires 'close' on an entangled port whose other end went away.
    port.addEventListener('close', () => {
      if (this.port !== port) return;
      this.port = null;
      this.setState('closed');
    });
    port.start();
    this.setState('open');
    for (const sub of this.subs.list()) port.postMessage(JSON.stringify(sub));
  }

  private detach(): void {
    const port = this.port;
    this.port = null;
    if (port) {
      port.onmessage = null;
      port.close();
    }
  }

  private setState(state: LinkState): void {
    if (state === this.state) return;
    this.state = state;
    this.handlers?.onState(state);
  }
}
