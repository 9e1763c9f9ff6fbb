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
import { BrokenCircuitError, ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleWhen, retry, wrap } from 'cockatiel';
import type { ResilienceSettings } from '../../../collectors/connection';
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

const countsAgainstBreaker = (e: unknown) => e instanceof VenueError && e.ambiguous;

export class CoinbaseHttp {
  readonly breaker;
  private readonly readPolicy;
  private readonly host: string;
  private readonly base: URL;
  private notBefore = 0;
  private readonly stopping = new AbortController();

  constructor(private readonly opts: HttpOptions) {
    this.base = new URL(opts.baseUrl);
    this.host = this.base.host;
    this.breaker = circuitBreaker(handleWhen(countsAgainstBreaker), {
      halfOpenAfter: opts.resilience.breakerHalfOpenMs,
      breaker: new ConsecutiveBreaker(opts.resilience.breakerFailures),
    });
    const retryPolicy = retry(handleWhen((e) => (e instanceof VenueError && e.retryable) || e instanceof BrokenCircuitError), {
      maxAttempts: Math.max(0, opts.readAttempts - 1),
      backoff: new ExponentialBackoff({ initialDelay: opts.resilience.backoffInitialMs, maxDelay: opts.resilience.backoffMaxMs }),
    });
    retryPolicy.onRetry((r) => {
      const why = 'error' in r ? (r.error as Error).message : 'unexpected result';
      opts.log('warn', `coinbase REST: retrying (attempt ${r.attempt + 1}): ${why}`);
    });
    this.readPolicy = wrap(retryPolicy, this.breaker);
  }

  /** An idempotent call (a query, a cancel), retried (see top). */
  async call<T = unknown>(method: Method, path: string, opts: { query?: Query; body?: unknown } = {}): Promise<T> {
    try {
      return (await this.readPolicy.execute(() => this.send(method, path, opts))) as T;
    } catch (err) {
      throw translate(err);
    }
  }

  /** One attempt through the breaker, never retried. */
  async once<T = unknown>(method: Method, path: string, opts: { query?: Query; body?: unknown } = {}): Promise<T> {
    try {
      return (await this.breaker.execute(() => this.send(method, path, opts))) as T;
    } catch (err) {
      throw translate(err);
    }
  }

  stop(): void {
    this.stopping.abort();
  }

  private async send(method: Method, path: string, { query, body }: { query?: Query; body?: unknown }): Promise<unknown> {
    await this.waitForGate();
    if (this.stopping.signal.aborted) throw new VenueError(`${method} ${path}: adapter stopped`, 'stopped');
    const url = new URL(path, this.base);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, item);
      else url.searchParams.set(k, String(v));
    }
    const jwt = buildJwt({ key: this.opts.key, nowMs: this.opts.now(), uri: jwtUri(method, this.host, url.pathname) });
    const what = `${method} ${url.pathname}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${jwt}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.any([AbortSignal.timeout(this.opts.timeoutMs), this.stopping.signal]),
      });
    } catch (err) {
      const e = err as Error;
      if (this.stopping.signal.aborted) throw new VenueError(`${what}: adapter stopped`, 'stopped');
      if (e.name === 'TimeoutError') throw new VenueError(`${what}: no answer within ${this.opts.timeoutMs} ms`, 'timeout');
      throw new VenueError(`${what}: ${causeOf(e)}`, 'network');
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new VenueError(`${what}: answer cut off: ${causeOf(err as Error)}`, 'network', res.status);
    }
    if (res.status === 429) {
      const waitMs = retryAfterMs(res.headers.get('retry-after'), this.opts.now());
      this.notBefore = Math.max(this.notBefore, this.opts.now() + waitMs);
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

  private async waitForGate(): Promise<void> {
    const wait = this.notBefore - this.opts.now();
    if (wait <= 0) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, wait);
      this.stopping.signal.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      }, { once: true });
    });
  }
}

function translate(err: unknown): VenueError {
  if (err instanceof VenueError) return err;
  if (err instanceof BrokenCircuitError) return new VenueError('coinbase REST circuit open after repeated failures; nothing sent', 'breaker');
  return new VenueError(String((err as Error)?.message ?? err), 'network');
}

/** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3); 1 s when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number {
  if (header) {
    const s = header.trim();
    if (/^\d+$/.test(s)) return Number(s) * 1000;
    const at = Date.parse(s);
    if (Number.isFinite(at)) return Math.max(0, at - nowMs);
  }
  return 1000;
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

function causeOf(e: Error): string {
  const cause = (e as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? e.message;
}
