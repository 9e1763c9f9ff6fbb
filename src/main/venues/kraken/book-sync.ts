// Kraken WebSocket v2 book channel: https://docs.kraken.com/exchange/api-reference/spot-websocket-v2/book
// Book upkeep and checksum: https://docs.kraken.com/exchange/guides/websockets/book-checksum-v2
//
// Kraken's v2 book has no sequence numbers: the CRC32 of the top 10 levels on every message is
// the only proof the book is exact. So each symbol keeps a shadow book here; a message is parsed,
// applied to the shadow, truncated to the subscribed depth and checksummed before anything reaches
// the collector. Anything wrong marks the symbol stale and resubscribes it for a new snapshot.
import { L2Book } from '../../market/l2-book';
import type { Collector } from '../../collectors/collector';
import type { LogLevel } from '../../telemetry/log';
import type { PriceTicks, Qty, Side } from '../../../shared/units';
import { BookChecksum, CHECKSUM_LEVELS } from './checksum';
import { BookScanner } from './fast-scan';
import { LevelScratch, isChecksum, readLevels, rfc3339Micros, rfc3339MicrosAt, unitsOf, type BookItem, type Units } from './messages';
import type { KrakenInstrument } from './symbols';

export interface BookSyncOptions {
  depth: number;
  /** a resubscribe that brings no snapshot within this long restarts the connection */
  resyncTimeoutMs: number;
  /** repeated resyncs of one symbol back off from this to backoffMaxMs */
  backoffInitialMs: number;
  backoffMaxMs: number;
}

export interface BookSyncHooks {
  /** send on the current connection (dropped when there is none: the next connect subscribes anew) */
  send(text: string): void;
  restart(reason: string): void;
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

interface SymbolState {
  id: number;
  inst: KrakenInstrument;
  units: Units;
  shadow: L2Book;
  checksum: BookChecksum;
  /** the current subscription's snapshot was accepted; updates before it belong to an old one */
  live: boolean;
  /** a (re)subscribe is out and its snapshot has not come */
  pending: boolean;
  lastTs: number;
  /** the checksum of the shadow as it is, -1 when not known */
  lastSum: number;
  /** the last single-symbol update message, verbatim, to tell a duplicate */
  lastText: string;
  /** resyncs since the last good update: backs off resubscribes to a venue that keeps failing */
  failures: number;
  timer: NodeJS.Timeout | undefined;
}

const isPowerOf10 = (n: number): boolean => {
  while (n >= 10 && n % 10 === 0) n /= 10;
  return n === 1;
};

export class KrakenBooks {
  private readonly states: SymbolState[];
  private readonly byWs = new Map<string, SymbolState>();
  private readonly scratch = new LevelScratch();
  private readonly scanner = new BookScanner();
  private readonly lookup = (ws: string): SymbolState | undefined => this.byWs.get(ws);
  private drops = new Float64Array(64);
  /** levels an update placed beyond the subscribed depth (dropped at once, as Kraken's rules say) */
  beyondDepth = 0;

  constructor(
    private readonly collector: Collector,
    instruments: KrakenInstrument[],
    private readonly opts: BookSyncOptions,
    private readonly hooks: BookSyncHooks,
  ) {
    this.states = instruments.map((inst) => {
      const id = collector.symbolId(inst.symbol);
      if (id < 0) throw new Error(`${inst.symbol} was not declared to the collector`);
      const units = unitsOf(inst);
      const st: SymbolState = { id, inst, units, shadow: new L2Book(opts.depth + 16), checksum: new BookChecksum(units.tickUnits, units.lotUnits), live: false, pending: false, lastTs: -Infinity, lastSum: -1, lastText: '', failures: 0, timer: undefined };
      this.byWs.set(inst.wsSymbol, st);
      return st;
    });
  }

  subscribeMessage(symbols = this.states.map((s) => s.inst.wsSymbol)): string {
    return JSON.stringify({ method: 'subscribe', params: { channel: 'book', symbol: symbols, depth: this.opts.depth, snapshot: true } });
  }

  /** A new connection is about to subscribe to every book: each waits for its snapshot. */
  onSubscribeAll(): void {
    for (const st of this.states) this.reset(st, true);
  }

  /** The connection is gone: no book can be vouched for until its next snapshot. */
  onDown(reason: string): void {
    for (const st of this.states) {
      this.collector.markStale(st.id, `connection lost: ${reason}`);
      this.reset(st, false);
    }
  }

  stop(): void {
    for (const st of this.states) clearTimeout(st.timer);
  }

