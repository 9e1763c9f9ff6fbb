/**
 * The engine-side half of a venue connection: starts the collector worker, owns its two rings,
 * drains them on the main thread (waiting with Atomics.waitAsync, never spinning), applies book
 * records to the engine's MarketBooks and hands trades on. Control messages arrive by postMessage.
 */
import type { Worker } from 'node:worker_threads';
import * as hdr from 'hdr-histogram-js';
import { SpscRing } from '../rings/spsc-ring';
import {
  BOOK_RECORD_SIZE, BookFlags, TRADE_RECORD_SIZE,
  bookCount, bookExchangeTs, bookFlags, bookLevelPrice, bookLevelQty, bookLevelSide, bookPrevVersion, bookRecvTs,
  bookSymbolId, bookVersion, tradeAggressor, tradeExchangeTs, tradePrice, tradeQty, tradeSymbolId, tradeTradeId,
} from '../rings/records';
import { MarketBook } from '../market/market-book';
import { spawnWorker, workerEntry } from '../workers/spawn';
import { nowMicros, type PriceTicks, type Qty, type Side } from '../../shared/units';
import type { VenueStateName } from '../../shared/frames';
import type { InstrumentInfo, ReplayStatus } from '../../shared/protocol';
import { emptyCounters, type CollectorCounters, type CollectorInit, type FromCollector, type LogEntry, type ToCollector, type VenueKind } from './messages';
import { log } from '../telemetry/log';
import type { RecordTap } from '../recording/recorder';

export interface RingStats {
  ring: 'book' | 'trade';
  waiting: number;
  peak: number;
  capacity: number;
  overflows: number;
}

export interface TradeSink {
  onTrade(book: MarketBook, exchangeTs: number, price: number, qty: number, tradeId: number, aggressor: 0 | 1): void;
}

export interface CollectorHostOptions {
  venue: string;
  venueIndex: number;
  kind: VenueKind;
  feed: string;
  symbols: string[] | undefined;
  settings: Record<string, unknown>;
  bookSlots: number;
  tradeSlots: number;
  trades: TradeSink;
  onChange?: () => void;
  /** after each book update is applied (features for signals) */
  onBookUpdate?: (book: MarketBook) => void;
  /** `--record`: sees every record drained and every venue state change, in order */
  recorder?: RecordTap;
  /** `--shm`: the shared-memory tap, which sees the same records and venue events as the recorder */
  shm?: RecordTap;
  /** a replay venue reported its position */
  onReplay?: () => void;
}

/** Most records handled per drain before yielding to the event loop (keeps sockets served under load). */
const DRAIN_BATCH = 8192;
/** Longest idle wait before the trade ring is looked at again without a book record. */
const IDLE_WAIT_MS = 5;

