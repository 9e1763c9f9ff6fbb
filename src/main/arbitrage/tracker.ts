/**
 * Gives crosses a life: an opportunity is one (symbol, buy venue, sell venue) pair from the
 * evaluation it first appears in until the first evaluation it is missing from. It alerts when it
 * appears, unless the same pair alerted less than the alert interval ago (a pair that flickers
 * in and out alerts once per interval, not once per flicker).
 */
import type { ArbAlert, ArbOpportunity } from '../../shared/arbitrage';
import type { Cross } from './detect';

export interface TrackerOptions {
  alertIntervalMs: number;
  /** ended opportunities kept, newest first */
  recentLimit: number;
  quoteOf(symbol: string): string;
}

const pairKey = (symbol: string, buy: string, sell: string): string => `${symbol}:${buy}>${sell}`;

export class ArbitrageTracker {
  private readonly live = new Map<string, ArbOpportunity>();
  private recentList: ArbOpportunity[] = [];
  private readonly lastAlert = new Map<string, number>();

  constructor(private readonly opts: TrackerOptions) {}

  /**
   * The crosses of one symbol as of `now`: new pairs start (and may alert), present ones take the
   * new numbers, missing ones end. Returns the alerts raised.
   */
  update(symbol: string, crosses: readonly Cross[], now: number): ArbAlert[] {
    const alerts: ArbAlert[] = [];
    const seen = new Set<string>();
    for (const c of crosses) {
      const key = pairKey(symbol, c.buyVenue, c.sellVenue);
      seen.add(key);
      const prev = this.live.get(key);
      const firstSeen = prev?.firstSeen ?? now;
      const o: ArbOpportunity = {
        ...c,
        id: `${key}@${firstSeen}`,
        quote: this.opts.quoteOf(symbol),
        firstSeen,
        lastSeen: now,
        endedAt: null,
        durationMs: now - firstSeen,
        peakNetBps: Math.max(prev?.peakNetBps ?? -Infinity, c.netBps),
      };
      this.live.set(key, o);
      if (prev) continue;
      const last = this.lastAlert.get(key);
      if (last === undefined || now - last >= this.opts.alertIntervalMs) {
        this.lastAlert.set(key, now);
        alerts.push({ id: o.id, symbol, buyVenue: c.buyVenue, sellVenue: c.sellVenue, netBps: c.netBps, profit: c.profit, size: c.size, ts: now });
      }
    }
    for (const [key, o] of this.live) {
      if (o.symbol !== symbol || seen.has(key)) continue;
      this.live.delete(key);
      this.end(o, now);
    }
    return alerts;
  }

  /** The symbol's books did not change: what was live still is, as of `now`. */
  touch(symbol: string, now: number): void {
    for (const o of this.live.values()) {
      if (o.symbol !== symbol) continue;
      o.lastSeen = now;
      o.durationMs = now - o.firstSeen;
    }
  }

  /** Best net bps first; durations as of `now`. */
  current(now: number): ArbOpportunity[] {
    const out = [...this.live.values()].map((o) => ({ ...o, durationMs: now - o.firstSeen }));
    return out.sort((a, b) => b.netBps - a.netBps || b.profit - a.profit);
  }

  /** Newest end first. */
  recent(): ArbOpportunity[] {
    return this.recentList.slice();
  }

  private end(o: ArbOpportunity, now: number): void {
    o.endedAt = now;
    o.durationMs = now - o.firstSeen;
    if (this.opts.recentLimit === 0) return;
    this.recentList.unshift(o);
    if (this.recentList.length > this.opts.recentLimit) this.recentList.length = this.opts.recentLimit;
  }
}
