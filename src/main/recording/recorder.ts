/**
 * The engine-side recorder: CollectorHost hands it every record it drains (book records, trades)
 * and every venue state change; it copies the fields into preallocated column buffers, nothing
 * more. Full batches (and, once a second, partial ones) go to the recorder worker by transfer,
 * which encodes and writes them; the buffers come back for reuse. A recorder that fails (full
 * disk, worker gone, disk too slow) stops recording, says why, and never holds up the feed.
 */
import type { Worker } from 'node:worker_threads';
import type { SpscRing } from '../rings/spsc-ring';
import {
  BookFlags, bookCount, bookExchangeTs, bookFlags, bookLevelPrice, bookLevelQty, bookLevelSide, bookPrevVersion, bookRecvTs, bookSymbolId, bookVersion,
  tradeAggressor, tradeExchangeTs, tradePrice, tradeQty, tradeRecvTs, tradeSymbolId, tradeTradeId,
} from '../rings/records';
import type { InstrumentInfo } from '../../shared/protocol';
import type { VenueStateName } from '../../shared/frames';
import { nowMicros } from '../../shared/units';
import { spawnWorker, workerEntry } from '../workers/spawn';
import { log } from '../telemetry/log';
import { allocBatch, batchCapacity, putStatusRow, transferList, type ColumnBatch } from './columns';
import type { FromRecorderWorker, RecorderInit, ToRecorderWorker } from './messages';
import { NO_SYMBOL, NO_U8, RowFlags, RowKind, STATE_NAMES } from './schema';

/** What CollectorHost calls; every method is cheap and never throws. */
export interface RecordTap {
  bookRecord(venueIndex: number, ring: SpscRing, off: number): void;
  tradeRecord(venueIndex: number, ring: SpscRing, off: number): void;
  instruments(venueIndex: number, instruments: InstrumentInfo[]): void;
  state(venueIndex: number, state: VenueStateName, reason: string | undefined): void;
}

export interface RecordingStatus {
  state: 'recording' | 'failed' | 'stopped';
  dir: string;
  rows: number;
  files: number;
  bytes: number;
  error: { code: string; message: string } | null;
}

export interface RecorderOptions extends RecorderInit {
  batchRows: number;
  flushMs: number;
}

/** Batches handed to the worker and not yet written; past this the disk is not keeping up. */
const MAX_IN_FLIGHT = 32;

export class Recorder implements RecordTap {
  readonly status: RecordingStatus;
  private active = true;
  private cols: ColumnBatch;
  private n = 0;
  private reasons: Array<[number, string]> = [];
  private readonly pool: ColumnBatch[] = [];
  private inFlight = 0;
  private readonly symbolIndex = new Map<string, number>();
  private readonly symbols: string[] = [];
  /** per venue: the venue's symbol id → index in `symbols` */
  private readonly venueSymbols: number[][];
  private readonly worker: Worker;
  private readonly timer: NodeJS.Timeout;
  private readonly closed: Promise<void>;

  constructor(private readonly opts: RecorderOptions) {
    this.status = { state: 'recording', dir: opts.dir, rows: 0, files: 0, bytes: 0, error: null };
    this.cols = allocBatch(opts.batchRows);
    this.venueSymbols = opts.venues.map(() => []);
    const init: RecorderInit = { dir: opts.dir, maxFileBytes: opts.maxFileBytes, rotateHourly: opts.rotateHourly, venues: opts.venues };
    this.worker = spawnWorker(workerEntry(import.meta.url, 'recorder-worker'), { workerData: init, name: 'recorder' });
    this.worker.on('message', (m: FromRecorderWorker) => this.onMessage(m));
    this.worker.on('error', (err) => this.fail('recorder-crashed', `recording stopped: the recorder worker failed: ${err.message}`));
    this.closed = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.timer = setInterval(() => this.flush(), opts.flushMs);
    this.timer.unref();
  }

  bookRecord(venueIndex: number, ring: SpscRing, off: number): void {
    if (!this.active) return;
    const symbol = this.venueSymbols[venueIndex]![bookSymbolId(ring, off)] ?? NO_SYMBOL;
    const flags = bookFlags(ring, off);
    const snap = (flags & BookFlags.Snapshot) !== 0 ? RowFlags.Snapshot : 0;
    const last = (flags & BookFlags.Continued) === 0;
    const count = bookCount(ring, off);
    const recv = bookRecvTs(ring, off);
    const ex = bookExchangeTs(ring, off);
    const version = bookVersion(ring, off);
    const prev = bookPrevVersion(ring, off);
    const rows = Math.max(1, count);
    for (let i = 0; i < rows; i++) {
      if (this.n === this.opts.batchRows) {
        this.flush();
        if (!this.active) return;
      }
      const c = this.cols;
      const r = this.n++;
      c.recvTs[r] = recv;
      c.exchangeTs[r] = ex;
      c.venue[r] = venueIndex;
      c.symbol[r] = symbol;
      c.kind[r] = RowKind.Book;
      c.flags[r] = snap | (last && i === rows - 1 ? RowFlags.End : 0) | (count === 0 ? RowFlags.Empty : 0);
      c.version[r] = version;
      c.prevVersion[r] = prev;
      c.tradeId[r] = NaN;
      c.state[r] = NO_U8;
      if (count === 0) {
        c.side[r] = NO_U8;
        c.price[r] = NaN;
        c.qty[r] = NaN;
      } else {
        c.side[r] = bookLevelSide(ring, off, i);
        c.price[r] = bookLevelPrice(ring, off, i);
        c.qty[r] = bookLevelQty(ring, off, i);
      }
    }
  }

