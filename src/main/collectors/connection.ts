/**
 * One venue connection, kept alive: connect behind a circuit breaker, reconnect with exponential
 * backoff and jitter (cockatiel), resubscribe on every connect, and treat silence longer than
 * the heartbeat timeout as a dead connection. Runs inside a collector worker; each venue feed
 * supplies only its URL, its subscribe messages and its message handler.
 *
 * A connection counts as healthy once its first message arrives: a venue that accepts the socket
 * and then says nothing is a failure, so the breaker opens after repeated silent connects and
 * stops hammering it.
 *
 * The loop runs over a small transport (a `Dialer`): a WebSocket (`VenueConnection`) or an HTTP
 * stream of newline-delimited JSON (`HttpStreamConnection`, ./http-stream.ts). A transport that
 * fails with `NonRetryableError` (a rejected credential) stops the loop: asking again won't help.
 */
import WebSocket from 'ws';
import { BrokenCircuitError, ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleAll, type IBackoff } from 'cockatiel';
import type { VenueStateName } from '../../shared/frames';

export interface ResilienceSettings {
  /** silence longer than this is a dead connection */
  heartbeatTimeoutMs: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** consecutive failed connects that open the breaker */
  breakerFailures: number;
  /** how long the breaker stays open before one trial connect */
  breakerHalfOpenMs: number;
  /** larger messages are refused by the socket (close code 1009) and the connection restarts */
  maxMessageBytes: number;
  /**
   * For venues with no application heartbeat (a quiet stream is legitimate): send a WebSocket
   * ping this often; pings and pongs then count as signs of life for the watchdog. 0 = off.
   */
  pingIntervalMs?: number;
}

export const DEFAULT_RESILIENCE: ResilienceSettings = {
  heartbeatTimeoutMs: 10_000,
  backoffInitialMs: 250,
  backoffMaxMs: 30_000,
  breakerFailures: 5,
  breakerHalfOpenMs: 30_000,
  maxMessageBytes: 4 * 1024 * 1024,
};

/** The reason `onDown` gets when a message over `maxMessageBytes` dropped the connection. */
export const OVERSIZE_REASON = 'message larger than the limit';

export interface ConnectionHandlers {
  /** the socket is open: send the subscriptions */
  onOpen(send: (text: string) => void): void;
  onMessage(text: string, recvMs: number): void;
  /** the connection is gone (or restarting): books it fed are no longer exact */
  onDown(reason: string): void;
  onState(state: VenueStateName, reason: string): void;
  onReconnect(): void;
  log(level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void;
}

/** A connect failure that retrying cannot fix (a rejected credential): the loop stops. */
export class NonRetryableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NonRetryableError';
  }
}

/** What a transport reports about one connection attempt. */
export interface LinkEvents {
  /** connected: subscriptions may be sent */
  onOpen(): void;
  onMessage(text: string): void;
  /** a message that is a sign of life but carries nothing for the venue (logged as `what`) */
  onIgnored(what: string): void;
  /** a transport-level sign of life (ping/pong); counts only while pinging */
  onAlive(): void;
  onError(err: Error): void;
  /** exactly once, with the reason in words */
  onClose(reason: string): void;
}

/** One connection attempt, as the loop drives it. */
export interface Link {
  send(text: string): void;
  /** drop now; `onClose` follows (with `reason` where the transport has no words of its own) */
  terminate(reason: string): void;
  ping?(): void;
}

export type Dialer = (events: LinkEvents) => Link;

class ConnectFailed extends Error {}

export class ReconnectingConnection {
  private link: Link | null = null;
  private running = false;
  private pinging = false;
  private watchdog: NodeJS.Timeout | undefined;
  private pinger: NodeJS.Timeout | undefined;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  readonly breaker;

