import type { ControlMessage } from '../../shared/protocol';

/**
 * One renderer connection as the engine sees it, whatever carries it: a WebSocket in the web
 * shell, a MessagePort in Electron. Frames are binary; control messages are JSON text.
 */
export interface ClientLink {
  sendFrame(frame: ArrayBuffer): void;
  sendControl(message: ControlMessage): void;
  /** bytes queued and not yet written; past the publisher's limit a client is skipped, then resynced */
  backlog(): number;
  close(code?: number, reason?: string): void;
}
