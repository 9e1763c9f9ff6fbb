// Binance.US REST: https://github.com/binance-us/binance-us-api-docs/blob/master/rest-api.md#general-api-information
// (limits: #limits; error codes: https://github.com/binance-us/binance-us-api-docs/blob/master/errors.md)
/**
 * The private REST endpoint behind one circuit breaker (cockatiel). SIGNED calls carry
 * recvWindow + timestamp + signature (./sign.ts) and the key in `X-MBX-APIKEY`; USER_STREAM calls
 * carry the key only. GET/DELETE send their parameters in the query string, POST/PUT in a form
 * body (both documented; the body keeps signed order text out of URLs).
 *
 * Two ways to call:
 * - `read`: idempotent calls (queries, cancels, listen keys): retried on timeouts, network errors,
 *   5xx and 429/418 with exponential backoff and jitter.
 * - `once`: order placement: one attempt, never retried here. A timeout, a cut connection, a 5xx
 *   or Binance's -1006/-1007 ("execution status unknown") leaves the outcome unknown
 *   (`VenueError.ambiguous`): the caller asks the venue before doing anything else.
 *
 * 429 and 418 close a gate until their Retry-After (seconds; a 418's "banned until <ms>" when it
 * is later): no request of any kind leaves before then. They do not count against the breaker;
 * timeouts, network errors and 5xx do. A -1021 (timestamp outside recvWindow) was not processed:
 * the clock offset is measured against GET /api/v3/time and the request is signed and sent once
 * more with a corrected timestamp.
 *
 * Nothing thrown or logged here carries the key, the secret, a signature or a listen key: errors
 * name the method and path (never the query) and the venue's code and message.
 */
import type { ResilienceSettings } from '../../../collectors/connection';
import { parseRetryAfter } from '../../../trading/live/rate-gate';
import { VenueTransport, parseJson } from '../../../trading/live/venue-http';
import { bannedUntil } from '../messages';
import { ErrorBody, ServerTime } from './messages';
import { encodeParams, signedParams, signer, type Params, type Signer } from './sign';

export type VenueErrorKind =
  | 'timeout' // no answer in time: the venue may or may not have acted
  | 'network' // connection failed or dropped: likewise
  | 'server' // 5xx, or -1006/-1007: likewise
  | 'bad-answer' // 2xx that is not JSON: likewise
  | 'rate-limited' // 429: not processed
  | 'banned' // 418: not processed
  | 'auth' // key, signature or permission refused: not processed
  | 'clock' // -1021 even after the clock was measured again: not processed
  | 'not-found' // -2013 no such order, -2011 "Unknown order sent.", -2026 archived
  | 'rejected' // other 4xx with the venue's reason: not processed
  | 'breaker' // circuit open: nothing was sent
  | 'stopped'; // the adapter is stopping: nothing more is sent

export class VenueError extends Error {
  constructor(
    message: string,
    readonly kind: VenueErrorKind,
    readonly status: number | null = null,
    /** Binance's error code (-2010, …) when the answer had one */
    readonly code: number | null = null,
    /** Binance's `msg`, e.g. "Account has insufficient balance for requested action." */
    readonly venueMsg: string | null = null,
  ) {
    super(message);
    this.name = 'VenueError';
  }

  /** The request may have been acted on: only asking the venue can tell. */
  get ambiguous(): boolean {
    return this.kind === 'timeout' || this.kind === 'network' || this.kind === 'server' || this.kind === 'bad-answer';
  }

  get retryable(): boolean {
    return this.ambiguous || this.kind === 'rate-limited' || this.kind === 'banned';
  }

  /** The venue's words for a refusal: "<msg> (Binance.US <code>)". */
  get reason(): string {
    return this.venueMsg !== null ? `${this.venueMsg} (Binance.US ${this.code})` : this.message;
  }
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
/** SIGNED (TRADE, USER_DATA), key only (USER_STREAM), or public */
export type Auth = 'signed' | 'key' | 'none';

export interface CallOptions {
  params?: Params;
  auth?: Auth;
  /** told the timestamp a signed request carries, just before it is sent */
  sent?: (timestamp: number) => void;
}

export interface HttpOptions {
  baseUrl: string;
  apiKey: string;
  secret: string;
  resilience: ResilienceSettings;
  timeoutMs: number;
  /** attempts of a `read`, the first included */
  readAttempts: number;
  recvWindowMs: number;
  /** gate after a 429 that has no Retry-After (Binance's order-count limit sends none) */
  defaultRetryAfterMs: number;
  now(): number;
  log(level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void;
}

export class BinanceUsHttp {
  private readonly transport: VenueTransport<VenueError>;
  private readonly base: URL;
  private readonly sign: Signer;
  readonly #apiKey: string;
  readonly #secret: string;
  /** server time − local time, measured after a -1021 */
  private offsetMs = 0;

  constructor(private readonly opts: HttpOptions) {
    if (!opts.apiKey) throw new Error('binanceus: the credential "apiKey" is empty');
    this.base = new URL(opts.baseUrl);
    this.sign = signer(opts.secret);
    this.#apiKey = opts.apiKey;
    this.#secret = opts.secret;
    this.transport = new VenueTransport<VenueError>({
      name: 'binanceus REST', resilience: opts.resilience, timeoutMs: opts.timeoutMs, readAttempts: opts.readAttempts, now: opts.now, log: opts.log,
      isVenueError: (e): e is VenueError => e instanceof VenueError,
      error: (message, kind, status) => new VenueError(message, kind, status ?? null),
      ambiguous: (e) => e.ambiguous,
      retryable: (e) => e.retryable,
    });
    // the opts object keeps no credential after this point
    opts.apiKey = '';
    opts.secret = '';
  }

