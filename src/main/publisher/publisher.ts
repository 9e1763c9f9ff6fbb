/**
 * Sends books to clients: every frame interval, each book's changes become one delta (last write
 * per level wins), encoded once and sent to every client holding the version it applies on. A
 * client that is new, asked for a snapshot, or fell behind (its link's backlog over the limit)
 * gets a full snapshot instead. Trades go out once per interval per book.
 */
import { FrameWriter } from '../../shared/frames';
import { encodeBookSnapshot, encodeTrades, snapshotFrameBytes } from '../../shared/frame-codec';
import { nowMicros } from '../../shared/units';
import type { MarketBook } from '../market/market-book';
import type { TradeSink } from '../collectors/collector-host';
import { ClientSession, type SessionHost, type SessionRole } from './client-session';
import type { ClientLink } from './client-link';
import { TradeBatch } from './trade-batch';
import type { PublisherMetrics } from '../telemetry/hooks';

export interface PublisherOptions {
  frameIntervalMs: number;
  /** a client with more than this queued is skipped this frame and resynced later */
  maxBacklogBytes: number;
  findBook(venue: string, symbol: string): MarketBook | undefined;
  books(): Iterable<MarketBook>;
  onConnect?(session: ClientSession): void;
  /** extra frames every status interval (venue status) */
  statusFrames?(w: FrameWriter): ArrayBuffer[];
  /** after each frame interval's flush (the paper venue checks resting orders against the books) */
  afterFlush?(): void;
  onTradingCommand?: SessionHost['onTradingCommand'];
  onReplayCommand?: SessionHost['onReplayCommand'];
  about?: SessionHost['about'];
  /** latency of each delta frame (engine receive of its newest change → send), for metrics */
  metrics?: PublisherMetrics;
}

export interface PublisherStats {
  deltas: number;
  deltaBytes: number;
  /** bytes full snapshots would have cost in place of the deltas sent (one per delta) */
  snapshotEquivalentBytes: number;
  /** bytes a full snapshot per venue book update would have cost (the naive stream) */
  snapshotPerUpdateBytes: number;
  /** venue book updates covered by the deltas sent */
  updatesCovered: number;
  snapshots: number;
  snapshotBytes: number;
  rawChanges: number;
  coalescedChanges: number;
  tradeFrames: number;
  skippedFrames: number;
}

