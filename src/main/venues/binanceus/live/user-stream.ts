// Binance.US user data stream: https://github.com/binance-us/binance-us-api-docs/blob/master/user-data-stream.md
/**
 * The private order stream. Each connection attempt first asks POST /api/v3/userDataStream for
 * the listen key (the venue answers the account's active key, extended by 60 minutes, or a new
 * one), then opens `<wsUrl>/ws/<listenKey>`. The shared reconnect loop (VenueConnection's, with
 * backoff behind a breaker) drives the attempts; a PUT every `keepaliveMs` (docs: about every 30
 * minutes) keeps the key valid. A `listenKeyExpired` event, or a keepalive the venue answers
 * -1125 ("This listenKey does not exist."), restarts the connection with a fresh key.
 *
 * The venue says nothing on connect and nothing while the account is quiet, so the connection
 * counts as live once the socket is open (the listen key was accepted for it) and WebSocket pings
 * (resilience.pingIntervalMs) feed the watchdog. Binance sends no sequence numbers and does not
 * replay: every (re)connect is followed by a REST reconciliation in the adapter.
 *
 * The listen key gives read access to the account's stream: it is never logged.
 */
import {
  NonRetryableError, ReconnectingConnection, webSocketDialer, type Dialer, type Link, type ResilienceSettings,
} from '../../../collectors/connection';
import { VenueError, type BinanceUsHttp } from './http';
import { ExecutionEvent, ListenKeyAnswer } from './messages';

const USER_DATA_STREAM = '/api/v3/userDataStream';
/** passed to the reconnect loop when the socket opens: the venue itself says nothing on connect */
const OPENED = '{"e":"pulse.opened"}';

export interface UserStreamHandlers {
  onExecution(ev: ExecutionEvent): void;
  /** connected (first time or again): whatever happened meanwhile is to be reconciled */
  onLive(): void;
  onDown(reason: string): void;
  /** an order event that could not be read: reconcile */
  onUnreadable(): void;
  log(level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void;
}

export class UserStream {
  private readonly conn: ReconnectingConnection;
  private listenKey: string | null = null;
  private live = false;
  private keepalive: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly http: BinanceUsHttp,
    private readonly wsUrl: string,
    private readonly settings: ResilienceSettings,
    private readonly keepaliveMs: number,
    private readonly h: UserStreamHandlers,
  ) {
    this.conn = new ReconnectingConnection('binanceus user stream', this.dialer(), settings, {
      onOpen: () => {},
      onMessage: (text) => this.onMessage(text),
      onDown: (reason) => {
        const was = this.live;
        this.live = false;
        if (was) h.onDown(reason);
      },
      onState: (state, reason) => {
        if (state === 'live' && !this.live) {
          this.live = true;
          h.onLive();
        } else if (state === 'stopped' && reason) {
          h.onDown(reason);
        }
      },
      onReconnect: () => h.log('info', 'binanceus user stream: reconnecting'),
      log: (level, msg, fields) => h.log(level, msg, fields),
    });
  }

  get isLive(): boolean {
    return this.live;
  }

  start(): void {
    this.conn.start();
    this.keepalive = setInterval(() => void this.keepAlive(), this.keepaliveMs);
    this.keepalive.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.keepalive);
    await this.conn.stop();
  }

  /** Drops the connection; the loop reconnects (with a fresh listen key) and the adapter reconciles. */
  restart(reason: string): void {
    this.conn.restart(reason);
  }

  /** A connection attempt: the listen key first (POST), then the socket. */
  private dialer(): Dialer {
    const ws = webSocketDialer(() => `${this.wsUrl.replace(/\/+$/, '')}/ws/${this.listenKey}`, this.settings);
    return (events) => {
      let inner: Link | null = null;
      let closed = false;
      const close = (reason: string) => {
        if (closed) return;
        closed = true;
        events.onClose(reason);
      };
      void this.http.once<unknown>('POST', USER_DATA_STREAM, { auth: 'key' }).then(
        (answer) => {
          if (closed) return;
          const parsed = ListenKeyAnswer.safeParse(answer);
          if (!parsed.success) {
            events.onError(new Error('POST /api/v3/userDataStream: answer has no listenKey'));
            return close('no listen key');
          }
          this.listenKey = parsed.data.listenKey;
          inner = ws({
            onOpen: () => {
              events.onOpen();
              events.onMessage(OPENED);
            },
            onMessage: (text) => events.onMessage(text),
            onIgnored: (what) => events.onIgnored(what),
            onAlive: () => events.onAlive(),
            onError: (err) => events.onError(err),
            onClose: (reason) => close(reason),
          });
        },
        (err: unknown) => {
          if (closed) return;
          const e = err as VenueError;
          // a refused key will not be accepted on the next attempt either
          events.onError(e instanceof VenueError && e.kind === 'auth' ? new NonRetryableError(`listen key refused: ${e.message}`) : (e as Error));
          close(`listen key not obtained: ${e.message}`);
        },
      );
      return {
        send: (text) => inner?.send(text),
        terminate: (reason) => {
          if (inner) inner.terminate(reason);
          else close(reason);
        },
        ping: () => inner?.ping?.(),
      };
    };
  }

  private async keepAlive(): Promise<void> {
    const key = this.listenKey;
    if (!key || this.stopped) return;
    try {
      await this.http.read('PUT', USER_DATA_STREAM, { auth: 'key', params: [['listenKey', key]] });
    } catch (err) {
      if (this.stopped || (err instanceof VenueError && err.kind === 'stopped')) return;
      const e = err as VenueError;
      if (e instanceof VenueError && e.code === -1125) {
        this.h.log('warn', 'binanceus user stream: the listen key is no longer valid; reconnecting with a new one');
        this.conn.restart('listen key no longer valid');
        return;
      }
      this.h.log('warn', `binanceus user stream: keepalive failed (${e.message}); trying again at the next interval`);
    }
  }

  private onMessage(text: string): void {
    if (text === OPENED) return;
    let raw: { e?: unknown };
    try {
      raw = JSON.parse(text) as { e?: unknown };
    } catch {
      this.h.log('warn', 'binanceus user stream: message is not JSON; reconciling over REST');
      this.h.onUnreadable();
      return;
    }
    switch (raw?.e) {
      case 'executionReport': {
        const ev = ExecutionEvent.safeParse(raw);
        if (ev.success) this.h.onExecution(ev.data);
        else {
          this.h.log('warn', `binanceus user stream: executionReport not understood (${ev.error.issues[0]?.path.join('.')}: ${ev.error.issues[0]?.message}); reconciling over REST`);
          this.h.onUnreadable();
        }
        return;
      }
      case 'listenKeyExpired':
        this.h.log('warn', 'binanceus user stream: listen key expired; reconnecting with a new one');
        this.conn.restart('listen key expired');
        return;
      default:
        // outboundAccountPosition, balanceUpdate, listStatus: balances and OCO lists, not followed here
        return;
    }
  }
}
