import type { MessagePortMain } from 'electron';
import type { ControlMessage } from '../../shared/protocol';
import type { ClientLink } from '../publisher/client-link';

/**
 * A renderer over a MessageChannelMain port: frames are posted as ArrayBuffers (they arrive in
 * the page as ArrayBuffers, never JSON), control messages as JSON strings.
 */
export class PortLink implements ClientLink {
  private open = true;

  constructor(private readonly port: MessagePortMain) {}

  sendFrame(frame: ArrayBuffer): void {
    if (this.open) this.port.postMessage(frame);
  }

  sendControl(message: ControlMessage): void {
    if (this.open) this.port.postMessage(JSON.stringify(message));
  }

  /** Electron queues port messages without telling us how much; the renderer keeps up or resyncs. */
  backlog(): number {
    return 0;
  }

  close(): void {
    this.open = false;
    this.port.close();
  }
}
