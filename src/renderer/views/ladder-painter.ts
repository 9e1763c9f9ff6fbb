import type { BookPrecision } from '../../shared/frames';
import type { BookCopy } from '../data/book-copy';
import { fmtPrice, fmtQty, instrumentPrecision } from '../data/format';
import { bucketOf, groupSide } from '../data/grouping';
import type { Market } from '../data/market';
import { priceTextToTicks } from '../data/order-math';
import type { TradingStore } from '../data/trading-store';
import type { UiStore } from '../data/ui-store';
import { WorkingIndex, mergeWorking, type WorkingLevel } from '../data/working-levels';
import { FormatCache, bindRow, type RowCells } from './row-cells';

/** Rows per side; the ladder shows this many asks above the spread row and bids below. */
export const LADDER_DEPTH = 50;
const FLASH_MS = 300;
/** own fills flash longer than the market's trades: they matter more */
const FILL_FLASH_MS = 900;
const FALLBACK: BookPrecision = { priceDecimals: 0, sizeDecimals: 0, tickUnits: 1, lotUnits: 1 };
const STALE_TEXT = { waiting: 'NO SNAPSHOT', gap: 'RESYNC', stale: 'STALE', link: 'OFFLINE', venue: 'VENUE DOWN' } as const;

export interface LadderElements {
  root: HTMLElement;
  rows: HTMLElement[];
  spread: HTMLElement;
  badge: HTMLElement;
  bestBid: HTMLElement;
  bestAsk: HTMLElement;
  version: HTMLElement;
}

const SIDE_NAMES = ['', 'ask', 'bid'] as const;
const ROW_CLASSES = ['lrow empty', 'lrow ask', 'lrow bid'] as const;
/** bar widths are quantised to 1/BAR_STEPS of the row so tiny changes skip the style write */
const BAR_STEPS = 400;
/** size bars scale to the largest level among this many nearest the touch; bigger ones clamp */
const SCALE_ROWS = 20;

function samePrecision(a: BookPrecision | null, b: BookPrecision | null): boolean {
  return a === b || (!!a && !!b && a.priceDecimals === b.priceDecimals && a.sizeDecimals === b.sizeDecimals && a.tickUnits === b.tickUnits && a.lotUnits === b.lotUnits);
}

/** What a ladder row stands for, for clicks and drags. */
export interface RowInfo {
  side: 'ask' | 'bid' | '';
  /** the row's price bucket in ticks, NaN on an empty row */
  ticks: number;
  working: WorkingLevel | undefined;
}

// cells of a row, in DOM order
const MINE = 0;
const PRICE = 1;
const SIZE = 2;
const CUM = 3;

/**
 * Repaints the fixed ladder rows in place, only when the book, grouping, our working orders or a
 * flash changed. Working orders get a row even where the book has no level (a paper order is not
 * in the venue's book).
 */
export class LadderPainter {
  private readonly n = LADDER_DEPTH;
  private readonly askP = new Float64Array(LADDER_DEPTH);
  private readonly askQ = new Float64Array(LADDER_DEPTH);
  private readonly bidP = new Float64Array(LADDER_DEPTH);
  private readonly bidQ = new Float64Array(LADDER_DEPTH);
  // what each row shows now
  private readonly side: Uint8Array;
  private readonly price: Float64Array;
  private readonly qty: Float64Array;
  private readonly cum: Float64Array;
  private readonly sizeBar: Float64Array;
  private readonly depthBar: Float64Array;
  private readonly working: Float64Array;
  private readonly scratchP = new Float64Array(LADDER_DEPTH * 2);
  private readonly scratchQ = new Float64Array(LADDER_DEPTH * 2);
  private readonly cells: RowCells[];
  private readonly index = new WorkingIndex();
  private indexVersion = -1;
  private fillSeq = -1;
  private fillTicks = NaN;
  /** the row side our fill traded on: a resting buy fills on a bid row, a taking buy on an ask row */
  private fillOnAsk = false;
  private fillUntil = 0;
  private fillRow = -1;
  private readonly prices = new FormatCache();
  private flashRow = -1;
  private book: BookCopy | null | undefined = undefined;
  private bookVersion = -1;
  private grouping = 0;
  private precision: BookPrecision | null = null;
  private staleText = '?';
  private tradeTotal = -1;
  private tradePrice = NaN;
  private tradeSide = 0;
  private flashUntil = 0;
  /** the precision changed: rewrite every text cell */
  private forceText = false;

