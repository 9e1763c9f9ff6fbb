import { describe, expect, it } from 'vitest';
import { BookSide } from './book-side';
import { bucketOf, groupSide } from './grouping';

function fill(sign: 1 | -1, levels: Array<[number, number]>): BookSide {
  const s = new BookSide(sign);
  for (const [p, q] of levels) s.set(p, q);
  return s;
}

function run(s: BookSide, isAsk: boolean, g: number, max = 10): Array<[number, number]> {
  const p = new Float64Array(max);
  const q = new Float64Array(max);
  const n = groupSide(s, isAsk, g, max, p, q);
  return Array.from({ length: n }, (_, i) => [p[i], q[i]]);
}

describe('grouping', () => {
  it('floors bids and ceils asks', () => {
    expect(bucketOf(1234, 10, false)).toBe(1230);
    expect(bucketOf(1234, 10, true)).toBe(1240);
    expect(bucketOf(1240, 10, true)).toBe(1240);
    expect(bucketOf(1240, 10, false)).toBe(1240);
    expect(bucketOf(1234, 1, true)).toBe(1234);
    expect(bucketOf(-3, 5, false)).toBe(-5);
  });

  it('passes levels through at 1 tick', () => {
    const bids = fill(1, [[100, 1], [99, 2], [97, 3]]);
    expect(run(bids, false, 1)).toEqual([[100, 1], [99, 2], [97, 3]]);
  });

  it('sums sizes into buckets, best first', () => {
    const bids = fill(1, [[1009, 1], [1005, 2], [1000, 4], [999, 8], [990, 16], [981, 32]]);
    expect(run(bids, false, 10)).toEqual([[1000, 7], [990, 24], [980, 32]]);
    const asks = fill(-1, [[1001, 1], [1005, 2], [1010, 4], [1011, 8], [1030, 16]]);
    expect(run(asks, true, 10)).toEqual([[1010, 7], [1020, 8], [1030, 16]]);
    expect(run(asks, true, 5)).toEqual([[1005, 3], [1010, 4], [1015, 8], [1030, 16]]);
  });

  it('stops at maxRows buckets but completes the last one', () => {
    const bids = fill(1, [[100, 1], [95, 1], [94, 1], [90, 1], [80, 1]]);
    expect(run(bids, false, 5)).toEqual([[100, 1], [95, 1], [90, 2], [80, 1]]);
    expect(run(bids, false, 5, 2)).toEqual([[100, 1], [95, 1]]);
    expect(run(bids, false, 10, 1)).toEqual([[100, 1]]);
    expect(run(bids, false, 100, 2)).toEqual([[100, 1], [0, 4]]);
  });
});