  constructor(
    readonly name: string,
    private readonly dial: Dialer,
    private readonly settings: ResilienceSettings,
    private readonly handlers: ConnectionHandlers,
  ) {
    this.breaker = circuitBreaker(handleAll, {
      halfOpenAfter: settings.breakerHalfOpenMs,
      breaker: new ConsecutiveBreaker(settings.breakerFailures),
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.link?.terminate('stopped');
    this.wake?.();
    clearTimeout(this.watchdog);
    clearInterval(this.pinger);
    await this.loop;
  }

  send(text: string): void {
    this.link?.send(text);
  }

  /** Drop the connection and start over (resubscribe): a gap or bad checksum the venue can only fix with a new snapshot. */
  restart(reason: string): void {
    this.handlers.log('warn', `${this.name}: restarting connection: ${reason}`);
    this.link?.terminate(reason);
  }

  private async run(): Promise<void> {
    const backoff = new ExponentialBackoff({ initialDelay: this.settings.backoffInitialMs, maxDelay: this.settings.backoffMaxMs });
    let next: IBackoff<unknown> = backoff.next();
    let first = true;
    while (this.running) {
      if (!first) this.handlers.onReconnect();
      first = false;
      this.handlers.onState('connecting', '');
      let healthy = false;
      try {
        const { link, closed } = await this.breaker.execute(() => this.connectOnce());
        healthy = true;
        next = backoff.next();
        this.handlers.onState('live', '');
        this.startPinging(link);
        const reason = await closed;
        clearInterval(this.pinger);
        this.pinging = false;
        this.handlers.onDown(reason);
      } catch (err) {
        if (err instanceof BrokenCircuitError) {
          this.handlers.onState('breaker-open', `circuit open after ${this.settings.breakerFailures} failed connects`);
          this.handlers.log('warn', `${this.name}: circuit breaker open; next trial connect in ${this.settings.breakerHalfOpenMs} ms`);
          await this.sleep(this.settings.breakerHalfOpenMs);
          continue;
        }
        const reason = (err as Error).message;
        this.handlers.onDown(reason);
        if (err instanceof NonRetryableError) {
          this.running = false;
          this.handlers.log('error', `${this.name}: ${reason}; not retrying`);
          this.handlers.onState('stopped', reason);
          return;
        }
        this.handlers.onState('stale', reason);
        this.handlers.log('warn', `${this.name}: connect failed: ${reason}`);
      }
      if (!this.running) break;
      const delay = healthy ? this.settings.backoffInitialMs : next.duration;
      if (!healthy) next = next.next(undefined);
      await this.sleep(delay);
    }
    this.handlers.onState('stopped', '');
  }

  /**
   * Dials and resolves once the first message arrives (with a promise of the close reason);
   * rejects on error, close or silence first.
   */
  private connectOnce(): Promise<{ link: Link; closed: Promise<string> }> {
    return new Promise((resolve, reject) => {
      let phase: 'pending' | 'live' | 'failed' | 'closed' = 'pending';
      let link: Link | undefined;
      let closedWith!: (reason: string) => void;
      const closed = new Promise<string>((r) => (closedWith = r));
      const fail = (err: Error) => {
        if (phase !== 'pending') return;
        phase = 'failed';
        clearTimeout(timer);
        link?.terminate(err.message);
        reject(err);
      };
      const alive = (): boolean => {
        if (phase === 'pending') {
          phase = 'live';
          clearTimeout(timer);
          resolve({ link: link!, closed });
        }
        if (phase === 'live') this.feedWatchdog(link!);
        return phase === 'live';
      };
      const timer = setTimeout(() => fail(new ConnectFailed(`no message within ${this.settings.heartbeatTimeoutMs} ms of connecting`)), this.settings.heartbeatTimeoutMs);
      const events: LinkEvents = {
        onOpen: () => this.handlers.onOpen((text) => link?.send(text)),
        onMessage: (text) => {
          if (alive()) this.handlers.onMessage(text, Date.now());
        },
        onIgnored: (what) => {
          if (alive()) this.handlers.log('warn', `${this.name}: ${what}`);
        },
        onAlive: () => {
          if (this.pinging && phase === 'live') this.feedWatchdog(link!);
        },
        onError: (err) => {
          if (phase === 'pending') fail(err instanceof NonRetryableError ? err : new ConnectFailed(err.message));
          else if (phase === 'live') this.handlers.log('warn', `${this.name}: socket error: ${err.message}`);
        },
        onClose: (reason) => {
          if (phase === 'pending') return fail(new ConnectFailed(reason));
          if (phase !== 'live') return;
          phase = 'closed';
          clearTimeout(this.watchdog);
          closedWith(reason);
        },
      };
      try {
        link = this.dial(events);
      } catch (err) {
        phase = 'failed';
        clearTimeout(timer);
        return reject(err);
      }
      this.link = link;
      if (!this.running) fail(new ConnectFailed('stopped'));
    });
  }

  private startPinging(link: Link): void {
    const every = this.settings.pingIntervalMs ?? 0;
    if (every <= 0 || !link.ping) return;
    this.pinging = true;
    this.pinger = setInterval(() => link.ping!(), every);
  }

  private feedWatchdog(link: Link): void {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      this.handlers.log('warn', `${this.name}: silent for ${this.settings.heartbeatTimeoutMs} ms; reconnecting`);
      link.terminate(`silent for ${this.settings.heartbeatTimeoutMs} ms`);
    }, this.settings.heartbeatTimeoutMs);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}

/** A WebSocket as a transport; ws refuses messages over `maxMessageBytes` (an error, then a close). */
export function webSocketDialer(url: () => string, settings: ResilienceSettings): Dialer {
  return (events) => {
    const ws = new WebSocket(url(), { maxPayload: settings.maxMessageBytes, handshakeTimeout: settings.heartbeatTimeoutMs });
    let any = false;
    // ws reports an oversize message as an error (WS_ERR_UNSUPPORTED_MESSAGE_LENGTH) and a 1006 close
    let oversize = false;
    ws.on('open', () => events.onOpen());
    ws.on('message', (data, isBinary) => {
      any = true;
      if (isBinary) events.onIgnored('binary message ignored');
      else events.onMessage(data.toString());
    });
    ws.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') oversize = true;
      events.onError(err);
    });
    ws.on('close', (code, reason) => {
      if (oversize) return events.onClose(OVERSIZE_REASON);
      if (!any) return events.onClose(`closed with code ${code} before any message`);
      events.onClose(code === 1009 ? OVERSIZE_REASON : `closed with code ${code}${reason.length ? `: ${reason.toString()}` : ''}`);
    });
    ws.on('pong', () => events.onAlive());
    ws.on('ping', () => events.onAlive());
    return {
      send: (text) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(text);
      },
      terminate: () => ws.terminate(),
      ping: () => {
        if (ws.readyState === WebSocket.OPEN) ws.ping();
      },
    };
  };
}

/** A venue WebSocket kept alive (see the top of this file). */
export class VenueConnection extends ReconnectingConnection {
  constructor(name: string, url: () => string, settings: ResilienceSettings, handlers: ConnectionHandlers) {
    super(name, webSocketDialer(url, settings), settings, handlers);
  }
}