  constructor(
    private readonly els: LadderElements,
    private readonly market: Market,
    private readonly ui: UiStore,
    private readonly trading: TradingStore,
  ) {
    const rows = els.rows.length;
    this.cells = els.rows.map((row) => bindRow(row, '.lc', '.lbar'));
    this.side = new Uint8Array(rows).fill(255);
    this.price = new Float64Array(rows).fill(-1);
    this.qty = new Float64Array(rows).fill(-1);
    this.cum = new Float64Array(rows).fill(-1);
    this.sizeBar = new Float64Array(rows).fill(-1);
    this.depthBar = new Float64Array(rows).fill(-1);
    this.working = new Float64Array(rows).fill(-1);
  }

  /** The row's side, price bucket and our working orders there (for the ladder's click handlers). */
  rowInfo(i: number): RowInfo {
    const side = this.side[i] === 1 ? 'ask' : this.side[i] === 2 ? 'bid' : '';
    const ticks = side ? this.price[i] : NaN;
    return { side, ticks, working: side ? this.index.at(side === 'ask', ticks) : undefined };
  }

  paint(now: number): void {
    const { selection, grouping, venues } = this.ui.getState();
    const book = selection ? (this.market.book(selection.venue, selection.symbol) ?? null) : null;
    const ring = selection ? this.market.tradeRingOf(selection.venue, selection.symbol) : undefined;
    let precision = book?.precision ?? (selection ? instrumentPrecision(venues, selection.venue, selection.symbol) : null) ?? FALLBACK;
    if (samePrecision(precision, this.precision)) precision = this.precision!;

    let flashChanged = false;
    if (ring && ring.total !== this.tradeTotal) {
      if (this.tradeTotal >= 0 && ring.total > this.tradeTotal) {
        const slot = ring.slot(0);
        this.tradePrice = ring.prices[slot];
        this.tradeSide = ring.sides[slot];
        this.flashUntil = now + FLASH_MS;
      }
      this.tradeTotal = ring.total;
      flashChanged = true;
    }
    const flashing = now < this.flashUntil;
    if (!flashing && this.flashRow >= 0) flashChanged = true;

    const t = this.trading.getState();
    if (selection) this.index.update(t.orders.values(), t.ordersVersion, selection.venue, selection.symbol, precision, grouping);
    const workingChanged = this.index.version !== this.indexVersion;
    this.indexVersion = this.index.version;
    if (t.fillSeq !== this.fillSeq) {
      const f = t.lastFill;
      if (this.fillSeq >= 0 && f && selection && f.venue === selection.venue && f.symbol === selection.symbol) {
        this.fillTicks = priceTextToTicks(f.price, precision);
        this.fillOnAsk = (f.side === 'sell') === (f.liquidity === 'maker');
        this.fillUntil = now + FILL_FLASH_MS;
        flashChanged = true;
      }
      this.fillSeq = t.fillSeq;
    }
    const fillFlashing = now < this.fillUntil;
    if (!fillFlashing && this.fillRow >= 0) flashChanged = true;

    const reason = book ? (book.staleReason ?? (this.market.venues.isDegraded(book.venue) ? 'venue' : null)) : 'waiting';
    const staleText = reason ? STALE_TEXT[reason] : '';
    const same = book === this.book && (book?.version ?? -1) === this.bookVersion && grouping === this.grouping && precision === this.precision;
    if (same && !flashChanged && !workingChanged && staleText === this.staleText) return;
    if (book !== this.book) this.tradeTotal = ring?.total ?? -1;

    this.book = book;
    this.bookVersion = book?.version ?? -1;
    this.grouping = grouping;
    this.forceText = !samePrecision(precision, this.precision);
    this.precision = precision;
    if (staleText !== this.staleText) this.paintStale(staleText);
    this.paintRows(book, grouping, precision, flashing, fillFlashing);
    this.paintSummary(book, precision, ring && ring.total > 0 ? this.tradePrice : NaN);
  }

