import type { BookPrecision } from '../../shared/frames';
import { fmtPrice, fmtQty, fmtTimeMicros, instrumentPrecision } from '../data/format';
import type { Market } from '../data/market';
import type { TradeRing } from '../data/trade-ring';
import type { UiStore } from '../data/ui-store';

export const TAPE_ROWS = 50;
const FALLBACK: BookPrecision = { priceDecimals: 0, sizeDecimals: 0, tickUnits: 1, lotUnits: 1 };

/**
 * Keeps the fixed tape rows newest-on-top. New trades recycle the bottom rows: they move to the
 * top and only they are rewritten, so a trade costs one row of DOM writes, not fifty.
 * (The Tape component never re-renders, so React does not mind the reordering.)
 */
export class TapePainter {
  private ring: TradeRing | null = null;
  private total = 0;
  private maxQty = 0;
  /** rows in DOM order, top first */
  private readonly order: HTMLElement[];
  /** qty shown in each row (by element), for rescaling the bars */
  private readonly qtyOf = new Map<HTMLElement, number>();

  constructor(
    rows: HTMLElement[],
    private readonly market: Market,
    private readonly ui: UiStore,
  ) {
    this.order = rows.slice();
  }

  paint(): void {
    const { selection, venues } = this.ui.getState();
    const ring = (selection && this.market.tradeRingOf(selection.venue, selection.symbol)) || null;
    const total = ring?.total ?? 0;
    if (ring === this.ring && total === this.total) return;
    const book = selection ? this.market.book(selection.venue, selection.symbol) : undefined;
    const p = book?.precision ?? (selection ? instrumentPrecision(venues, selection.venue, selection.symbol) : null) ?? FALLBACK;
    const fresh = Math.min(TAPE_ROWS, ring !== this.ring || total < this.total ? TAPE_ROWS : total - this.total);
    this.ring = ring;
    this.total = total;

    const visible = ring ? Math.min(ring.size, TAPE_ROWS) : 0;
    let maxQty = 0;
    for (let age = 0; age < visible; age++) maxQty = Math.max(maxQty, ring!.qtys[ring!.slot(age)]);

    if (fresh < TAPE_ROWS) {
      const body = this.order[0].parentElement!;
      for (let k = 0; k < fresh; k++) {
        const row = this.order.pop()!;
        body.insertBefore(row, this.order[0]);
        this.order.unshift(row);
      }
    }
    for (let age = 0; age < fresh; age++) this.fill(this.order[age], ring, age < visible ? ring!.slot(age) : -1, p, maxQty);
    if (maxQty !== this.maxQty) {
      this.maxQty = maxQty;
      for (let i = fresh; i < TAPE_ROWS; i++) this.scaleBar(this.order[i], this.qtyOf.get(this.order[i]) ?? 0, maxQty);
    }
  }

  private fill(row: HTMLElement, ring: TradeRing | null, slot: number, p: BookPrecision, maxQty: number): void {
    const cells = row.children as HTMLCollectionOf<HTMLElement>;
    if (!ring || slot < 0) {
      row.className = 'trow empty';
      row.removeAttribute('data-testid');
      row.dataset.side = '';
      for (let c = 0; c < 4; c++) cells[c].textContent = '';
      this.qtyOf.set(row, 0);
      this.scaleBar(row, 0, maxQty);
      return;
    }
    const buy = ring.sides[slot] === 0;
    const qty = ring.qtys[slot];
    const price = fmtPrice(ring.prices[slot], p);
    const size = fmtQty(qty, p);
    row.className = buy ? 'trow buy' : 'trow sell';
    row.dataset.testid = 'tape-row';
    row.dataset.side = buy ? 'buy' : 'sell';
    row.dataset.price = price;
    row.dataset.size = size;
    cells[0].textContent = fmtTimeMicros(ring.ts[slot]);
    cells[1].textContent = buy ? 'BUY' : 'SELL';
    cells[2].textContent = price;
    cells[3].textContent = size;
    this.qtyOf.set(row, qty);
    this.scaleBar(row, qty, maxQty);
  }

  private scaleBar(row: HTMLElement, qty: number, maxQty: number): void {
    const bar = row.children[4].firstElementChild as HTMLElement;
    bar.style.transform = `scaleX(${qty > 0 && maxQty > 0 ? Math.max(0.01, qty / maxQty).toFixed(3) : 0})`;
  }
}
