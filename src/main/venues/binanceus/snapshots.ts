/**
 * REST for Binance.US market data: depth snapshots for the book syncs, paced, one in flight per
 * book, each through a RestClient (retries with backoff behind a breaker), and a venue-wide gate
 * that stops every REST call after a rate limit: weight limits are per IP, so a 429 or 418 on one
 * symbol's snapshot holds back the others too. A 418 (IP ban) is not retried by RestClient; its body
 * says until when ("IP banned until <ms>", error -1003) and nothing is sent before that.
 * Docs: https://github.com/binance-us/binance-us-api-docs/blob/master/rest-api.md#limits
 *       https://github.com/binance-us/binance-us-api-docs/blob/master/rest-api.md#order-book
 */
import { BrokenCircuitError } from 'cockatiel';
import type { Collector } from '../../collectors/collector';
import { RestClient, RestError } from '../../collectors/rest';
import type { BookSync, SyncHost } from './book-sync';
import { bannedUntil, parseSnapshot, type Snapshot } from './messages';
import type { BinanceUsSettings } from './settings';

/** Venue-wide REST pause after rate limits; turns any REST failure into a delay before the next try. */
export class RateGate {
  blockedUntil = 0;

  constructor(private readonly c: Collector, private readonly settings: BinanceUsSettings) {}

  /**
   * A RestClient whose retries tell the gate about rate limits as they happen: RestClient retries a
   * 429 itself, and only the last error of a call reaches failed(), so the gate reads each failed
   * attempt's message ("HTTP 429 ...", rest.ts's format) to hold back every other call meanwhile.
   */
  client(label: string, onRetry?: () => void): RestClient {
    return new RestClient(`binanceus ${label}`, this.settings.restUrl, this.settings.resilience, {
      maxAttempts: this.settings.restMaxAttempts,
      onRetry: (attempt, error) => {
        this.c.counters.restRetries++;
        onRetry?.();
        this.c.log('warn', `binanceus ${label}: attempt ${attempt} of ${this.settings.restMaxAttempts} failed (${error}); retrying`, { attempt });
        const status = /\bHTTP (418|429)\b/.exec(error);
        if (status) this.limited(label, Number(status[1]), error);
      },
    });
  }

  /** Logs a failed REST call; returns how long (ms) this caller should wait before trying again (the gate comes on top). */
  failed(label: string, err: unknown): number {
    const res = this.settings.resilience;
    const msg = err instanceof Error ? err.message : String(err);
    if (err instanceof RestError && (err.status === 418 || err.status === 429)) {
      this.limited(label, err.status, msg);
      return 0;
    }
    this.c.log('warn', `binanceus ${label}: ${msg}`);
    return err instanceof BrokenCircuitError ? res.breakerHalfOpenMs : res.backoffMaxMs;
  }

  /**
   * No REST call until the ban ends (418/429 bodies may say when: "IP banned until <ms>"), else for
   * rateLimitCooldownMs. The Retry-After header would say it too, but RestClient does not expose headers.
   */
  private limited(label: string, status: number, msg: string): void {
    const until = bannedUntil(msg);
    const resume = Number.isFinite(until) ? until : Date.now() + this.settings.rateLimitCooldownMs;
    const wasBlocked = this.blockedUntil > Date.now();
    this.blockedUntil = Math.max(this.blockedUntil, resume);
    if (wasBlocked && status !== 418) return;
    this.c.log('error', `binanceus ${label}: rate limited (HTTP ${status}${Number.isFinite(until) ? `, IP banned until ${new Date(until).toISOString()}` : ''}); no REST call for ${Math.max(0, this.blockedUntil - Date.now())} ms`, { status });
  }
}

interface Pending {
  client: RestClient;
  inFlight: boolean;
  retries: number;
  timer?: NodeJS.Timeout;
  /** earliest next attempt after an error */
  notBefore: number;
  lastEnd: number;
}

export class SnapshotFetcher implements SyncHost {
  private readonly pending = new Map<BookSync, Pending>();
  private stopped = false;

  constructor(private readonly c: Collector, private readonly settings: BinanceUsSettings, private readonly gate: RateGate) {}

  add(sync: BookSync): void {
    const p: Pending = { client: this.gate.client(`${sync.sym.symbol} depth snapshot`, () => p.retries++), inFlight: false, retries: 0, notBefore: 0, lastEnd: 0 };
    this.pending.set(sync, p);
  }

  stop(): void {
    this.stopped = true;
    for (const p of this.pending.values()) clearTimeout(p.timer);
  }

  snapshotWanted(sync: BookSync): void {
    const p = this.pending.get(sync);
    if (!p) return;
    clearTimeout(p.timer);
    p.timer = undefined;
    if (this.stopped || sync.phase !== 'buffering' || !sync.subscribed || p.inFlight) return;
    const now = Date.now();
    // Wait for the first diff event (so the snapshot is not older than the stream) unless the market is quiet.
    const ready = sync.buffered > 0 ? now : sync.bufferingSince + this.settings.snapshotWaitMs;
    const at = Math.max(ready, this.gate.blockedUntil, p.notBefore, p.lastEnd + this.pacing(sync));
    if (at > now) {
      p.timer = setTimeout(() => this.snapshotWanted(sync), at - now);
      return;
    }
    void this.fetch(sync, p);
  }

  /** Repeated restarts of one book back off (a venue whose snapshots lag its stream must not be hammered). */
  private pacing(sync: BookSync): number {
    const r = this.settings.resilience;
    return sync.failures <= 1 ? 0 : Math.min(r.backoffInitialMs * 2 ** (sync.failures - 2), r.backoffMaxMs);
  }

  private async fetch(sync: BookSync, p: Pending): Promise<void> {
    p.inFlight = true;
    p.retries = 0;
    const gen = sync.gen;
    const label = `${sync.sym.symbol} depth snapshot`;
    let snap: Snapshot | null = null;
    try {
      const json = await p.client.getJson('/api/v3/depth', { symbol: sync.sym.venueSymbol, limit: this.settings.snapshotDepth });
      try {
        snap = parseSnapshot(json, sync.sym.precision);
      } catch (err) {
        this.c.counters.badMessages++;
        throw err;
      }
      if (p.retries > 0) this.c.log('info', `binanceus ${label}: lastUpdateId=${snap.lastUpdateId} after ${p.retries} failed attempts`, { retries: p.retries });
    } catch (err) {
      p.notBefore = Date.now() + this.gate.failed(label, err);
    } finally {
      p.inFlight = false;
      p.lastEnd = Date.now();
    }
    if (this.stopped) return;
    if (snap && sync.gen === gen) sync.onSnapshot(snap);
    else if (snap) this.c.log('info', `binanceus ${label}: lastUpdateId=${snap.lastUpdateId} not used, the book restarted while it was fetched`);
    this.snapshotWanted(sync);
  }
}
