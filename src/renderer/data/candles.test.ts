import { describe, expect, it } from 'vitest';
import { CandleSeries, CandleSet } from './candles';

const s = (sec: number): number => sec * 1e6;

describe('candles', () => {
  it('builds OHLC and volume per interval', () => {
    const c = new CandleSeries(1);
    c.add(s(100.1), 50, 2, 0);
    c.add(s(100.5), 55, 1, 1);
    c.add(s(100.9), 48, 3, 0);
    c.add(s(101.0), 49, 1, 1);
    expect(c.candles).toEqual([
      { time: 100, open: 50, high: 55, low: 48, close: 48, volume: 6, buyVolume: 5 },
      { time: 101, open: 49, high: 49, low: 49, close: 49, volume: 1, buyVolume: 0 },
    ]);
    expect(c.rewrites).toBe(0);
  });

  it('buckets 5s and 1m candles on interval boundaries', () => {
    const set = new CandleSet();
    for (let t = 0; t < 130; t += 1) set.add(s(1_700_000_000 + t), 100 + t, 1, 0);
    const five = set.get(5).candles;
    expect(five[0].time % 5).toBe(0);
    expect(five[0].volume).toBe(5);
    const minute = set.get(60).candles;
    expect(minute.map((c) => c.time % 60)).toEqual([0, 0, 0]);
    expect(minute.reduce((a, c) => a + c.volume, 0)).toBe(130);
    expect(set.get(1).candles).toHaveLength(130);
  });

  it('merges a late trade into its bucket and flags a rewrite', () => {
    const c = new CandleSeries(1);
    c.add(s(10), 5, 1, 0);
    c.add(s(12), 6, 1, 0);
    c.add(s(10.5), 9, 1, 1);
    expect(c.candles[0]).toMatchObject({ time: 10, high: 9, close: 9, volume: 2 });
    expect(c.rewrites).toBe(1);
    c.add(s(11), 7, 1, 0);
    expect(c.candles.map((x) => x.time)).toEqual([10, 11, 12]);
    expect(c.rewrites).toBe(2);
  });

  it('keeps at most maxCandles (trimming in chunks)', () => {
    const c = new CandleSeries(1, 100);
    for (let t = 0; t < 1000; t++) c.add(s(t), 1, 1, 0);
    expect(c.candles.length).toBeLessThanOrEqual(125);
    expect(c.candles[c.candles.length - 1].time).toBe(999);
  });
});