  /** A book message whose content cannot be trusted: resync the symbols it names, or all. */
  resyncNamed(data: unknown, reason: string): void {
    const named = Array.isArray(data) ? data.map((d) => this.byWs.get((d as BookItem | null)?.symbol as string)).filter((s) => s !== undefined) : [];
    for (const st of named.length > 0 ? named : this.states) this.resync(st, reason);
  }

  resyncAll(reason: string): void {
    for (const st of this.states) this.resync(st, reason);
  }

  /** One item of a book message; `text` is the whole message when it holds only this item. */
  onItem(item: BookItem, snapshot: boolean, text: string): void {
    const st = this.byWs.get(item.symbol as string);
    if (!st) {
      this.collector.counters.badMessages++;
      this.hooks.log('warn', `book message for a symbol not subscribed: ${JSON.stringify(item.symbol)?.slice(0, 40)}`);
      return;
    }
    if (!snapshot && !st.live) return;
    if (snapshot) st.pending = false;
    const sym = st.inst.wsSymbol;
    const s = this.scratch;
    s.n = 0;
    let err = readLevels(item.bids, 0, st.units, snapshot, s) ?? readLevels(item.asks, 1, st.units, snapshot, s);
    if (!err && !isChecksum(item.checksum)) err = `checksum ${JSON.stringify(item.checksum)} is not a CRC32`;
    let ts = NaN;
    if (!err && item.timestamp !== undefined) {
      ts = typeof item.timestamp === 'string' ? rfc3339Micros(item.timestamp) : NaN;
      if (ts !== ts) err = `timestamp ${JSON.stringify(item.timestamp)} is not RFC 3339`;
    }
    if (err) {
      this.collector.counters.badMessages++;
      this.hooks.log('warn', `bad book ${snapshot ? 'snapshot' : 'update'} for ${sym}: ${err}; resubscribing`);
      return this.resync(st, `bad book message: ${err}`);
    }
    this.apply(st, snapshot, item.checksum as number, ts, text);
  }

  /**
   * A one-symbol book update read by the fast scanner (fast-scan.ts) straight from the text; false
   * when the text is not in the plain shape it reads, and JSON.parse must decide.
   */
  fastUpdate(text: string): boolean {
    const r = this.scanner.scan(text, this.lookup, this.scratch);
    if (!r) return false;
    const st = r.target;
    if (!st.live) return true;
    const ts = rfc3339MicrosAt(text, r.tsStart, r.tsEnd);
    if (ts !== ts) return false;
    this.apply(st, false, r.checksum, ts, text);
    return true;
  }

  /** Applies the levels in the scratch to the shadow, proves the checksum, then stages into the collector. */
  private apply(st: SymbolState, snapshot: boolean, checksum: number, ts: number, text: string): void {
    const sym = st.inst.wsSymbol;
    const s = this.scratch;
    if (!snapshot) {
      if (ts < st.lastTs) {
        this.collector.counters.gaps++;
        this.hooks.log('warn', `book update for ${sym} is older than the last one (${new Date(ts / 1000).toISOString()}): out of order; resubscribing`);
        return this.resync(st, 'book update out of order');
      }
      // A duplicate carries the same timestamp; only then are the texts compared.
      if (text !== '' && (ts === st.lastTs || ts !== ts) && text === st.lastText) {
        this.collector.counters.gaps++;
        this.hooks.log('warn', `duplicate book update for ${sym} ignored (sizes are absolute: the book is unchanged)`);
        return;
      }
    }
    const book = st.shadow;
    // Changes all below the 10th level leave the checksummed top 10 as it was (NaN: a side under 10 deep).
    let top10 = snapshot || st.lastSum < 0;
    const bid10 = book.priceAt(0, CHECKSUM_LEVELS - 1);
    const ask10 = book.priceAt(1, CHECKSUM_LEVELS - 1);
    if (snapshot) book.clear();
    for (let i = 0; i < s.n; i++) {
      const price = s.prices[i]!;
      if (s.sides[i] === 0 ? !(price < bid10) : !(price > ask10)) top10 = true;
      book.apply(s.sides[i] as Side, price as PriceTicks, s.qtys[i] as Qty);
    }
    const dropped = this.truncate(st);
    const sum = top10 ? st.checksum.of(book) : st.lastSum;
    if (sum !== checksum) {
      this.collector.counters.checksumFailures++;
      this.hooks.log('warn', `checksum mismatch on ${sym} ${snapshot ? 'snapshot' : 'update'}: Kraken ${checksum}, ours ${sum}; resubscribing`);
      return this.resync(st, 'checksum mismatch');
    }
    if (book.isCrossed()) {
      this.collector.counters.badMessages++;
      this.hooks.log('warn', `${sym} book is crossed after a ${snapshot ? 'snapshot' : 'update'} with a good checksum; resubscribing`);
      return this.resync(st, 'crossed book');
    }
    const c = this.collector;
    if (snapshot) {
      if (st.live) {
        c.counters.resyncs++;
        this.hooks.log('warn', `second snapshot for ${sym} on one subscription: book replaced`);
      }
      book.forEach(0, (p, q) => c.level(0, p, q));
      book.forEach(1, (p, q) => c.level(1, p, q));
      c.endUpdate(st.id, ts, true);
      st.live = true;
      clearTimeout(st.timer);
      st.timer = undefined;
    } else {
      for (let i = 0; i < s.n; i++) c.level(s.sides[i] as Side, s.prices[i] as PriceTicks, s.qtys[i] as Qty);
      for (let i = 0; i < dropped; i += 2) c.level(this.drops[i] as Side, this.drops[i + 1] as PriceTicks, 0 as Qty);
      c.endUpdate(st.id, ts);
      st.failures = 0;
    }
    if (ts === ts) st.lastTs = ts;
    st.lastText = text;
    st.lastSum = sum;
  }