  /** The venue's clock as best known (local clock + measured offset). */
  serverNow(): number {
    return this.opts.now() + this.offsetMs;
  }

  /** An idempotent call, retried (see top). */
  read<T = unknown>(method: Method, path: string, call: CallOptions = {}): Promise<T> {
    return this.transport.read(() => this.send(method, path, call, false));
  }

  /** One attempt through the breaker, never retried. */
  once<T = unknown>(method: Method, path: string, call: CallOptions = {}): Promise<T> {
    return this.transport.once(() => this.send(method, path, call, false));
  }

  stop(): void {
    this.transport.stop();
  }

  /** Replaces the key and secret wherever they occur in venue text (defence in depth: the venue never echoes them). */
  scrub(text: string): string {
    let out = text;
    for (const s of [this.#apiKey, this.#secret]) if (s.length >= 8) out = out.split(s).join('[redacted]');
    return out;
  }

  private async send(method: Method, path: string, call: CallOptions, clockRetried: boolean): Promise<unknown> {
    const what = `${method} ${path}`;
    await this.transport.ready(what);
    const auth = call.auth ?? 'signed';
    let text = encodeParams(call.params ?? []);
    if (auth === 'signed') {
      const timestamp = Math.round(this.serverNow());
      text = signedParams(call.params ?? [], this.sign, timestamp, this.opts.recvWindowMs);
      call.sent?.(timestamp);
    }
    const inBody = method === 'POST' || method === 'PUT';
    const url = new URL(path, this.base);
    if (!inBody && text) url.search = text;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (auth !== 'none') headers['X-MBX-APIKEY'] = this.#apiKey;
    if (inBody) headers['content-type'] = 'application/x-www-form-urlencoded';
    const { res, text: body } = await this.transport.fetch(url, { method, headers, body: inBody ? text : undefined }, what);
    if (res.ok) {
      try {
        return JSON.parse(body);
      } catch {
        throw new VenueError(`${what}: answer is not JSON: ${this.scrub(body.slice(0, 80))}`, 'bad-answer', res.status);
      }
    }
    const venue = ErrorBody.safeParse(parseJson(body));
    const code = venue.success ? venue.data.code : null;
    const msg = venue.success ? this.scrub(venue.data.msg).slice(0, 200) : null;
    const words = msg !== null ? `${code} ${msg}` : this.scrub(body.trim().slice(0, 120));
    if (res.status === 429 || res.status === 418) {
      const waitMs = this.limited(res.status, res.headers.get('retry-after'), msg ?? '');
      this.opts.log('warn', `binanceus REST: ${res.status === 418 ? 'IP banned' : 'rate limited'} on ${what} (${words}); no request before Retry-After (${waitMs} ms)`, { status: res.status });
      throw new VenueError(`${what}: HTTP ${res.status} ${words}`, res.status === 418 ? 'banned' : 'rate-limited', res.status, code, msg);
    }
    if (code === -1021 && !clockRetried) {
      await this.syncClock(what);
      return this.send(method, path, call, true);
    }
    throw new VenueError(`${what}: HTTP ${res.status} ${words}`, kindOf(res.status, code, msg), res.status, code, msg);
  }

  /** Closes the gate for Retry-After (or a ban's end); returns how long. */
  private limited(status: number, header: string | null, msg: string): number {
    const now = this.opts.now();
    let waitMs = parseRetryAfter(header, now) ?? this.opts.defaultRetryAfterMs;
    const until = bannedUntil(msg);
    if (status === 418 && Number.isFinite(until)) waitMs = Math.max(waitMs, until - this.serverNow());
    this.transport.gate.closeFor(waitMs);
    return waitMs;
  }

  /** Server time − local time, from GET /api/v3/time (midpoint of the round trip). */
  private async syncClock(what: string): Promise<void> {
    const t0 = this.opts.now();
    let serverTime: number;
    try {
      serverTime = ServerTime.parse(await this.send('GET', '/api/v3/time', { auth: 'none' }, true)).serverTime;
    } catch (err) {
      throw new VenueError(`${what}: timestamp outside recvWindow and the server time could not be read (${(err as Error).message})`, 'clock', 400, -1021);
    }
    const t1 = this.opts.now();
    const before = this.offsetMs;
    this.offsetMs = serverTime - (t0 + t1) / 2;
    this.opts.log('warn', `binanceus REST: ${what} refused for its timestamp (-1021); clock offset to the venue now ${Math.round(this.offsetMs)} ms (was ${Math.round(before)} ms); signing again`);
  }
}

function kindOf(status: number, code: number | null, msg: string | null): VenueErrorKind {
  if (code === -1006 || code === -1007) return 'server'; // "execution status unknown"
  if (status >= 500) return 'server';
  if (code === -1021) return 'clock';
  if (code === -2013 || code === -2026 || (code === -2011 && msg === 'Unknown order sent.')) return 'not-found';
  if (code === -1022 || code === -2014 || code === -2015 || code === -1002 || status === 401) return 'auth';
  return 'rejected';
}
