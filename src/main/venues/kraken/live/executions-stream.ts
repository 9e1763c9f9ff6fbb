// Kraken WebSocket v2, executions channel: https://docs.kraken.com/api/docs/websocket-v2/executions
// (authentication: https://docs.kraken.com/api/docs/guides/spot-ws-auth, token from REST GetWebSocketsToken)
/**
 * The private order stream: one connection to ws-auth, subscribed to `executions` with a fresh
 * token on every connect (a token only has to be valid when the subscription is made), asking for
 * the open orders and the last 50 fills as a snapshot (`snap_orders`, `snap_trades`). The shared
 * VenueConnection reconnects with backoff behind its breaker; Kraken's heartbeats (once a second
 * while subscribed) feed its watchdog. Every executions message carries `sequence`; a jump means a
 * message was lost, so the adapter reconciles over REST, as it does after every snapshot.
 */
import { VenueConnection, type ResilienceSettings } from '../../../collectors/connection';
import { ExecReport, WsMessage } from './messages';

/** Refused subscriptions in a row before the stream is given up (REST polling goes on). */
const MAX_REFUSALS = 3;

export interface ExecutionsHandlers {
  /** a fresh WebSocket token (REST GetWebSocketsToken) */
  token(): Promise<string>;
  /** true when the token was refused for good (the key is not accepted) */
  isAuthFailure(err: unknown): boolean;
  /** subscribed: open orders and recent fills as the venue has them now */
  onSnapshot(reports: ExecReport[]): void;
  onUpdate(reports: ExecReport[]): void;
  onDown(reason: string): void;
  /** a message was lost (or not understood) */
  onGap(why: string): void;
  log(level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void;
}

export class ExecutionsStream {
  private readonly conn: VenueConnection;
  private lastSeq = -1;
  private live = false;
  private refusals = 0;
  private gaveUp = false;
  private attempt = 0;

  constructor(url: string, settings: ResilienceSettings, private readonly h: ExecutionsHandlers) {
    this.conn = new VenueConnection('kraken executions', () => url, settings, {
      onOpen: (send) => {
        this.lastSeq = -1;
        void this.subscribe(send, ++this.attempt);
      },
      onMessage: (text) => this.onMessage(text),
      onDown: (reason) => {
        this.live = false;
        if (!this.gaveUp) h.onDown(reason);
      },
      onState: () => {}, // live means subscribed with a snapshot, not merely connected
      onReconnect: () => h.log('info', 'kraken executions stream: reconnecting'),
      log: (level, msg, fields) => h.log(level, msg, fields),
    });
  }

  get isLive(): boolean {
    return this.live;
  }

  start(): void {
    this.conn.start();
  }

  async stop(): Promise<void> {
    this.live = false;
    await this.conn.stop();
  }

  private async subscribe(send: (text: string) => void, attempt: number): Promise<void> {
    let token: string;
    try {
      token = await this.h.token();
    } catch (err) {
      if (attempt !== this.attempt || this.gaveUp) return;
      const what = `no WebSocket token (${(err as Error).message.slice(0, 160)})`;
      if (this.h.isAuthFailure(err)) return this.refused(what);
      this.h.log('warn', `kraken executions stream: ${what}; reconnecting`);
      this.conn.restart('no token');
      return;
    }
    if (attempt !== this.attempt) return;
    send(JSON.stringify({ method: 'subscribe', params: { channel: 'executions', token, snap_orders: true, snap_trades: true } }));
  }

  private refused(what: string): void {
    if (++this.refusals >= MAX_REFUSALS) {
      this.h.log('error', `kraken executions stream: ${what}; ${MAX_REFUSALS} times in a row, so the stream is given up and orders are followed by REST polling`);
      this.gaveUp = true;
      this.live = false;
      void this.conn.stop();
      this.h.onDown(what);
      return;
    }
    this.h.log('error', `kraken executions stream: ${what}; reconnecting`);
    this.conn.restart('subscription refused');
  }

  private onMessage(text: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.h.log('warn', 'kraken executions stream: message is not JSON; skipped');
      return;
    }
    const parsed = WsMessage.safeParse(raw);
    if (!parsed.success) return;
    const msg = parsed.data;
    if (msg.method === 'subscribe') {
      // {"method":"subscribe","success":false,"error":"…"}: without the channel we see nothing
      if (msg.success === false) this.refused(`subscription refused: ${(msg.error ?? 'no reason given').slice(0, 120)}`);
      return;
    }
    if (msg.channel !== 'executions') return; // heartbeat, status, pong
    if (msg.sequence !== undefined) {
      const gap = this.lastSeq >= 0 && msg.sequence > this.lastSeq + 1;
      if (msg.sequence > this.lastSeq) this.lastSeq = msg.sequence;
      if (gap && msg.type !== 'snapshot') this.h.onGap(`message lost (sequence jumped to ${msg.sequence})`);
    }
    const reports: ExecReport[] = [];
    let bad = 0;
    for (const d of msg.data ?? []) {
      const r = ExecReport.safeParse(d);
      if (r.success) reports.push(r.data);
      else bad++;
    }
    if (msg.type === 'snapshot') {
      this.refusals = 0;
      this.live = true;
      this.h.onSnapshot(reports);
    } else if (reports.length > 0) {
      this.h.onUpdate(reports);
    }
    if (bad > 0) this.h.onGap(`${bad} execution report(s) not understood`);
  }
}
