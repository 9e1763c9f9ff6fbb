// Coinbase Advanced Trade WebSocket, user channel: https://docs.cdp.coinbase.com/api-reference/advanced-trade-api/websocket/user
// (authentication of subscriptions: https://docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/websocket/websocket-authentication)
/**
 * The private order stream: one connection subscribed to `user` (authenticated: the subscribe
 * message carries a fresh JWT without `uri`) and `heartbeats` (so a quiet account still shows
 * signs of life to the watchdog). The shared VenueConnection reconnects with backoff behind its
 * breaker. `sequence_num` counts every message of a connection; a jump means a message was lost,
 * so the adapter reconciles over REST, as it does on every (re)connect.
 */
import { DEFAULT_RESILIENCE, VenueConnection, type ResilienceSettings } from '../../../collectors/connection';
import { WsMessage, type WsOrder } from './messages';
import { buildJwt, type CdpKey } from './sign';

const MAX_REFUSALS = 3;

export interface UserStreamHandlers {
  onOrders(orders: WsOrder[]): void;
  /** subscribed and live (first connect or reconnect): whatever happened before is to be reconciled */
  onLive(): void;
  onDown(reason: string): void;
  /** a message was lost */
  onGap(expected: number, got: number): void;
  log(level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void;
}

export class UserStream {
  private readonly conn: VenueConnection;
  private lastSeq = -1;
  private live = false;
  /** venue errors in a row without a user-channel message between them */
  private refusals = 0;
  private gaveUp = false;

  constructor(url: string, private readonly key: CdpKey, private readonly now: () => number, settings: ResilienceSettings | undefined, private readonly h: UserStreamHandlers) {
    this.conn = new VenueConnection('coinbase user stream', () => url, settings ?? DEFAULT_RESILIENCE, {
      onOpen: (send) => {
        this.lastSeq = -1;
        for (const channel of ['heartbeats', 'user']) send(JSON.stringify({ type: 'subscribe', channel, jwt: buildJwt({ key: this.key, nowMs: this.now() }) }));
      },
      onMessage: (text) => this.onMessage(text),
      onDown: (reason) => {
        this.live = false;
        if (!this.gaveUp) h.onDown(reason);
      },
      onState: (state) => {
        if (state === 'live' && !this.live) {
          this.live = true;
          h.onLive();
        }
      },
      onReconnect: () => h.log('info', 'coinbase user stream: reconnecting'),
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
    await this.conn.stop();
  }

  private onMessage(text: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.h.log('warn', 'coinbase user stream: message is not JSON; skipped');
      return;
    }
    const parsed = WsMessage.safeParse(raw);
    if (!parsed.success) {
      this.h.log('warn', 'coinbase user stream: message not understood; reconciling over REST');
      this.h.onGap(this.lastSeq + 1, this.lastSeq + 1);
      return;
    }
    const msg = parsed.data;
    if (msg.type === 'error') {
      // e.g. {"type":"error","message":"authentication failure"}: without the user channel we see nothing.
      const what = (msg.message ?? '').slice(0, 120);
      if (++this.refusals >= MAX_REFUSALS) {
        this.h.log('error', `coinbase user stream: venue error: ${what}; ${MAX_REFUSALS} times in a row, so the stream is given up and orders are followed by REST polling`);
        this.gaveUp = true;
        this.live = false;
        void this.conn.stop();
        this.h.onDown(`venue error: ${what}`);
        return;
      }
      this.h.log('error', `coinbase user stream: venue error: ${what}; reconnecting`);
      this.conn.restart('venue error');
      return;
    }
    if (msg.sequence_num !== undefined) {
      if (this.lastSeq >= 0 && msg.sequence_num > this.lastSeq + 1) this.h.onGap(this.lastSeq + 1, msg.sequence_num);
      if (msg.sequence_num > this.lastSeq) this.lastSeq = msg.sequence_num;
    }
    if (msg.channel !== 'user') return;
    this.refusals = 0;
    const orders: WsOrder[] = [];
    for (const e of msg.events ?? []) orders.push(...(e.orders ?? []));
    if (orders.length) this.h.onOrders(orders);
  }
}
