import type { BookPrecision } from '../../shared/frames';
import type { BookCopy } from '../data/book-copy';
import { fmtPrice, fmtQty, instrumentPrecision } from '../data/format';
import { groupSide } from '../data/grouping';
import type { Market } from '../data/market';
import type { UiStore } from '../data/ui-store';
import { FormatCache, bindRow, type RowCells } from './row-cells';

/** Rows per side; the ladder shows this many asks above the spread row and bids below. */
export const LADDER_DEPTH = 50;
const FLASH_MS = 300;
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

/** Repaints the fixed ladder rows in place, only when the book, grouping or flash changed. */
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
  private readonly cells: RowCells[];
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
  ) {
    const rows = els.rows.length;
    this.cells = els.rows.map((row) => bindRow(row, '.lc', '.lbar'));
    this.side = new Uint8Array(rows).fill(255);
    this.price = new Float64Array(rows).fill(-1);
    this.qty = new Float64Array(rows).fill(-1);
    this.cum = new Float64Array(rows).fill(-1);
    this.sizeBar = new Float64Array(rows).fill(-1);
    this.depthBar = new Float64Array(rows).fill(-1);
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

    const reason = book ? (book.staleReason ?? (this.market.venues.isDegraded(book.venue) ? 'venue' : null)) : 'waiting';
    const staleText = reason ? STALE_TEXT[reason] : '';
    const same = book === this.book && (book?.version ?? -1) === this.bookVersion && grouping === this.grouping && precision === this.precision;
    if (same && !flashChanged && staleText === this.staleText) return;
    if (book !== this.book) this.tradeTotal = ring?.total ?? -1;

    this.book = book;
    this.bookVersion = book?.version ?? -1;
    this.grouping = grouping;
    this.forceText = !samePrecision(precision, this.precision);
    this.precision = precision;
    if (staleText !== this.staleText) this.paintStale(staleText);
    this.paintRows(book, grouping, precision, flashing);
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

  private paintRows(book: BookCopy | null, grouping: number, p: BookPrecision, flashing: boolean): void {
    const n = this.n;
    const na = book ? groupSide(book.asks, true, grouping, n, this.askP, this.askQ) : 0;
    const nb = book ? groupSide(book.bids, false, grouping, n, this.bidP, this.bidQ) : 0;
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
    // asks: best ask in row n-1, worse ones above it
    let cum = 0;
    for (let k = 0; k < n; k++) {
      const row = n - 1 - k;
      if (k < na) {
        cum += this.askQ[k];
        this.setRow(row, 1, this.askP[k], this.askQ[k], cum, maxQty, maxCum, p);
        if (tradePrice <= this.askP[k] && tradePrice > this.askP[k] - grouping) flashRow = row;
      } else this.setRow(row, 0, NaN, NaN, NaN, 1, 1, p);
    }
    cum = 0;
    for (let k = 0; k < n; k++) {
      const row = n + k;
      if (k < nb) {
        cum += this.bidQ[k];
        this.setRow(row, 2, this.bidP[k], this.bidQ[k], cum, maxQty, maxCum, p);
        if (tradePrice >= this.bidP[k] && tradePrice < this.bidP[k] + grouping) flashRow = row;
      } else this.setRow(row, 0, NaN, NaN, NaN, 1, 1, p);
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
      texts[0].nodeValue = text;
    }
    if (!Object.is(qty, this.qty[i]) || force) {
      this.qty[i] = qty;
      const text = fmtQty(qty, p);
      row.setAttribute('data-size', text);
      texts[1].nodeValue = text;
    }
    if (!Object.is(cum, this.cum[i]) || force) {
      this.cum[i] = cum;
      texts[2].nodeValue = fmtQty(cum, p);
    }
    const depth = side === 0 ? 0 : Math.round((cum / maxCum) * BAR_STEPS);
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
