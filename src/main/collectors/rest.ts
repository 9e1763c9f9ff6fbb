/**
 * A venue REST endpoint behind a circuit breaker, with retries on exponential backoff and
 * jitter (cockatiel). Network errors, timeouts, 429 and 5xx are retried; other 4xx are not
 * (asking again will not help). Used from collector workers for snapshots and metadata.
 */
import {
  BrokenCircuitError, ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleWhen, retry, wrap,
} from 'cockatiel';
import type { ResilienceSettings } from './connection';

export class RestError extends Error {
  constructor(message: string, readonly status: number | null, readonly retryable: boolean, readonly retryAfterMs: number | null = null) {
    super(message);
    this.name = 'RestError';
  }
}

const isRetryable = (err: unknown) => (err instanceof RestError ? err.retryable : !(err instanceof BrokenCircuitError));

const MAX_RETRY_AFTER_MS = 120_000;

/** Retry-After as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export interface RestOptions {
  /** attempts per call, the first included */
  maxAttempts?: number;
  timeoutMs?: number;
  headers?: Record<string, string>;
  onRetry?: (attempt: number, error: string) => void;
}

export class RestClient {
  readonly breaker;
  private readonly policy;
  private readonly timeoutMs: number;

  constructor(readonly name: string, readonly baseUrl: string, settings: ResilienceSettings, private readonly opts: RestOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.breaker = circuitBreaker(handleWhen(isRetryable), {
      halfOpenAfter: settings.breakerHalfOpenMs,
      breaker: new ConsecutiveBreaker(settings.breakerFailures),
    });
    const retryPolicy = retry(handleWhen((e) => isRetryable(e) || e instanceof BrokenCircuitError), {
      maxAttempts: (opts.maxAttempts ?? 8) - 1,
      backoff: new ExponentialBackoff({ initialDelay: settings.backoffInitialMs, maxDelay: settings.backoffMaxMs }),
    });
    retryPolicy.onRetry((r) => opts.onRetry?.(r.attempt, 'error' in r ? String((r.error as Error)?.message ?? r.error) : 'unexpected result'));
    this.policy = wrap(retryPolicy, this.breaker);
  }

  /** GET base + path (+ query) as JSON, through retries and the breaker. */
  getJson(path: string, query: Record<string, string | number> = {}): Promise<unknown> {
    const url = new URL(path, this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
    return this.policy.execute(() => this.once(url));
  }

  private async once(url: URL): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(url, { headers: { accept: 'application/json', ...this.opts.headers }, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      const e = err as Error;
      throw new RestError(`${this.name} GET ${url.pathname}: ${e.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : e.message}`, null, true);
    }
    const text = await res.text();
    if (!res.ok) {
      const retryable = res.status === 429 || res.status >= 500;
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now());
      // Honour Retry-After before the retry policy's own backoff: no request goes out earlier.
      if (retryable && retryAfterMs !== null) await new Promise((r) => setTimeout(r, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS)));
      throw new RestError(`${this.name} GET ${url.pathname}: HTTP ${res.status} ${text.slice(0, 200)}`, res.status, retryable, retryAfterMs);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new RestError(`${this.name} GET ${url.pathname}: answer is not JSON: ${text.slice(0, 80)}`, res.status, true);
    }
  }
}
