import type { Market } from '../data/market';
import { ticksToNumber } from '../data/order-math';
import { markedPnl } from '../data/trading-store';

const EVERY_MS = 250;

/** Signed, two decimals, thousands separated: "+1,234.50", "−0.45", "0.00". */
export function fmtPnl(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const abs = Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return v > 0.004 ? `+${abs}` : v < -0.004 ? `−${abs}` : '0.00';
}

/** The live mid of a book this terminal follows, as a number; NaN when not followed or not live. */
export function liveMid(market: Market, venue: string, symbol: string): number {
  const b = market.book(venue, symbol);
  if (!b || b.stale || !b.precision) return NaN;
  const bid = b.bestBid();
  const ask = b.bestAsk();
  return Number.isFinite(bid) && Number.isFinite(ask) ? ticksToNumber((bid + ask) / 2, b.precision) : NaN;
}

/**
 * Marks positions live: cells with data-upnl (and data-mark) are rewritten a few times a second
 * from the book's mid when this terminal follows that book, else from the engine's last values.
 */
export class PnlPainter {
  private next = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly market: Market,
  ) {}

  paint(now: number): void {
    if (now < this.next) return;
    this.next = now + EVERY_MS;
    for (const cell of this.root.querySelectorAll<HTMLElement>('[data-upnl]')) {
      const d = cell.dataset;
      const mark = liveMid(this.market, d.venue ?? '', d.symbol ?? '');
      const v = markedPnl({ qty: d.qty ?? '0', avgPrice: d.avg ? d.avg : null, unrealizedPnl: Number(d.engine) }, mark);
      const text = fmtPnl(v);
      if (cell.textContent !== text) cell.textContent = text;
      cell.classList.toggle('pos', v > 0.004);
      cell.classList.toggle('neg', v < -0.004);
      const live = Number.isFinite(mark) ? 'true' : 'false';
      if (d.live !== live) {
        d.live = live;
        cell.title = live === 'true' ? 'marked at the live mid' : "the engine's mark at its last update (this book is not followed here)";
      }
    }
    for (const cell of this.root.querySelectorAll<HTMLElement>('[data-mark]')) {
      const d = cell.dataset;
      const live = liveMid(this.market, d.venue ?? '', d.symbol ?? '');
      const mark = Number.isFinite(live) ? live : d.engineMark ? Number(d.engineMark) : NaN;
      const text = Number.isFinite(mark) ? mark.toLocaleString('en-US', { maximumFractionDigits: 6, useGrouping: false }) : '–';
      if (cell.textContent !== text) cell.textContent = text;
    }
  }
}