  private paintStale(text: string): void {
    this.staleText = text;
    const { root, badge } = this.els;
    root.classList.toggle('is-stale', text !== '');
    root.dataset.stale = text !== '' ? 'true' : 'false';
    badge.textContent = text || 'LIVE';
    badge.className = text ? 'badge badge-stale' : 'badge badge-live';
  }

  private paintRows(book: BookCopy | null, grouping: number, p: BookPrecision, flashing: boolean, fillFlashing: boolean): void {
    const n = this.n;
    let na = book ? groupSide(book.asks, true, grouping, n, this.askP, this.askQ) : 0;
    let nb = book ? groupSide(book.bids, false, grouping, n, this.bidP, this.bidQ) : 0;
    if (book) {
      na = mergeWorking(this.askP, this.askQ, na, this.index.askPrices, true, n, this.scratchP, this.scratchQ);
      nb = mergeWorking(this.bidP, this.bidQ, nb, this.index.bidPrices, false, n, this.scratchP, this.scratchQ);
    }
    let maxQty = 0;
    let askTotal = 0;
    let bidTotal = 0;
    for (let i = 0; i < na; i++) {
      if (i < SCALE_ROWS && this.askQ[i] > maxQty) maxQty = this.askQ[i];
      askTotal += this.askQ[i];
    }
    for (let i = 0; i < nb; i++) {
      if (i < SCALE_ROWS && this.bidQ[i] > maxQty) maxQty = this.bidQ[i];
      bidTotal += this.bidQ[i];
    }
    const maxCum = Math.max(askTotal, bidTotal);
    const tradePrice = flashing ? this.tradePrice : NaN;
    let flashRow = -1;
    const fillAsk = fillFlashing && this.fillOnAsk ? bucketOf(this.fillTicks, grouping, true) : NaN;
    const fillBid = fillFlashing && !this.fillOnAsk ? bucketOf(this.fillTicks, grouping, false) : NaN;
    let fillRow = -1;
    // asks: best ask in row n-1, worse ones above it
    let cum = 0;
    for (let k = 0; k < n; k++) {
      const row = n - 1 - k;
      if (k < na) {
        cum += this.askQ[k];
        this.setRow(row, 1, this.askP[k], this.askQ[k], this.askQ[k] > 0 ? cum : NaN, maxQty, maxCum, p);
        this.setWorking(row, this.index.asks.get(this.askP[k])?.lots ?? 0, p);
        if (tradePrice <= this.askP[k] && tradePrice > this.askP[k] - grouping) flashRow = row;
        if (this.askP[k] === fillAsk) fillRow = row;
      } else {
        this.setRow(row, 0, NaN, NaN, NaN, 1, 1, p);
        this.setWorking(row, 0, p);
      }
    }
    cum = 0;
    for (let k = 0; k < n; k++) {
      const row = n + k;
      if (k < nb) {
        cum += this.bidQ[k];
        this.setRow(row, 2, this.bidP[k], this.bidQ[k], this.bidQ[k] > 0 ? cum : NaN, maxQty, maxCum, p);
        this.setWorking(row, this.index.bids.get(this.bidP[k])?.lots ?? 0, p);
        if (tradePrice >= this.bidP[k] && tradePrice < this.bidP[k] + grouping) flashRow = row;
        if (this.bidP[k] === fillBid) fillRow = row;
      } else {
        this.setRow(row, 0, NaN, NaN, NaN, 1, 1, p);
        this.setWorking(row, 0, p);
      }
    }
    if (fillRow !== this.fillRow) {
      if (this.fillRow >= 0) this.els.rows[this.fillRow].removeAttribute('data-fill');
      if (fillRow >= 0) this.els.rows[fillRow].setAttribute('data-fill', '');
      this.fillRow = fillRow;
    }
    if (flashRow !== this.flashRow) {
      if (this.flashRow >= 0) this.els.rows[this.flashRow].classList.remove('flash-buy', 'flash-sell');
      if (flashRow >= 0) this.els.rows[flashRow].classList.add(this.tradeSide === 0 ? 'flash-buy' : 'flash-sell');
      this.flashRow = flashRow;
    }
  }

