import type { LinkState, TransportHandlers } from '../../shared/bridge';
import type { ControlMessage } from '../../shared/protocol';
import type { OutgoingCommand, TerminalTransport } from './terminal-transport';
import { DEFAULT_BACKOFF, Subscriptions, backoffDelay, parseControl, type BackoffOptions } from './subscriptions';

/** The page's own /ws; a `?token=` on the page is passed on (a browser cannot set WebSocket headers). */
export function defaultWsUrl(): string {
  const token = new URLSearchParams(location.search).get('token');
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

/** The web shell's transport: one WebSocket, reconnecting with capped backoff, replaying subscriptions. */
export class WebTransport implements TerminalTransport {
  private ws: WebSocket | null = null;
  private handlers: TransportHandlers | null = null;
  private readonly subs = new Subscriptions();
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private state: LinkState | null = null;

  constructor(
    private readonly url: string = defaultWsUrl(),
    private readonly backoff: BackoffOptions = DEFAULT_BACKOFF,
  ) {}

  connect(handlers: TransportHandlers): void {
    this.handlers = handlers;
    this.closed = false;
    this.open();
  }

  send(command: OutgoingCommand): void {
    this.subs.note(command);
    const ws = this.ws;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(command));
    // Otherwise dropped: subscriptions are replayed on open, and books re-sync from that snapshot.
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, 'client closed');
    this.setState('closed');
  }

  private open(): void {
    if (this.closed) return;
    this.setState('connecting');
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.retry();
      return;
    }
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.attempt = 0;
      this.setState('open');
      for (const sub of this.subs.list()) ws.send(JSON.stringify(sub));
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (this.ws !== ws) return;
      const data: unknown = ev.data;
      if (data instanceof ArrayBuffer) this.handlers?.onFrame(data);
      else if (typeof data === 'string') {
        const msg = parseControl<ControlMessage>(data);
        if (msg) this.handlers?.onControl(msg);
      }
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.setState('closed');
      this.retry();
    };
    ws.onerror = () => {
      // onclose follows and schedules the retry.
    };
  }

  private retry(): void {
    if (this.closed || this.timer) return;
    const delay = backoffDelay(this.attempt++, this.backoff);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.open();
    }, delay);
  }

  private setState(state: LinkState): void {
    if (state === this.state) return;
    this.state = state;
    this.handlers?.onState(state);
  }
}
