/**
 * The engine's shared-memory tap (`--shm`, `shm.enabled`): every book record and trade a
 * CollectorHost drains is copied, as it is, into the shm rings with one native call; outside
 * processes follow them (docs/shm.md). The tap never waits for a reader: the rings overwrite
 * their oldest records, and a reader that falls behind asks for full books, which the tap writes
 * from the engine's own books on its next tick. If anything fails the tap turns itself off and
 * says why; the engine carries on.
 */
import { BOOK_RECORD_SIZE, BookFlags, bookRecordsFor, writeBookUpdate, type BookUpdateHeader } from '../rings/records';
import { SpscRing } from '../rings/spsc-ring';
import type { RecordTap } from '../recording/recorder';
import type { MarketBook } from '../market/market-book';
import type { InstrumentInfo } from '../../shared/protocol';
import { VENUE_STATE_NAMES, type VenueStateName } from '../../shared/frames';
import { precisionOf } from '../../shared/instruments';
import { Side } from '../../shared/units';
import { loadAddon, resolveShmPath, SHM_LAYOUT_VERSION, type ShmDirectoryEntry, type ShmWriter } from './addon';
import type { ShmState, ShmStatus } from './status';

export interface ShmTapConfig {
  enabled: boolean;
  path: string;
  bookSlots: number;
  tradeSlots: number;
  readerSlots: number;
  staleAfterMs: number;
}

export interface ShmTapOptions {
  config: ShmTapConfig;
  /** venue ids by venue index (the venueId byte of every record) */
  venues: readonly string[];
  /** the engine's books of one venue, indexed by symbol id */
  books: (venueIndex: number) => readonly MarketBook[];
  /** the writer's name in the header */
  name: string;
  env?: NodeJS.ProcessEnv;
}

/** Heartbeat and snapshot-request poll period; readers are told it in the header. */
const TICK_MS = 50;

export class ShmTap implements RecordTap {
  private writer: ShmWriter | null = null;
  private stateNow: ShmState;
  private reason: string | null = null;
  readonly path: string | null;
  /** per venue index: 1 while an update's CONTINUED records are being copied (no snapshot may cut in) */
  private readonly open = new Uint8Array(256);
  private readonly instrumentsOf: InstrumentInfo[][] = [];
  private readonly venueStates: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private rounds = 0;
  private snapshotRecords = 0;
  private lastCounts = { book: 0, trade: 0 };
  private staging = SpscRing.create({ slotSize: BOOK_RECORD_SIZE, capacity: 64 });
  private sides = new Uint8Array(1024);
  private prices = new Float64Array(1024);
  private qtys = new Float64Array(1024);

  constructor(private readonly opts: ShmTapOptions) {
    this.path = resolveShmPath(opts.config.path);
    this.stateNow = 'off';
    if (opts.config.enabled) this.start();
    else this.reason = 'shm.enabled is false (start with --shm, or turn the setting on)';
  }

  private start(): void {
    const { config } = this.opts;
    const load = loadAddon(this.opts.env);
    if (!load.ok) return this.off('unavailable', load.reason);
    if (!this.path) return this.off('unavailable', `shared memory is not supported on ${process.platform}`);
    try {
      this.writer = new load.addon.Writer(this.path, {
        bookSlots: config.bookSlots,
        tradeSlots: config.tradeSlots,
        readerSlots: config.readerSlots,
        heartbeatMs: TICK_MS,
        staleAfterMs: config.staleAfterMs,
        name: this.opts.name,
      });
    } catch (err) {
      return this.off('failed', `cannot open ${this.path}: ${(err as Error).message}`);
    }
    this.stateNow = 'running';
    this.timer = setInterval(this.tick, TICK_MS);
    this.timer.unref();
  }

  get running(): boolean {
    return this.writer !== null;
  }

  bookRecord(venueIndex: number, ring: SpscRing, off: number): void {
    if (this.writer === null) return;
    try {
      this.writer.writeBook(ring.bytes, off);
    } catch (err) {
      return this.fail(err);
    }
    this.open[venueIndex] = ring.bytes[off + 1]! & BookFlags.Continued;
  }

  tradeRecord(_venueIndex: number, ring: SpscRing, off: number): void {
    if (this.writer === null) return;
    try {
      this.writer.writeTrade(ring.bytes, off);
    } catch (err) {
      this.fail(err);
    }
  }

  instruments(venueIndex: number, instruments: InstrumentInfo[]): void {
    this.instrumentsOf[venueIndex] = instruments;
    this.publishDirectory();
  }

  state(venueIndex: number, state: VenueStateName): void {
    this.venueStates[venueIndex] = VENUE_STATE_NAMES.indexOf(state);
    this.publishDirectory();
  }

