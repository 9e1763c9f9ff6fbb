// Kraken Spot REST: https://docs.kraken.com/api/docs/guides/spot-rest-intro
// (rate limits: https://docs.kraken.com/api/docs/guides/spot-rest-ratelimits)
/**
 * The private REST endpoint behind one circuit breaker (cockatiel). Every request is signed just
 * before it leaves (a fresh nonce each time, so a request sent again is signed again).
 *
 * Kraken answers most failures with HTTP 200 and an `error` list; those are mapped to the same
 * kinds as HTTP failures (see `classifyError`). Two ways to call:
 * - `call`: idempotent calls (queries, cancels, the stream token): retried on timeouts, network
 *   errors, 5xx, EService errors, rate limits and invalid nonces, with exponential backoff.
 * - `once`: order placement: one attempt, never retried here. The caller decides what an
 *   ambiguous failure (`VenueError.ambiguous`) means, by asking the venue.
 *
 * Rate limits close a gate, and no request of any kind leaves before it opens: HTTP 429 until its
 * Retry-After (1 s when absent), `E…:Rate limit exceeded` for `rateLimitPauseMs`,
 * `EService: Throttled: <unix time>` until that time, and
 * `EGeneral:Temporary lockout` for `lockoutPauseMs` (Kraken locks a key out for minutes, and more
 * requests only prolong it). Only ambiguous failures count against the breaker.
 */
import type { ResilienceSettings } from '../../../collectors/connection';
import { parseRetryAfter } from '../../../trading/live/rate-gate';
import { VenueTransport } from '../../../trading/live/venue-http';
import { classifyError, errorsOf, type ErrorClass } from './messages';
import { KrakenKey, NonceSource, encodeBody, type FormParams } from './sign';

export type VenueErrorKind =
  | 'timeout' // no answer in time: the venue may or may not have acted
  | 'network' // connection failed or dropped: likewise
  | 'server' // 5xx: likewise
  | 'bad-answer' // 2xx that is not Kraken's JSON: likewise
  | ErrorClass // Kraken's own `error` list (see messages.ts)
  | 'breaker' // circuit open: nothing was sent
  | 'stopped'; // the adapter is stopping: nothing more is sent

export class VenueError extends Error {
  constructor(
    message: string,
    readonly kind: VenueErrorKind,
    /** Kraken's error strings, e.g. ["EOrder:Insufficient funds"] (empty for HTTP-level failures) */
    readonly venueErrors: readonly string[] = [],
  ) {
    super(message);
    this.name = 'VenueError';
  }

  /** The request may have been acted on: only asking the venue can tell. */
  get ambiguous(): boolean {
    return this.kind === 'timeout' || this.kind === 'network' || this.kind === 'server' || this.kind === 'bad-answer' || this.kind === 'unavailable';
  }

  /** Not acted on, and worth sending again (after the gate opens). */
  get notProcessed(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'nonce';
  }

  /** The venue's words, for a report reason. */
  get venueReason(): string {
    return this.venueErrors.join('; ') || this.message;
  }
}

export interface HttpOptions {
  baseUrl: string;
  key: KrakenKey;
  resilience: ResilienceSettings;
  timeoutMs: number;
  /** attempts of a `call`, the first included */
  readAttempts: number;
  /** pause after `E…:Rate limit exceeded` (Kraken gives no Retry-After there) */
  rateLimitPauseMs: number;
  /** pause after `EGeneral:Temporary lockout` */
  lockoutPauseMs: number;
  now(): number;
  log(level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void;
}

const PRIVATE = '/0/private/';

export class KrakenHttp {
  private readonly transport: VenueTransport<VenueError>;
  private readonly base: URL;
  private readonly nonces: NonceSource;

  constructor(private readonly opts: HttpOptions) {
    this.base = new URL(opts.baseUrl);
    this.nonces = new NonceSource(opts.now);
    this.transport = new VenueTransport<VenueError>({
      name: 'kraken REST', resilience: opts.resilience, timeoutMs: opts.timeoutMs, readAttempts: opts.readAttempts, now: opts.now, log: opts.log,
      isVenueError: (e): e is VenueError => e instanceof VenueError,
      error: (message, kind) => new VenueError(message, kind),
      ambiguous: (e) => e.ambiguous,
      retryable: (e) => e.ambiguous || e.notProcessed,
    });
  }

  /** An idempotent private call (a query, a cancel, a token), retried (see top). */
  call<T = unknown>(method: string, params: FormParams = {}): Promise<T> {
    return this.transport.read(() => this.send(method, params));
  }

  /** One private request through the breaker, never retried. */
  once<T = unknown>(method: string, params: FormParams = {}): Promise<T> {
    return this.transport.once(() => this.send(method, params));
  }

  stop(): void {
    this.transport.stop();
  }

  private async send(method: string, params: FormParams): Promise<unknown> {
    await this.transport.ready(method);
    const uriPath = `${PRIVATE}${method}`;
    const url = new URL(uriPath, this.base);
    const nonce = this.nonces.next();
    const body = encodeBody(params, nonce);
    const { res, text } = await this.transport.fetch(url, {
      method: 'POST',
      headers: {
        ...this.opts.key.headers(uriPath, nonce, body),
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        accept: 'application/json',
        'user-agent': 'pulse-terminal',
      },
      body,
    }, method);
    if (res.status === 429) {
      // Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3); 1 s when absent or unreadable
      const waitMs = parseRetryAfter(res.headers.get('retry-after'), this.opts.now()) ?? 1000;
      this.transport.gate.closeFor(waitMs);
      this.opts.log('warn', `kraken REST: rate limited on ${method} (HTTP 429); no request before Retry-After (${waitMs} ms)`);
      throw new VenueError(`${method}: HTTP 429 rate limited`, 'rate-limited');
    }
    if (!res.ok) {
      const kind: VenueErrorKind = res.status >= 500 ? 'server' : res.status === 401 || res.status === 403 ? 'auth' : 'rejected';
      throw new VenueError(`${method}: HTTP ${res.status} ${text.trim().slice(0, 120)}`, kind);
    }
    let answer: { error?: unknown; result?: unknown };
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      throw new VenueError(`${method}: answer is not JSON: ${text.slice(0, 80)}`, 'bad-answer');
    }
    const errors = Array.isArray(answer?.error) ? errorsOf(answer.error.map(String)) : [];
    if (errors.length > 0) throw this.venueError(method, errors);
    if (answer === null || typeof answer !== 'object' || !('result' in answer)) throw new VenueError(`${method}: answer has no result`, 'bad-answer');
    return answer.result;
  }

  private venueError(method: string, errors: string[]): VenueError {
    const kind = classifyError(errors[0]!);
    const e = new VenueError(`${method}: ${errors.join(', ').slice(0, 200)}`, kind, errors);
    if (kind === 'rate-limited') {
      // "EService: Throttled: <unix seconds>": too many concurrent requests, try again after then
      const until = /Throttled:\s*(\d+)/.exec(errors[0]!);
      const pause = Math.max(this.opts.rateLimitPauseMs, until ? Number(until[1]) * 1000 - this.opts.now() : 0);
      this.transport.gate.closeFor(pause);
      this.opts.log('warn', `kraken REST: ${errors[0]} on ${method}; no request for ${pause} ms`);
    } else if (kind === 'lockout') {
      this.transport.gate.closeFor(this.opts.lockoutPauseMs);
      this.opts.log('error', `kraken REST: ${errors[0]} on ${method}; no request for ${this.opts.lockoutPauseMs} ms`);
    }
    return e;
  }
}