  private setRow(i: number, side: number, price: number, qty: number, cum: number, maxQty: number, maxCum: number, p: BookPrecision): void {
    const { row, texts, bars } = this.cells[i];
    const force = this.forceText;
    if (side !== this.side[i]) {
      this.side[i] = side;
      row.setAttribute('data-side', SIDE_NAMES[side]);
      row.className = ROW_CLASSES[side];
    }
    if (!Object.is(price, this.price[i]) || force) {
      this.price[i] = price;
      const text = this.prices.get(price, p, (v) => fmtPrice(v, p));
      row.setAttribute('data-price', text);
      texts[PRICE].nodeValue = text;
    }
    if (!Object.is(qty, this.qty[i]) || force) {
      this.qty[i] = qty;
      // 0: a row only our working order made (no level in the book)
      const text = qty > 0 ? fmtQty(qty, p) : '';
      row.setAttribute('data-size', text);
      texts[SIZE].nodeValue = text;
    }
    if (!Object.is(cum, this.cum[i]) || force) {
      this.cum[i] = cum;
      texts[CUM].nodeValue = fmtQty(cum, p);
    }
    const depth = side === 0 || !(cum > 0) ? 0 : Math.round((cum / maxCum) * BAR_STEPS);
    if (depth !== this.depthBar[i]) {
      this.depthBar[i] = depth;
      bars[0].style.transform = `scaleX(${depth / BAR_STEPS})`;
    }
    const size = side === 0 ? 0 : Math.round(Math.min(1, qty / maxQty) * BAR_STEPS);
    if (size !== this.sizeBar[i]) {
      this.sizeBar[i] = size;
      bars[1].style.transform = `scaleX(${size / BAR_STEPS})`;
    }
  }

  private setWorking(i: number, lots: number, p: BookPrecision): void {
    if (lots === this.working[i] && !this.forceText) return;
    this.working[i] = lots;
    const { row, texts } = this.cells[i];
    const text = lots > 0 ? fmtQty(lots, p) : '';
    texts[MINE].nodeValue = text;
    if (text) row.setAttribute('data-working', text);
    else row.removeAttribute('data-working');
  }

  private paintSummary(book: BookCopy | null, p: BookPrecision, lastTrade: number): void {
    const { bestBid, bestAsk, version, spread } = this.els;
    const bid = book ? book.bestBid() : NaN;
    const ask = book ? book.bestAsk() : NaN;
    setText(bestBid, fmtPrice(bid, p) || '–');
    setText(bestAsk, fmtPrice(ask, p) || '–');
    setText(version, book && Number.isFinite(book.bookVersion) ? String(book.bookVersion) : '–');
    const cells = spread.children as HTMLCollectionOf<HTMLElement>;
    if (Number.isFinite(bid) && Number.isFinite(ask)) {
      const ticks = ask - bid;
      const mid = ((bid + ask) / 2) * p.tickUnits;
      const bps = mid > 0 ? ((ticks * p.tickUnits) / mid) * 1e4 : NaN;
      setText(cells[0], `${fmtPrice(ticks, p)}  ${ticks}t${Number.isFinite(bps) ? `  ${fmtBps(bps)}bp` : ''}`);
    } else setText(cells[0], '–');
    setText(cells[1], Number.isFinite(lastTrade) ? fmtPrice(lastTrade, p) : '');
    spread.classList.toggle('up', this.tradeSide === 0);
    spread.classList.toggle('down', this.tradeSide === 1);
  }
}

function fmtBps(bps: number): string {
  return bps >= 10 ? bps.toFixed(1) : bps >= 0.1 ? bps.toFixed(2) : bps.toPrecision(2);
}

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
