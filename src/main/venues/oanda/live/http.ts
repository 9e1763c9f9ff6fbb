// OANDA v20 REST: https://developer.oanda.com/rest-live-v20/development-guide/ (rate limit: 120
// requests/s, "Excess requests will receive HTTP 429"), errors:
// https://developer.oanda.com/rest-live-v20/troubleshooting-errors/ ({errorCode?, errorMessage})
/**
 * The account's REST endpoint behind one circuit breaker (cockatiel), every request with the
 * bearer headers of ./sign.ts.
 *
 * - `read`: calls that are safe to repeat (queries, cancel by client id): retried on timeouts,
 *   network errors, 5xx and 429 with exponential backoff and jitter.
 * - `once`: order placement: one attempt, never retried here. The caller resolves an ambiguous
 *   failure (`VenueError.ambiguous`) by asking OANDA for the order by its client id.
 *
 * A 429 closes a gate until its Retry-After (seconds or an HTTP date; 1 s when absent): no request
 * of any kind leaves before then. 429s do not count against the breaker (OANDA is healthy, we are
 * too fast); timeouts, network errors and 5xx do. Error messages pass through the redactor.
 */
import type { ResilienceSettings } from '../../../collectors/connection';
import { parseRetryAfter } from '../../../trading/live/rate-gate';
import { VenueTransport, parseJson } from '../../../trading/live/venue-http';
import { oandaHeaders } from './sign';

export const TOKEN_REJECTED = 'OANDA rejected the token';

export type VenueErrorKind =
  | 'timeout' // no answer in time: OANDA may or may not have acted
  | 'network' // connection failed or dropped: likewise
  | 'server' // 5xx: likewise
  | 'bad-answer' // 2xx that is not JSON: likewise
  | 'rate-limited' // 429: not processed
  | 'auth' // 401/403: not processed
  | 'not-found' // 404 (an unknown order, or an order OANDA refused to act on: see `body`)
  | 'rejected' // other 4xx: not processed
  | 'breaker' // circuit open: nothing was sent
  | 'stopped'; // the adapter is stopping: nothing more is sent

export class VenueError extends Error {
  constructor(
    message: string,
    readonly kind: VenueErrorKind,
    readonly status: number | null = null,
    /** the parsed error body (OANDA puts reject transactions in it), when it was JSON */
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = 'VenueError';
  }

  /** The request may have been acted on: only asking OANDA can tell. */
  get ambiguous(): boolean {
    return this.kind === 'timeout' || this.kind === 'network' || this.kind === 'server' || this.kind === 'bad-answer';
  }

  get retryable(): boolean {
    return this.ambiguous || this.kind === 'rate-limited';
  }
}

export interface HttpOptions {
  baseUrl: string;
  token: string;
  resilience: ResilienceSettings;
  timeoutMs: number;
  /** attempts of a `read`, the first included */
  readAttempts: number;
  now(): number;
  redact(text: string): string;
  log(level: 'info' | 'warn' | 'error', msg: string): void;
}

type Method = 'GET' | 'POST' | 'PUT';
type Query = Record<string, string | number | undefined>;
interface Call { query?: Query; body?: unknown }

export class OandaHttp {
  private readonly transport: VenueTransport<VenueError>;
  private readonly base: URL;

  constructor(private readonly opts: HttpOptions) {
    this.base = new URL(opts.baseUrl);
    this.transport = new VenueTransport<VenueError>({
      name: 'oanda REST', resilience: opts.resilience, timeoutMs: opts.timeoutMs, readAttempts: opts.readAttempts, now: opts.now, log: opts.log,
      isVenueError: (e): e is VenueError => e instanceof VenueError,
      error: (message, kind, status) => new VenueError(opts.redact(message), kind, status ?? null),
      ambiguous: (e) => e.ambiguous,
      retryable: (e) => e.retryable,
    });
  }

  /** A call that is safe to repeat, retried (see top). */
  read<T = unknown>(method: Method, path: string, call: Call = {}): Promise<T> {
    return this.transport.read(() => this.send(method, path, call));
  }

  /** One attempt through the breaker, never retried. */
  once<T = unknown>(method: Method, path: string, call: Call = {}): Promise<T> {
    return this.transport.once(() => this.send(method, path, call));
  }

  stop(): void {
    this.transport.stop();
  }

  private async send(method: Method, path: string, { query, body }: Call): Promise<unknown> {
    await this.transport.ready(`${method} ${path}`);
    const url = new URL(path, this.base);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const what = `${method} ${url.pathname}`;
    const { res, text } = await this.transport.fetch(url, {
      method,
      headers: oandaHeaders(this.opts.token),
      body: body === undefined ? undefined : JSON.stringify(body),
    }, what);
    const json = parseJson(text);
    if (res.status === 429) {
      const waitMs = retryAfterMs(res.headers.get('retry-after'), this.opts.now());
      this.transport.gate.closeFor(waitMs);
      this.opts.log('warn', `oanda REST: rate limited on ${what}; no request before Retry-After (${waitMs} ms)`);
      throw new VenueError(`${what}: HTTP 429 rate limited`, 'rate-limited', 429, json);
    }
    if (res.status === 401) throw new VenueError(`${TOKEN_REJECTED} (HTTP 401 on ${what})`, 'auth', 401, json);
    if (res.status === 403) {
      // "Invalid AccountID ... The provided request was forbidden." (troubleshooting page)
      throw new VenueError(this.opts.redact(`OANDA refused the request (HTTP 403 on ${what}): ${summary(json, text)}`), 'auth', 403, json);
    }
    if (!res.ok) {
      const kind: VenueErrorKind = res.status >= 500 ? 'server' : res.status === 404 ? 'not-found' : 'rejected';
      throw new VenueError(this.opts.redact(`${what}: HTTP ${res.status} ${summary(json, text)}`), kind, res.status, json);
    }
    if (json === undefined) throw new VenueError(`${what}: answer is not JSON: ${this.opts.redact(text.slice(0, 80))}`, 'bad-answer', res.status);
    return json;
  }
}

/** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3); 1 s when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number {
  return parseRetryAfter(header, nowMs) ?? 1000;
}

/** OANDA's error body in a few words: `errorCode: errorMessage`, or the start of the text. */
export function errorSummary(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const { errorCode, errorMessage } = body as { errorCode?: unknown; errorMessage?: unknown };
  const parts = [errorCode, errorMessage].filter((p): p is string => typeof p === 'string' && p.length > 0);
  return parts.length ? parts.join(': ').slice(0, 200) : null;
}

function summary(json: unknown, text: string): string {
  return errorSummary(json) ?? text.trim().slice(0, 200);
}