  tradeRecord(venueIndex: number, ring: SpscRing, off: number): void {
    if (!this.active) return;
    if (this.n === this.opts.batchRows) {
      this.flush();
      if (!this.active) return;
    }
    const c = this.cols;
    const r = this.n++;
    c.recvTs[r] = tradeRecvTs(ring, off);
    c.exchangeTs[r] = tradeExchangeTs(ring, off);
    c.venue[r] = venueIndex;
    c.symbol[r] = this.venueSymbols[venueIndex]![tradeSymbolId(ring, off)] ?? NO_SYMBOL;
    c.kind[r] = RowKind.Trade;
    c.flags[r] = 0;
    c.side[r] = tradeAggressor(ring, off);
    c.price[r] = tradePrice(ring, off);
    c.qty[r] = tradeQty(ring, off);
    c.version[r] = NaN;
    c.prevVersion[r] = NaN;
    c.tradeId[r] = tradeTradeId(ring, off);
    c.state[r] = NO_U8;
  }

  instruments(venueIndex: number, instruments: InstrumentInfo[]): void {
    if (!this.active) return;
    this.venueSymbols[venueIndex] = instruments.map((inst) => {
      let id = this.symbolIndex.get(inst.symbol);
      if (id === undefined) {
        id = this.symbols.length;
        this.symbols.push(inst.symbol);
        this.symbolIndex.set(inst.symbol, id);
      }
      return id;
    });
    // Rows naming the new symbols are flushed after this message, so the worker knows them first.
    this.flush();
    this.post({ type: 'instruments', venueIndex, instruments, symbols: [...this.symbols] });
  }

  state(venueIndex: number, state: VenueStateName, reason: string | undefined): void {
    if (!this.active) return;
    if (this.n === this.opts.batchRows) this.flush();
    if (!this.active) return;
    const r = this.n++;
    putStatusRow(this.cols, r, nowMicros(), venueIndex, STATE_NAMES.indexOf(state));
    if (reason) this.reasons.push([r, reason]);
  }

  /** Hands the filled rows to the worker; called when a batch is full and on a timer. */
  flush(): void {
    if (!this.active || this.n === 0) return;
    if (this.inFlight >= MAX_IN_FLIGHT) {
      this.fail('recorder-behind', `recording to ${this.opts.dir} stopped: the disk is not keeping up with the feed (${MAX_IN_FLIGHT} batches waiting)`);
      return;
    }
    const cols = this.cols;
    this.post({ type: 'batch', rows: this.n, cols, reasons: this.reasons }, transferList(cols));
    this.inFlight++;
    this.cols = this.pool.pop() ?? allocBatch(this.opts.batchRows);
    this.n = 0;
    this.reasons = [];
  }

  /** Writes what is buffered, finishes the open file and the manifest. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.flush();
    const wasActive = this.active;
    this.active = false;
    this.post({ type: 'close' });
    const timeout = setTimeout(() => void this.worker.terminate(), 10_000);
    await this.closed;
    clearTimeout(timeout);
    if (wasActive && this.status.state === 'recording') this.status.state = 'stopped';
  }

  private post(m: ToRecorderWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(m, transfer);
  }

  private onMessage(m: FromRecorderWorker): void {
    switch (m.type) {
      case 'written':
        this.inFlight--;
        this.status.rows = m.rows;
        this.status.bytes = m.bytes;
        this.status.files = m.files;
        if (batchCapacity(m.cols) === this.opts.batchRows) this.pool.push(m.cols);
        break;
      case 'failed':
        this.fail(m.code, m.message);
        break;
      case 'closed':
        this.status.files = m.files;
        this.status.bytes = m.bytes;
        break;
    }
  }

  private fail(code: string, message: string): void {
    if (this.status.state === 'failed') return;
    this.active = false;
    this.n = 0;
    this.status.state = 'failed';
    this.status.error = { code, message };
    log.error({ code, dir: this.opts.dir }, message);
  }
}
