/**
 * Cross-venue arbitrage in the engine. After each publisher flush (the frame rate, not per level
 * update) it re-evaluates only the symbols whose books changed version or live state since the
 * last frame, from the top `depth` levels of each book. Clients get an `arbitrage` message at
 * most every `sendIntervalMs` when something changed, and the consolidated book of each symbol
 * they are subscribed to (the renderer subscribes to its selection) at the same pace.
 */
import type { ArbAlert, ArbitrageMessage, ArbitrageState, ConsolidatedMessage } from '../../shared/arbitrage';
import type { ControlMessage } from '../../shared/protocol';
import { Side } from '../../shared/units';
import type { PulseConfig } from '../config';
import type { MarketBook } from '../market/market-book';
import { consolidate, type ConsolidatedInput } from './consolidated';
import { detect } from './detect';
import { ArbitrageTracker } from './tracker';

export type ArbitrageConfig = PulseConfig['arbitrage'];

/** What the service needs of a client: the books it follows and a way to talk to it. */
export interface ArbitrageClient {
  readonly subs: ReadonlyMap<MarketBook, unknown>;
  readonly link: { sendControl(message: ControlMessage): void };
}

export interface ArbitrageServiceOptions {
  config: ArbitrageConfig;
  books(): Iterable<MarketBook>;
  /** the venue's connection is live (a book can be exact while its venue has just dropped) */
  venueLive(venue: string): boolean;
  clients(): Iterable<ArbitrageClient>;
  onAlert?(alert: ArbAlert): void;
  now?: () => number;
  /** at most one message of each kind per client this often; a few per second */
  sendIntervalMs?: number;
  /** levels per side of the consolidated book */
  consolidatedDepth?: number;
}

/** A book's top levels as integers of its own decimals, in arrays kept for the book's life. */
class DepthView implements ConsolidatedInput {
  live = false;
  version = -1;
  staleReason?: string;
  bids = 0;
  asks = 0;
  readonly bidPx: Float64Array;
  readonly bidQty: Float64Array;
  readonly askPx: Float64Array;
  readonly askQty: Float64Array;

  constructor(readonly book: MarketBook, depth: number, readonly takerFeeBps: number) {
    this.bidPx = new Float64Array(depth);
    this.bidQty = new Float64Array(depth);
    this.askPx = new Float64Array(depth);
    this.askQty = new Float64Array(depth);
  }

  get venue(): string {
    return this.book.venue;
  }
  get priceDecimals(): number {
    return this.book.precision.priceDecimals;
  }
  get sizeDecimals(): number {
    return this.book.precision.sizeDecimals;
  }

  /** true when the book moved (version or live state) since the last refresh */
  refresh(venueLive: boolean): boolean {
    const b = this.book;
    const live = venueLive && !b.stale;
    if (live === this.live && b.version === this.version) return false;
    this.live = live;
    this.version = b.version;
    this.staleReason = live ? undefined : b.stale ? b.staleReason : 'venue is not live';
    const { tickUnits, lotUnits } = b.precision;
    this.bids = b.book.top(Side.Bid, this.bidPx.length, this.bidPx, this.bidQty);
    this.asks = b.book.top(Side.Ask, this.askPx.length, this.askPx, this.askQty);
    for (let i = 0; i < this.bids; i++) {
      this.bidPx[i]! *= tickUnits;
      this.bidQty[i]! *= lotUnits;
    }
    for (let i = 0; i < this.asks; i++) {
      this.askPx[i]! *= tickUnits;
      this.askQty[i]! *= lotUnits;
    }
    return true;
  }
}

export class ArbitrageService {
  private readonly tracker: ArbitrageTracker;
  private readonly views = new Map<MarketBook, DepthView>();
  private readonly symbols = new Map<string, DepthView[]>();
  private readonly now: () => number;
  private readonly sendIntervalMs: number;
  private readonly consolidatedDepth: number;
  private underFees = new Map<string, number>();
  private pendingAlerts: ArbAlert[] = [];
  private lastSent = -Infinity;
  private lastSentKey = '';
  /** frames evaluated / symbols recomputed, for tests and metrics */
  readonly stats = { frames: 0, evaluations: 0, alerts: 0 };

