/**
 * One venue WebSocket, kept alive: connect behind a circuit breaker, reconnect with exponential
 * backoff and jitter (cockatiel), resubscribe on every connect, and treat silence longer than
 * the heartbeat timeout as a dead connection. Runs inside a collector worker; each venue feed
 * supplies only its URL, its subscribe messages and its message handler.
 *
 * A connection counts as healthy once its first message arrives: a venue that accepts the socket
 * and then says nothing is a failure, so the breaker opens after repeated silent connects and
 * stops hammering it.
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

class ConnectFailed extends Error {}

export class VenueConnection {
  private ws: WebSocket | null = null;
  private running = false;
  private watchdog: NodeJS.Timeout | undefined;
  private pinger: NodeJS.Timeout | undefined;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  readonly breaker;

  constructor(
    readonly name: string,
    private readonly url: () => string,
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
    this.ws?.terminate();
    this.wake?.();
    clearTimeout(this.watchdog);
    clearInterval(this.pinger);
    await this.loop;
  }

  send(text: string): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(text);
  }

  /** Drop the connection and start over (resubscribe): a gap or bad checksum the venue can only fix with a new snapshot. */
  restart(reason: string): void {
    this.handlers.log('warn', `${this.name}: restarting connection: ${reason}`);
    this.ws?.terminate();
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
        const ws = await this.breaker.execute(() => this.connectOnce());
        healthy = true;
        next = backoff.next();
        this.handlers.onState('live', '');
        this.startPinging(ws);
        const reason = await this.untilClosed(ws);
        clearInterval(this.pinger);
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

  /** Opens a socket and resolves once its first message arrives; rejects on error, close or silence first. */
  private connectOnce(): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url(), { maxPayload: this.settings.maxMessageBytes, handshakeTimeout: this.settings.heartbeatTimeoutMs });
      this.ws = ws;
      let settled = false;
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ws.terminate();
        reject(new ConnectFailed(why));
      };
      const timer = setTimeout(() => fail(`no message within ${this.settings.heartbeatTimeoutMs} ms of connecting`), this.settings.heartbeatTimeoutMs);
      ws.on('open', () => this.handlers.onOpen((text) => ws.send(text)));
      ws.on('message', (data, isBinary) => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          resolve(ws);
        }
        this.feedWatchdog(ws);
        if (isBinary) {
          this.handlers.log('warn', `${this.name}: binary message ignored`);
          return;
        }
        this.handlers.onMessage(data.toString(), Date.now());
      });
      ws.on('error', (err) => fail(err.message));
      ws.on('close', (code) => fail(`closed with code ${code} before any message`));
      if (!this.running) fail('stopped');
    });
  }

  private untilClosed(ws: WebSocket): Promise<string> {
    return new Promise((resolve) => {
      if (ws.readyState === WebSocket.CLOSED) return resolve('closed');
      ws.once('close', (code, reason) => {
        clearTimeout(this.watchdog);
        const why = code === 1009 ? 'message larger than the limit' : `closed with code ${code}${reason.length ? `: ${reason.toString()}` : ''}`;
        resolve(why);
      });
      ws.on('error', (err) => this.handlers.log('warn', `${this.name}: socket error: ${err.message}`));
    });
  }

  private startPinging(ws: WebSocket): void {
    const every = this.settings.pingIntervalMs ?? 0;
    if (every <= 0) return;
    ws.on('pong', () => this.feedWatchdog(ws));
    ws.on('ping', () => this.feedWatchdog(ws));
    this.pinger = setInterval(() => {
      if (ws.readyState === WebSocket.OPEN) ws.ping();
    }, every);
  }

  private feedWatchdog(ws: WebSocket): void {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      this.handlers.log('warn', `${this.name}: silent for ${this.settings.heartbeatTimeoutMs} ms; reconnecting`);
      ws.terminate();
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