  status(): ShmStatus {
    const w = this.writer;
    const c = w?.counters();
    if (c) this.lastCounts = { book: c.book, trade: c.trade };
    const cfg = this.opts.config;
    return {
      enabled: cfg.enabled,
      state: this.stateNow,
      reason: this.reason,
      path: this.path,
      layoutVersion: SHM_LAYOUT_VERSION,
      bookSlots: cfg.bookSlots,
      tradeSlots: cfg.tradeSlots,
      readerSlots: cfg.readerSlots,
      records: { ...this.lastCounts },
      snapshots: { rounds: this.rounds, records: this.snapshotRecords },
      instruments: this.instrumentsOf.reduce((n, list) => n + (list?.length ?? 0), 0),
      readers: w ? w.readers() : [],
    };
  }

  /** Clean shutdown: readers see the closed state; the file is removed. */
  close(): void {
    if (!this.writer) return;
    this.status();
    clearInterval(this.timer);
    this.writer.close(true);
    this.writer = null;
    this.stateNow = 'closed';
    this.reason = 'the engine stopped';
  }

  private off(state: ShmState, reason: string): void {
    this.stateNow = state;
    this.reason = reason;
  }

  private fail(err: unknown): void {
    clearInterval(this.timer);
    try {
      this.status();
      this.writer?.close(false);
    } catch {
      // already closed: the last counts stand
    }
    this.writer = null;
    this.off('failed', `writing failed: ${(err as Error).message}`);
  }

  private publishDirectory(): void {
    if (!this.writer) return;
    const entries: ShmDirectoryEntry[] = [];
    this.instrumentsOf.forEach((list, venueId) => {
      list?.forEach((inst, symbolId) => {
        const p = precisionOf(inst);
        entries.push({
          venueId, symbolId, venue: this.opts.venues[venueId] ?? `venue-${venueId}`, symbol: inst.symbol,
          tickSize: Number(inst.tickSize), lotSize: Number(inst.lotSize), tickText: inst.tickSize, lotText: inst.lotSize,
          priceDecimals: p.priceDecimals, sizeDecimals: p.sizeDecimals, venueState: this.venueStates[venueId] ?? 0,
        });
      });
    });
    try {
      this.writer.setInstruments(entries);
    } catch (err) {
      this.fail(err);
    }
  }

  private readonly tick = (): void => {
    const w = this.writer;
    if (!w) return;
    try {
      w.heartbeat();
      if (w.pendingSnapshots() === 0) return;
      // A venue's update half copied means its books are mid-change: answer on a later tick.
      if (this.open.some((x) => x !== 0)) return;
      let records = 0;
      for (let v = 0; v < this.opts.venues.length; v++) records += this.snapshotVenue(v);
      w.snapshotsServed(records);
      this.rounds++;
      this.snapshotRecords += records;
    } catch (err) {
      this.fail(err);
    }
  };

  /**
   * Full books of one venue's exact books (stale ones get the venue's own resync snapshot later),
   * led by a zero-level update that changes nothing: a reader that joined mid-update finds the
   * update boundary there (docs/shm.md, "Resync"). Returns the records written.
   */
  private snapshotVenue(venueId: number): number {
    const exact = this.opts.books(venueId).map((book, symbolId) => ({ book, symbolId })).filter((b) => !b.book.stale);
    if (exact.length === 0) return 0;
    const first = exact[0]!;
    const header: BookUpdateHeader = {
      venueId, symbolId: first.symbolId, exchangeTs: NaN, recvTs: first.book.lastUpdateTs,
      version: first.book.version, prevVersion: first.book.version, snapshot: false,
    };
    let records = this.writeUpdate(header, 0);
    for (const { book, symbolId } of exact) {
      const bids = book.book.depth(Side.Bid);
      const count = bids + book.book.depth(Side.Ask);
      this.ensureLevels(count);
      book.book.top(Side.Bid, bids, this.prices, this.qtys);
      book.book.top(Side.Ask, count - bids, this.prices.subarray(bids), this.qtys.subarray(bids));
      this.sides.fill(Side.Bid, 0, bids).fill(Side.Ask, bids, count);
      records += this.writeUpdate({ venueId, symbolId, exchangeTs: NaN, recvTs: book.lastUpdateTs, version: book.version, prevVersion: 0, snapshot: true }, count);
    }
    return records;
  }

  /** Encodes one update with records.ts into the staging ring and copies its records to shm. */
  private writeUpdate(header: BookUpdateHeader, count: number): number {
    const needed = bookRecordsFor(count);
    if (needed > this.staging.capacity) {
      this.staging = SpscRing.create({ slotSize: BOOK_RECORD_SIZE, capacity: 2 ** Math.ceil(Math.log2(needed)) });
    }
    writeBookUpdate(this.staging, header, this.sides, this.prices, this.qtys, count);
    const w = this.writer!;
    const staging = this.staging;
    return staging.poll((off) => w.writeBook(staging.bytes, off), needed);
  }

  private ensureLevels(count: number): void {
    if (count <= this.prices.length) return;
    const n = 2 ** Math.ceil(Math.log2(count));
    this.sides = new Uint8Array(n);
    this.prices = new Float64Array(n);
    this.qtys = new Float64Array(n);
  }
}
