import type { BookSide } from './book-side';

export const GROUPINGS = [1, 5, 10, 50, 100] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** The bucket a price (ticks) falls in: bids floor to the group, asks ceil. */
export function bucketOf(price: number, groupTicks: number, isAsk: boolean): number {
  if (groupTicks <= 1) return price;
  return (isAsk ? Math.ceil(price / groupTicks) : Math.floor(price / groupTicks)) * groupTicks;
}

/**
 * Walks one side best first, summing sizes into buckets of `groupTicks` ticks, and writes up to
 * `maxRows` buckets (best first) into the output arrays. Returns how many were written.
 * Allocates nothing.
 */
export function groupSide(
  side: BookSide,
  isAsk: boolean,
  groupTicks: number,
  maxRows: number,
  outPrices: Float64Array,
  outQtys: Float64Array,
): number {
  const limit = Math.min(maxRows, outPrices.length, outQtys.length);
  const depth = side.depth;
  let rows = 0;
  for (let r = 0; r < depth; r++) {
    const price = side.priceAt(r);
    const qty = side.qtyAt(r);
    const bucket = bucketOf(price, groupTicks, isAsk);
    if (rows > 0 && outPrices[rows - 1] === bucket) {
      outQtys[rows - 1] += qty;
      continue;
    }
    if (rows === limit) break;
    outPrices[rows] = bucket;
    outQtys[rows] = qty;
    rows++;
  }
  return rows;
}
