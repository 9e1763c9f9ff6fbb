import { describe, expect, it } from 'vitest';
import type { Cross } from './detect';
import { ArbitrageTracker } from './tracker';

const cross = (buyVenue: string, sellVenue: string, netBps = 2, symbol = 'BTC-USD'): Cross => ({
  symbol, buyVenue, sellVenue, buyPrice: '100.00', sellPrice: '100.10', buyVersion: 1, sellVersion: 1, touchSize: '1', size: '1',
  buyLevels: 1, sellLevels: 1, buyVwap: 100, sellVwap: 100.1, grossBps: 10, netBps, profit: netBps / 100, buyFeeBps: 4, sellFeeBps: 4,
});

const tracker = (alertIntervalMs = 30_000, recentLimit = 10) => new ArbitrageTracker({ alertIntervalMs, recentLimit, quoteOf: (s) => s.split('-')[1]! });

describe('ArbitrageTracker', () => {
  it('measures duration from first seen to now while live, and to the end once ended', () => {
    const t = tracker();
    t.update('BTC-USD', [cross('a', 'b', 2)], 1_000);
    t.update('BTC-USD', [cross('a', 'b', 5)], 1_400);
    t.touch('BTC-USD', 1_500);
    const [live] = t.current(1_700);
    expect(live).toMatchObject({ firstSeen: 1_000, lastSeen: 1_500, endedAt: null, durationMs: 700, netBps: 5, peakNetBps: 5, quote: 'USD' });
    expect(live!.id).toBe('BTC-USD:a>b@1000');
    t.update('BTC-USD', [cross('a', 'b', 1)], 2_000);
    t.update('BTC-USD', [], 2_600);
    expect(t.current(3_000)).toEqual([]);
    const [ended] = t.recent();
    expect(ended).toMatchObject({ firstSeen: 1_000, endedAt: 2_600, durationMs: 1_600, netBps: 1, peakNetBps: 5 });
  });

  it('an opportunity alerts once when it appears and not again for the same pair within the interval', () => {
    const t = tracker(10_000);
    expect(t.update('BTC-USD', [cross('a', 'b')], 0)).toHaveLength(1);
    // lasting does not alert again
    expect(t.update('BTC-USD', [cross('a', 'b')], 500)).toHaveLength(0);
    // it flickers out and back in: a new opportunity (new id), but no alert inside 10 s
    t.update('BTC-USD', [], 1_000);
    expect(t.update('BTC-USD', [cross('a', 'b')], 1_100)).toHaveLength(0);
    expect(t.current(1_100)[0]!.id).toBe('BTC-USD:a>b@1100');
    t.update('BTC-USD', [], 9_000);
    expect(t.update('BTC-USD', [cross('a', 'b')], 9_999)).toHaveLength(0);
    t.update('BTC-USD', [], 10_000);
    // 10 s after the last alert it may alert again
    const again = t.update('BTC-USD', [cross('a', 'b')], 10_000);
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ buyVenue: 'a', sellVenue: 'b', ts: 10_000 });
    // other pairs and other symbols have their own clocks
    expect(t.update('BTC-USD', [cross('a', 'b'), cross('b', 'c')], 10_100)).toHaveLength(1);
    expect(t.update('ETH-USD', [cross('a', 'b', 2, 'ETH-USD')], 10_100)).toHaveLength(1);
  });

  it('updating one symbol leaves the others alone; recent keeps the newest ends up to its limit', () => {
    const t = tracker(0, 2);
    t.update('BTC-USD', [cross('a', 'b')], 0);
    t.update('ETH-USD', [cross('a', 'b', 2, 'ETH-USD')], 0);
    t.update('BTC-USD', [], 100);
    expect(t.current(100).map((o) => o.symbol)).toEqual(['ETH-USD']);
    t.update('ETH-USD', [], 200);
    t.update('BTC-USD', [cross('c', 'a')], 300);
    t.update('BTC-USD', [], 400);
    expect(t.recent().map((o) => [o.symbol, o.endedAt])).toEqual([
      ['BTC-USD', 400],
      ['ETH-USD', 200],
    ]);
  });
});