  constructor(private readonly opts: ArbitrageServiceOptions) {
    this.now = opts.now ?? Date.now;
    this.sendIntervalMs = opts.sendIntervalMs ?? 250;
    this.consolidatedDepth = opts.consolidatedDepth ?? 20;
    this.tracker = new ArbitrageTracker({
      alertIntervalMs: opts.config.alertIntervalSeconds * 1000,
      recentLimit: opts.config.recentLimit,
      quoteOf: (symbol) => symbol.slice(symbol.indexOf('-') + 1),
    });
  }

  feeBps(venue: string): number {
    const fees = this.opts.config.takerFeeBps;
    return Object.hasOwn(fees, venue) && venue !== 'default' ? fees[venue]! : fees.default;
  }

  /** One frame: re-evaluates the symbols whose books moved, then sends if it is time. */
  onFrame(): void {
    const now = this.now();
    this.stats.frames++;
    this.syncBooks();
    for (const [symbol, views] of this.symbols) {
      let moved = false;
      for (const v of views) if (v.refresh(this.opts.venueLive(v.venue))) moved = true;
      if (!moved) {
        this.tracker.touch(symbol, now);
        continue;
      }
      this.stats.evaluations++;
      const { crosses, underFees } = detect(symbol, views, (venue) => this.feeBps(venue));
      this.underFees.set(symbol, underFees);
      for (const alert of this.tracker.update(symbol, crosses, now)) {
        this.stats.alerts++;
        this.pendingAlerts.push(alert);
        this.opts.onAlert?.(alert);
      }
    }
    if (now - this.lastSent >= this.sendIntervalMs) this.send(now);
  }

  /** Current and recent opportunities (the REST answer). */
  state(): ArbitrageState {
    const now = this.now();
    let crossedUnderFees = 0;
    for (const n of this.underFees.values()) crossedUnderFees += n;
    const takerFeeBps: Record<string, number> = { default: this.opts.config.takerFeeBps.default };
    for (const venue of new Set([...this.views.values()].map((v) => v.venue))) takerFeeBps[venue] = this.feeBps(venue);
    return {
      ts: now,
      live: this.tracker.current(now),
      recent: this.tracker.recent(),
      crossedUnderFees,
      takerFeeBps,
      alertIntervalSeconds: this.opts.config.alertIntervalSeconds,
    };
  }

  /** For a client that just connected: the state, without alerts it was not there for. */
  message(): ArbitrageMessage {
    return { type: 'arbitrage', ...this.state(), alerts: [] };
  }

  /** The symbol's book across venues as of the last frame; null for a symbol no venue quotes. */
  consolidated(symbol: string): ConsolidatedMessage | null {
    const views = this.symbols.get(symbol);
    return views ? consolidate(symbol, views, this.consolidatedDepth, this.now()) : null;
  }

  private send(now: number): void {
    const state = this.state();
    const { ts: _ts, ...rest } = state;
    const key = JSON.stringify(rest.live.map((o) => [o.id, o.size, o.profit])) + JSON.stringify(rest.recent.map((o) => o.id)) + rest.crossedUnderFees;
    const clients = [...this.opts.clients()];
    const changed = key !== this.lastSentKey || this.pendingAlerts.length > 0;
    this.lastSent = now;
    if (changed) {
      this.lastSentKey = key;
      const message: ArbitrageMessage = { type: 'arbitrage', ...state, alerts: this.pendingAlerts };
      this.pendingAlerts = [];
      for (const c of clients) c.link.sendControl(message);
    }
    const books = new Map<string, ConsolidatedMessage | null>();
    for (const c of clients) {
      const symbols = new Set<string>();
      for (const b of c.subs.keys()) symbols.add(b.symbol);
      for (const symbol of symbols) {
        if (!books.has(symbol)) books.set(symbol, this.consolidated(symbol));
        const m = books.get(symbol);
        if (m) c.link.sendControl(m);
      }
    }
  }

  /** Follows the engine's books: a venue declares (or on reconnect re-declares) its instruments as new books. */
  private syncBooks(): void {
    let n = 0;
    let known = true;
    for (const b of this.opts.books()) {
      n++;
      if (!this.views.has(b)) known = false;
    }
    if (known && n === this.views.size) return;
    const old = new Map(this.views);
    this.views.clear();
    this.symbols.clear();
    for (const b of this.opts.books()) {
      const v = old.get(b) ?? new DepthView(b, this.opts.config.depth, this.feeBps(b.venue));
      this.views.set(b, v);
      let list = this.symbols.get(b.symbol);
      if (!list) this.symbols.set(b.symbol, (list = []));
      list.push(v);
    }
  }
}