export class CollectorHost {
  readonly venue: string;
  readonly kind: VenueKind;
  books: MarketBook[] = [];
  state: VenueStateName = 'connecting';
  stateReason = '';
  counters: CollectorCounters = emptyCounters();
  /** the collector's last log lines, newest last (also written to the log) */
  readonly recentLogs: LogEntry[] = [];
  msgsPerSec = 0;
  /** venue → engine latency (µs) since the last status report */
  readonly latency = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 2 });
  lastError: { code: string; message: string } | null = null;
  /** replay venues: the latest position report */
  replay: ReplayStatus | null = null;
  private readonly bookRing: SpscRing;
  private readonly tradeRing: SpscRing;
  private readonly worker: Worker;
  private running = true;
  private drained: Promise<void> = Promise.resolve();
  private lastCounterAt = performance.now();
  private readyResolve!: () => void;
  private readyReject!: (err: Error) => void;
  /** resolves once the venue has declared its instruments; rejects if the collector dies first */
  readonly instrumentsKnown = new Promise<void>((resolve, reject) => {
    this.readyResolve = resolve;
    this.readyReject = reject;
  });
  private readonly stopped: Promise<void>;
  private readonly recorder: RecordTap | undefined;
  private readonly shm: RecordTap | undefined;

  constructor(private readonly opts: CollectorHostOptions) {
    this.venue = opts.venue;
    this.kind = opts.kind;
    this.recorder = opts.recorder;
    this.shm = opts.shm;
    this.bookRing = SpscRing.create({ slotSize: BOOK_RECORD_SIZE, capacity: opts.bookSlots });
    this.tradeRing = SpscRing.create({ slotSize: TRADE_RECORD_SIZE, capacity: opts.tradeSlots });
    const init: CollectorInit = {
      venue: opts.venue,
      venueIndex: opts.venueIndex,
      kind: opts.kind,
      feed: opts.feed,
      symbols: opts.symbols,
      bookRing: this.bookRing.sab,
      tradeRing: this.tradeRing.sab,
      settings: opts.settings,
    };
    this.worker = spawnWorker(workerEntry(import.meta.url, 'collector-worker'), { workerData: init, name: `collector:${opts.venue}` });
    this.worker.on('message', (m: FromCollector) => this.onMessage(m));
    this.worker.on('error', (err) => {
      this.lastError = { code: 'worker-crashed', message: err.message };
      this.readyReject(new Error(`collector ${opts.venue} failed to start: ${err.message}`));
      this.setState('stopped', `collector crashed: ${err.message}`);
      for (const b of this.books) b.markStale('collector crashed');
    });
    this.stopped = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        this.readyReject(new Error(`collector ${opts.venue} exited (code ${code}) before declaring its instruments`));
        this.running = false;
        resolve();
      }),
    );
    this.drained = this.drainLoop();
  }

  send(message: ToCollector): void {
    this.worker.postMessage(message);
  }

  bookOf(symbol: string): MarketBook | undefined {
    return this.books.find((b) => b.symbol === symbol);
  }

  get symbols(): string[] {
    return this.books.map((b) => b.symbol);
  }

  get instruments(): InstrumentInfo[] {
    return this.books.map((b) => ({ ...b.instrument }));
  }

  get ringOverflows(): number {
    return this.bookRing.overflows() + this.tradeRing.overflows();
  }

  /** Ring fill for metrics: records waiting now, the most seen waiting at a drain (since the last `resetPeak`), capacity, overflows. */
  ringStats(resetPeak = false): RingStats[] {
    const stats = [
      { ring: 'book' as const, waiting: this.bookRing.available(), peak: this.ringPeaks[0]!, capacity: this.bookRing.capacity, overflows: this.bookRing.overflows() },
      { ring: 'trade' as const, waiting: this.tradeRing.available(), peak: this.ringPeaks[1]!, capacity: this.tradeRing.capacity, overflows: this.tradeRing.overflows() },
    ];
    if (resetPeak) this.ringPeaks[0] = this.ringPeaks[1] = 0;
    return stats;
  }

  async stop(): Promise<void> {
    if (!this.running) return this.stopped;
    this.send({ type: 'stop' });
    const timeout = setTimeout(() => void this.worker.terminate(), 2000);
    await this.stopped;
    clearTimeout(timeout);
    this.running = false;
    await this.drained;
    this.setState('stopped');
  }

  private onMessage(m: FromCollector): void {
    switch (m.type) {
      case 'instruments':
        this.books = m.instruments.map((i) => new MarketBook(this.venue, i));
        this.recorder?.instruments(this.opts.venueIndex, m.instruments);
        this.shm?.instruments(this.opts.venueIndex, m.instruments);
        this.readyResolve();
        break;
      case 'state':
        this.setState(m.state, m.reason ?? '');
        this.recorder?.state(this.opts.venueIndex, m.state, m.reason);
        this.shm?.state(this.opts.venueIndex, m.state, m.reason);
        if (m.state !== 'live') for (const b of this.books) b.markStale(`venue ${m.state}${m.reason ? `: ${m.reason}` : ''}`);
        break;
      case 'stale': {
        // The message can arrive after the resync snapshot it announces was already drained.
        const book = this.books[m.symbolId];
        if (book && book.version < m.version) book.markStale(m.reason);
        break;
      }
      case 'counters': {
        const now = performance.now();
        const dt = (now - this.lastCounterAt) / 1000;
        this.msgsPerSec = dt > 0 ? Math.max(0, (m.counters.messages - this.counters.messages) / dt) : 0;
        this.lastCounterAt = now;
        this.counters = m.counters;
        break;
      }
      case 'error':
        this.lastError = { code: m.code, message: m.message };
        log.error({ venue: this.venue, code: m.code }, m.message);
        if (!m.retryable) {
          this.readyReject(new Error(`${this.venue}: ${m.message}`)); // don't hold startup for a venue that gave up
          this.setState('stopped', m.message);
          for (const b of this.books) b.markStale(m.message);
        }
        break;
      case 'log':
        this.recentLogs.push({ level: m.level, msg: m.msg, fields: m.fields });
        if (this.recentLogs.length > 200) this.recentLogs.shift();
        log[m.level]({ venue: this.venue, ...m.fields }, m.msg);
        return;
      case 'replay':
        this.replay = m.status;
        this.opts.onReplay?.();
        return;
      case 'stopped':
        break;
    }
    // the venue list clients hold changes only with instruments and state
    if (m.type === 'instruments' || m.type === 'state' || m.type === 'error') this.opts.onChange?.();
  }

  private setState(state: VenueStateName, reason = ''): void {
    this.state = state;
    this.stateReason = reason;
  }

  private async drainLoop(): Promise<void> {
    // Records name books by index into the instrument list: none is read before that list arrives.
    await this.instrumentsKnown.catch(() => {});
    while (this.running) {
      const n = this.drainOnce();
      if (n >= DRAIN_BATCH) {
        await new Promise<void>((resolve) => setImmediate(resolve));
      } else if (n === 0) {
        await this.bookRing.waitAsync(IDLE_WAIT_MS);
      }
    }
    this.drainOnce();
  }

  private readonly ringPeaks = [0, 0];

  /** Drains both rings once; returns how many records it handled. */
  drainOnce(): number {
    const book = this.bookRing.available();
    const trade = this.tradeRing.available();
    if (book > this.ringPeaks[0]!) this.ringPeaks[0] = book;
    if (trade > this.ringPeaks[1]!) this.ringPeaks[1] = trade;
    return this.bookRing.poll(this.onBookRecord, DRAIN_BATCH) + this.tradeRing.poll(this.onTradeRecord, DRAIN_BATCH);
  }

  // The records of one update are contiguous in the ring (one producer writes them together).
  private updateOpen = false;
  private updateOk = false;
  private readonly onBookRecord = (off: number): void => {
    const ring = this.bookRing;
    const book = this.books[bookSymbolId(ring, off)];
    if (!book) return;
    if (this.recorder !== undefined) this.recorder.bookRecord(this.opts.venueIndex, ring, off);
    if (this.shm !== undefined) this.shm.bookRecord(this.opts.venueIndex, ring, off);
    const flags = bookFlags(ring, off);
    const snapshot = (flags & BookFlags.Snapshot) !== 0;
    if (!this.updateOpen) {
      this.updateOpen = true;
      const gaps = book.gaps;
      this.updateOk = book.begin(bookPrevVersion(ring, off), snapshot);
      if (book.gaps !== gaps) this.send({ type: 'resync', symbolId: bookSymbolId(ring, off) });
    }
    const recvTs = bookRecvTs(ring, off);
    if (this.updateOk) {
      const count = bookCount(ring, off);
      for (let i = 0; i < count; i++) {
        book.level(bookLevelSide(ring, off, i) as Side, bookLevelPrice(ring, off, i) as PriceTicks, bookLevelQty(ring, off, i) as Qty, recvTs);
      }
    }
    if ((flags & BookFlags.Continued) === 0) {
      if (this.updateOk) {
        book.end(bookVersion(ring, off), snapshot, recvTs);
        this.opts.onBookUpdate?.(book);
        const exTs = bookExchangeTs(ring, off);
        // a replay's exchange times are the recording's: no latency to measure
        if (exTs === exTs && this.kind !== 'replay') this.latency.recordValue(Math.max(1, nowMicros() - exTs));
      }
      this.updateOpen = false;
      this.updateOk = false;
    }
  };

  private readonly onTradeRecord = (off: number): void => {
    const ring = this.tradeRing;
    const book = this.books[tradeSymbolId(ring, off)];
    if (!book) return;
    if (this.recorder !== undefined) this.recorder.tradeRecord(this.opts.venueIndex, ring, off);
    if (this.shm !== undefined) this.shm.tradeRecord(this.opts.venueIndex, ring, off);
    this.opts.trades.onTrade(book, tradeExchangeTs(ring, off), tradePrice(ring, off), tradeQty(ring, off), tradeTradeId(ring, off), tradeAggressor(ring, off) as 0 | 1);
  };
}
