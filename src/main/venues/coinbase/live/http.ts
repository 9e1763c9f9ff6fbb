// Coinbase Advanced Trade REST: https://docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/rest-api
// (rate limits: https://docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/rate-limits)
/**
 * The private REST endpoint behind one circuit breaker (cockatiel). Every request is signed
 * just before it leaves (a fresh JWT per request, `uri` = this request's method, host and path).
 *
 * Two ways to call:
 * - `call`: idempotent calls (queries, cancels): retried on timeouts, network errors, 5xx and
 *   429 with exponential backoff and jitter.
 * - `once`: order placement: one attempt, never retried here. The caller decides what an
 *   ambiguous failure (`VenueError.ambiguous`) means, by asking the venue.
 *
 * A 429 closes a gate until its Retry-After (seconds or an HTTP date; 1 s when absent): no
 * request of any kind leaves before then. 429s do not count against the breaker (the venue is
 * healthy, we are too fast); timeouts, network errors and 5xx do.
 */
import type { ResilienceSettings } from '../../../collectors/connection';
import { parseRetryAfter } from '../../../trading/live/rate-gate';
import { VenueTransport } from '../../../trading/live/venue-http';
import { buildJwt, jwtUri, type CdpKey } from './sign';

export type VenueErrorKind =
  | 'timeout' // no answer in time: the venue may or may not have acted
  | 'network' // connection failed or dropped: likewise
  | 'server' // 5xx: likewise
  | 'bad-answer' // 2xx that is not JSON: likewise
  | 'rate-limited' // 429: not processed
  | 'auth' // 401/403: not processed
  | 'not-found' // 404
  | 'rejected' // other 4xx: not processed
  | 'breaker' // circuit open: nothing was sent
  | 'stopped'; // the adapter is stopping: nothing more is sent

export class VenueError extends Error {
  constructor(
    message: string,
    readonly kind: VenueErrorKind,
    readonly status: number | null = null,
    /** the venue's `error` code, when it gave one */
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'VenueError';
  }

  /** The request may have been acted on: only asking the venue can tell. */
  get ambiguous(): boolean {
    return this.kind === 'timeout' || this.kind === 'network' || this.kind === 'server' || this.kind === 'bad-answer';
  }

  get retryable(): boolean {
    return this.ambiguous || this.kind === 'rate-limited';
  }
}

export interface HttpOptions {
  baseUrl: string;
  key: CdpKey;
  resilience: ResilienceSettings;
  timeoutMs: number;
  /** attempts of a `call`, the first included */
  readAttempts: number;
  now(): number;
  log(level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void;
}

type Method = 'GET' | 'POST';
type Query = Record<string, string | number | readonly string[] | undefined>;

export class CoinbaseHttp {
  private readonly transport: VenueTransport<VenueError>;
  private readonly host: string;
  private readonly base: URL;

  constructor(private readonly opts: HttpOptions) {
    this.base = new URL(opts.baseUrl);
    this.host = this.base.host;
    this.transport = new VenueTransport<VenueError>({
      name: 'coinbase REST', resilience: opts.resilience, timeoutMs: opts.timeoutMs, readAttempts: opts.readAttempts, now: opts.now, log: opts.log,
      isVenueError: (e): e is VenueError => e instanceof VenueError,
      error: (message, kind, status) => new VenueError(message, kind, status ?? null),
      ambiguous: (e) => e.ambiguous,
      retryable: (e) => e.retryable,
    });
  }

  /** An idempotent call (a query, a cancel), retried (see top). */
  call<T = unknown>(method: Method, path: string, opts: { query?: Query; body?: unknown } = {}): Promise<T> {
    return this.transport.read(() => this.send(method, path, opts));
  }

  /** One attempt through the breaker, never retried. */
  once<T = unknown>(method: Method, path: string, opts: { query?: Query; body?: unknown } = {}): Promise<T> {
    return this.transport.once(() => this.send(method, path, opts));
  }

  stop(): void {
    this.transport.stop();
  }

  private async send(method: Method, path: string, { query, body }: { query?: Query; body?: unknown }): Promise<unknown> {
    await this.transport.ready(`${method} ${path}`);
    const url = new URL(path, this.base);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, item);
      else url.searchParams.set(k, String(v));
    }
    const jwt = buildJwt({ key: this.opts.key, nowMs: this.opts.now(), uri: jwtUri(method, this.host, url.pathname) });
    const what = `${method} ${url.pathname}`;
    const { res, text } = await this.transport.fetch(url, {
      method,
      headers: { authorization: `Bearer ${jwt}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }, what);
    if (res.status === 429) {
      // Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3); 1 s when absent or unreadable
      const waitMs = parseRetryAfter(res.headers.get('retry-after'), this.opts.now()) ?? 1000;
      this.transport.gate.closeFor(waitMs);
      this.opts.log('warn', `coinbase REST: rate limited on ${what}; no request before Retry-After (${waitMs} ms)`);
      throw new VenueError(`${what}: HTTP 429 rate limited`, 'rate-limited', 429, errorCode(text));
    }
    if (!res.ok) {
      const kind: VenueErrorKind = res.status >= 500 ? 'server' : res.status === 401 || res.status === 403 ? 'auth' : res.status === 404 ? 'not-found' : 'rejected';
      throw new VenueError(`${what}: HTTP ${res.status} ${summary(text)}`, kind, res.status, errorCode(text));
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new VenueError(`${what}: answer is not JSON: ${text.slice(0, 80)}`, 'bad-answer', res.status);
    }
  }
}


function errorCode(text: string): string | null {
  try {
    const j = JSON.parse(text) as { error?: unknown };
    return typeof j.error === 'string' ? j.error : null;
  } catch {
    return null;
  }
}

/** The venue's error body in a few words: `{error, message}` or the text itself. */
function summary(text: string): string {
  try {
    const j = JSON.parse(text) as { error?: unknown; message?: unknown };
    const parts = [j.error, j.message].filter((p) => typeof p === 'string' && p.length > 0);
    if (parts.length) return parts.join(': ').slice(0, 200);
  } catch {
    /* not JSON: Coinbase answers 401 with a plain "Unauthorized" */
  }
  return text.trim().slice(0, 200);
}