  /** Cuts the shadow to the subscribed depth (Kraken sends no removal for levels pushed out); returns 2× levels dropped. */
  private truncate(st: SymbolState): number {
    const { shadow: book } = st;
    const depth = this.opts.depth;
    let n = 0;
    for (let sd = 0; sd < 2; sd++) {
      const side = sd as Side;
      const extra = book.depth(side) - depth;
      if (extra <= 0) continue;
      if (this.drops.length < n + 2 * extra) {
        const d = new Float64Array(2 * (n + 2 * extra));
        d.set(this.drops);
        this.drops = d;
      }
      for (let r = depth; r < depth + extra; r++) {
        const price = book.priceAt(side, r);
        this.drops[n++] = side;
        this.drops[n++] = price;
        // Legitimate when one message both brings a level into scope and pushes it out again; logged sparingly.
        if (this.inMessage(side, price) && isPowerOf10(++this.beyondDepth)) {
          this.hooks.log('info', `${st.inst.wsSymbol} update placed a level beyond depth ${depth} (${this.beyondDepth} so far); dropped, as Kraken's book rules say`);
        }
      }
      book.truncate(side, depth);
    }
    return n;
  }

  private inMessage(side: number, price: number): boolean {
    const s = this.scratch;
    for (let i = 0; i < s.n; i++) if (s.prices[i] === price && s.sides[i] === side) return true;
    return false;
  }

  /** Marks the book stale and asks Kraken for a new snapshot (unsubscribe, then subscribe). */
  resync(st: SymbolState, reason: string): void {
    this.collector.markStale(st.id, reason);
    st.live = false;
    st.shadow.clear();
    st.lastTs = -Infinity;
    st.lastSum = -1;
    st.lastText = '';
    if (st.pending) return;
    st.pending = true;
    this.collector.counters.resyncs++;
    const delay = st.failures === 0 ? 0 : Math.min(this.opts.backoffMaxMs, this.opts.backoffInitialMs * 2 ** (st.failures - 1));
    st.failures++;
    clearTimeout(st.timer);
    const resubscribe = () => {
      const ws = st.inst.wsSymbol;
      this.hooks.send(JSON.stringify({ method: 'unsubscribe', params: { channel: 'book', symbol: [ws], depth: this.opts.depth } }));
      this.hooks.send(this.subscribeMessage([ws]));
      this.armDeadline(st);
    };
    if (delay === 0) resubscribe();
    else st.timer = setTimeout(resubscribe, delay);
  }

  private reset(st: SymbolState, subscribing: boolean): void {
    st.live = false;
    st.pending = subscribing;
    st.shadow.clear();
    st.lastTs = -Infinity;
    st.lastSum = -1;
    st.lastText = '';
    clearTimeout(st.timer);
    st.timer = undefined;
    if (subscribing) this.armDeadline(st);
  }

  private armDeadline(st: SymbolState): void {
    clearTimeout(st.timer);
    st.timer = setTimeout(() => {
      st.timer = undefined;
      if (!st.live) this.hooks.restart(`no snapshot for ${st.inst.wsSymbol} within ${this.opts.resyncTimeoutMs} ms of subscribing`);
    }, this.opts.resyncTimeoutMs);
  }
}
