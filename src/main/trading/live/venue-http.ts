/**
 * The transport under every live adapter's REST client: one circuit breaker (cockatiel), two ways
 * to call, a rate gate shared by all calls, and fetch failures mapped onto the venue's error kinds.
 *
 * - `read`: calls that are safe to repeat (queries, cancels, tokens): retried on what the venue
 *   calls retryable, with exponential backoff and jitter, while the breaker allows.
 * - `once`: order placement: one attempt through the breaker, never retried here. The adapter
 *   decides what an ambiguous failure means, by asking the venue.
 *
 * The venue's client keeps its signing, its request shapes and how it reads an answer: it calls
 * `ready` (the gate, then the stop check) just before it signs, so that a nonce or timestamp is
 * fresh when the request leaves, then `fetch`.
 */
import { BrokenCircuitError, ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleWhen, retry, wrap } from 'cockatiel';
import type { ResilienceSettings } from '../../collectors/connection';
import { RateGate } from './rate-gate';

/** The failures the transport itself raises. */
export type TransportErrorKind = 'stopped' | 'timeout' | 'network' | 'breaker';

export interface VenueTransportOptions<E extends Error> {
  /** "coinbase REST", … at the start of log lines and messages */
  name: string;
  resilience: ResilienceSettings;
  timeoutMs: number;
  /** attempts of a `read`, the first included */
  readAttempts: number;
  now(): number;
  log(level: 'warn', msg: string): void;
  /** the venue's error type */
  isVenueError(err: unknown): err is E;
  error(message: string, kind: TransportErrorKind, status?: number): E;
  /** the request may have been acted on: counts against the breaker */
  ambiguous(e: E): boolean;
  /** worth sending again in a `read` */
  retryable(e: E): boolean;
}

export class VenueTransport<E extends Error> {
  readonly breaker;
  readonly gate: RateGate;
  private readonly readPolicy;
  private readonly stopping = new AbortController();

  constructor(private readonly o: VenueTransportOptions<E>) {
    this.gate = new RateGate(o.now);
    this.breaker = circuitBreaker(handleWhen((e) => o.isVenueError(e) && o.ambiguous(e)), {
      halfOpenAfter: o.resilience.breakerHalfOpenMs,
      breaker: new ConsecutiveBreaker(o.resilience.breakerFailures),
    });
    const retryPolicy = retry(handleWhen((e) => (o.isVenueError(e) && o.retryable(e)) || e instanceof BrokenCircuitError), {
      maxAttempts: Math.max(0, o.readAttempts - 1),
      backoff: new ExponentialBackoff({ initialDelay: o.resilience.backoffInitialMs, maxDelay: o.resilience.backoffMaxMs }),
    });
    retryPolicy.onRetry((r) => {
      const why = 'error' in r ? (r.error as Error).message : 'unexpected result';
      o.log('warn', `${o.name}: retrying (attempt ${r.attempt + 1}): ${why}`);
    });
    this.readPolicy = wrap(retryPolicy, this.breaker);
  }

  get signal(): AbortSignal {
    return this.stopping.signal;
  }

  /** A call that is safe to repeat, retried (see top). */
  async read<T>(send: () => Promise<unknown>): Promise<T> {
    try {
      return (await this.readPolicy.execute(send)) as T;
    } catch (err) {
      throw this.translate(err);
    }
  }

  /** One attempt through the breaker, never retried. */
  async once<T>(send: () => Promise<unknown>): Promise<T> {
    try {
      return (await this.breaker.execute(send)) as T;
    } catch (err) {
      throw this.translate(err);
    }
  }

  stop(): void {
    this.stopping.abort();
  }

  /** Waits for the rate gate; throws 'stopped' once the adapter stops. */
  async ready(what: string): Promise<void> {
    await this.gate.wait(this.stopping.signal);
    if (this.stopping.signal.aborted) throw this.o.error(`${what}: adapter stopped`, 'stopped');
  }

  /** The request and its whole answer, within `timeoutMs`; what went wrong on the way as the venue's error. */
  async fetch(url: URL, init: RequestInit, what: string): Promise<{ res: Response; text: string }> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.any([AbortSignal.timeout(this.o.timeoutMs), this.stopping.signal]) });
    } catch (err) {
      const e = err as Error;
      if (this.stopping.signal.aborted) throw this.o.error(`${what}: adapter stopped`, 'stopped');
      if (e.name === 'TimeoutError') throw this.o.error(`${what}: no answer within ${this.o.timeoutMs} ms`, 'timeout');
      throw this.o.error(`${what}: ${causeOf(e)}`, 'network');
    }
    try {
      return { res, text: await res.text() };
    } catch (err) {
      const e = err as Error;
      if (this.stopping.signal.aborted) throw this.o.error(`${what}: adapter stopped`, 'stopped');
      if (e.name === 'TimeoutError') throw this.o.error(`${what}: answer not complete within ${this.o.timeoutMs} ms`, 'timeout', res.status);
      throw this.o.error(`${what}: answer cut off: ${causeOf(e)}`, 'network', res.status);
    }
  }

  private translate(err: unknown): E {
    if (this.o.isVenueError(err)) return err;
    if (err instanceof BrokenCircuitError) return this.o.error(`${this.o.name} circuit open after repeated failures; nothing sent`, 'breaker');
    return this.o.error(String((err as Error)?.message ?? err), 'network');
  }
}

/** The low-level reason of a fetch failure (ECONNRESET, …). */
export function causeOf(e: Error): string {
  const cause = (e as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? e.message;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
