import type { WebSocket } from 'ws';
import type { ControlMessage } from '../../shared/protocol';
import type { ClientLink } from '../publisher/client-link';

/** A renderer over a WebSocket: frames as binary messages, control as text. */
export class WsLink implements ClientLink {
  constructor(private readonly ws: WebSocket) {}

  sendFrame(frame: ArrayBuffer): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(frame, { binary: true });
  }

  sendControl(message: ControlMessage): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(message));
  }

  backlog(): number {
    return this.ws.bufferedAmount;
  }

  close(code = 1000, reason = ''): void {
    this.ws.close(code, reason);
  }
}
