import { Side, type PriceTicks, type Qty } from '../../../shared/units';

/**
 * One side of a simulated book as parallel arrays ordered from the deepest level (index 0)
 * to the best (last index), so the frequent edits near the touch move few elements.
 * Prices are strictly monotone along the arrays; quantities are positive integers.
 */
export class BookSide {
  readonly px: number[] = [];
  readonly qx: number[] = [];
  /** +1 for bids (better = higher price), -1 for asks. */
  readonly dir: 1 | -1;

  constructor(readonly side: Side) {
    this.dir = side === Side.Bid ? 1 : -1;
  }

  get length(): number {
    return this.px.length;
  }

  get best(): number {
    return this.px[this.px.length - 1];
  }

  /** Array index of the level `rank` places behind the touch. */
  indexOf(rank: number): number {
    return this.px.length - 1 - rank;
  }

  insert(i: number, price: number, qty: number): void {
    if (i === this.px.length) {
      this.px.push(price);
      this.qx.push(qty);
    } else {
      this.px.splice(i, 0, price);
      this.qx.splice(i, 0, qty);
    }
  }

  remove(i: number): void {
    if (i === this.px.length - 1) {
      this.px.pop();
      this.qx.pop();
    } else if (i === 0) {
      this.px.shift();
      this.qx.shift();
    } else {
      this.px.splice(i, 1);
      this.qx.splice(i, 1);
    }
  }

  /** Best first. */
  levels(): Array<[PriceTicks, Qty]> {
    const out: Array<[PriceTicks, Qty]> = [];
    for (let i = this.px.length - 1; i >= 0; i--) out.push([this.px[i] as PriceTicks, this.qx[i] as Qty]);
    return out;
  }
}