export class Publisher implements TradeSink, SessionHost {
  readonly sessions = new Set<ClientSession>();
  readonly stats: PublisherStats = {
    deltas: 0, deltaBytes: 0, snapshotEquivalentBytes: 0, snapshotPerUpdateBytes: 0, updatesCovered: 0, snapshots: 0, snapshotBytes: 0,
    rawChanges: 0, coalescedChanges: 0, tradeFrames: 0, skippedFrames: 0,
  };
  private readonly w = new FrameWriter();
  private readonly trades = new Map<MarketBook, TradeBatch>();
  private readonly subscribers = new Map<MarketBook, ClientSession[]>();
  private prices = new Float64Array(1024);
  private qtys = new Float64Array(1024);
  private frameTimer: NodeJS.Timeout | undefined;
  private statusTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: PublisherOptions) {}

  start(): void {
    this.frameTimer = setInterval(() => this.flush(), this.opts.frameIntervalMs);
    this.statusTimer = setInterval(() => this.sendStatus(), 1000);
  }

  stop(): void {
    clearInterval(this.frameTimer);
    clearInterval(this.statusTimer);
    for (const s of [...this.sessions]) s.link.close(1001, 'engine stopping');
  }

  onTradingCommand(command: Parameters<NonNullable<SessionHost['onTradingCommand']>>[0], session: ClientSession): void {
    if (this.opts.onTradingCommand) this.opts.onTradingCommand(command, session);
    else session.link.sendControl({ type: 'error', code: 'no-trading', message: 'trading is not available on this engine' });
  }

  onReplayCommand(command: Parameters<NonNullable<SessionHost['onReplayCommand']>>[0], session: ClientSession): void {
    if (this.opts.onReplayCommand) this.opts.onReplayCommand(command, session);
    else session.link.sendControl({ type: 'error', code: 'no-replay', message: 'replay is not available on this engine' });
  }

  get about(): SessionHost['about'] {
    return this.opts.about;
  }

  attach(link: ClientLink, role: SessionRole = 'trader'): ClientSession {
    const session = new ClientSession(link, this, role);
    this.sessions.add(session);
    this.opts.onConnect?.(session);
    return session;
  }

  findBook(venue: string, symbol: string): MarketBook | undefined {
    return this.opts.findBook(venue, symbol);
  }

  onSessionClosed(session: ClientSession): void {
    this.sessions.delete(session);
  }

  onTrade(book: MarketBook, exchangeTs: number, price: number, qty: number, tradeId: number, aggressor: 0 | 1): void {
    let batch = this.trades.get(book);
    if (!batch) this.trades.set(book, (batch = new TradeBatch()));
    batch.push(exchangeTs, price, qty, tradeId, aggressor);
  }

  /** One frame interval: deltas, snapshots and trades for every subscribed book. */
  flush(): void {
    const subscribers = this.collectSubscribers();
    const now = nowMicros();
    for (const book of this.opts.books()) {
      const sessions = subscribers.get(book);
      const batch = this.trades.get(book);
      if (!sessions) {
        book.tracker.reset(book.version);
        if (batch) batch.count = 0;
        continue;
      }
      this.publishBook(book, sessions, now);
      if (batch && batch.count > 0) {
        const frame = encodeTrades(this.w, book.venue, book.symbol, now, batch);
        batch.count = 0;
        this.stats.tradeFrames++;
        for (const s of sessions) if (s.link.backlog() <= this.opts.maxBacklogBytes) s.send(frame);
      }
    }
    this.opts.afterFlush?.();
  }

  private collectSubscribers(): Map<MarketBook, ClientSession[]> {
    const map = this.subscribers;
    for (const list of map.values()) list.length = 0;
    for (const s of this.sessions) {
      for (const book of s.subs.keys()) {
        const list = map.get(book);
        if (list) list.push(s);
        else map.set(book, [s]);
      }
    }
    for (const [book, list] of map) if (list.length === 0) map.delete(book);
    return map;
  }

  private publishBook(book: MarketBook, sessions: ClientSession[], now: number): void {
    const tracker = book.tracker;
    const base = tracker.baseVersion;
    let snapshot: ArrayBuffer | null = null;
    let delta: ArrayBuffer | null = null;
    const everyone = tracker.needsSnapshot;
    if (everyone) {
      tracker.reset(book.version);
    } else if (book.version !== base || tracker.pending > 0) {
      const bs = tracker.stats;
      const latencyUs = now - tracker.lastTs;
      this.stats.rawChanges += tracker.rawChanges;
      this.stats.coalescedChanges += tracker.pending;
      bs.rawChanges += tracker.rawChanges;
      bs.coalescedChanges += tracker.pending;
      delta = tracker.takeDelta(this.w, book.venue, book.symbol, book.version, book.stale, now);
      this.stats.deltas++;
      this.stats.deltaBytes += delta.byteLength;
      const full = snapshotFrameBytes(book.venue, book.symbol, book.book.depth(0) + book.book.depth(1));
      this.stats.snapshotEquivalentBytes += full;
      this.stats.snapshotPerUpdateBytes += full * (book.version - base);
      this.stats.updatesCovered += book.version - base;
      bs.deltas++;
      bs.deltaBytes += delta.byteLength;
      bs.snapshotEquivalentBytes += full;
      bs.snapshotPerUpdateBytes += full * (book.version - base);
      bs.updatesCovered += book.version - base;
      if (latencyUs === latencyUs) {
        bs.lastLatencyUs = latencyUs;
        this.opts.metrics?.deltaSent(book.venue, latencyUs);
      }
    }
    for (const s of sessions) {
      const sub = s.subs.get(book)!;
      if (s.link.backlog() > this.opts.maxBacklogBytes) {
        sub.needsSnapshot = true;
        s.skippedFrames++;
        this.stats.skippedFrames++;
        continue;
      }
      if (everyone || sub.needsSnapshot || sub.version !== base || (delta === null && sub.version !== book.version)) {
        snapshot ??= this.encodeSnapshot(book, now);
        s.send(snapshot);
        sub.version = book.version;
        sub.needsSnapshot = false;
      } else if (delta) {
        s.send(delta);
        sub.version = book.version;
      }
    }
  }

  encodeSnapshot(book: MarketBook, now: number = nowMicros()): ArrayBuffer {
    const b = book.book;
    const nBids = b.depth(0);
    const nAsks = b.depth(1);
    if (this.prices.length < nBids + nAsks) {
      this.prices = new Float64Array((nBids + nAsks) * 2);
      this.qtys = new Float64Array((nBids + nAsks) * 2);
    }
    b.top(0, nBids, this.prices, this.qtys);
    b.top(1, nAsks, this.prices.subarray(nBids), this.qtys.subarray(nBids));
    const frame = encodeBookSnapshot(this.w, {
      venue: book.venue,
      symbol: book.symbol,
      sentTs: now,
      stale: book.stale,
      version: book.version,
      precision: book.precision,
      bids: { count: nBids, prices: this.prices, qtys: this.qtys },
      asks: { count: nAsks, prices: this.prices.subarray(nBids), qtys: this.qtys.subarray(nBids) },
    });
    this.stats.snapshots++;
    this.stats.snapshotBytes += frame.byteLength;
    book.tracker.stats.snapshots++;
    book.tracker.stats.snapshotBytes += frame.byteLength;
    return frame;
  }

  private sendStatus(): void {
    const frames = this.opts.statusFrames?.(this.w) ?? [];
    for (const s of this.sessions) {
      if (s.link.backlog() > this.opts.maxBacklogBytes) continue;
      for (const f of frames) s.send(f);
    }
  }
}
