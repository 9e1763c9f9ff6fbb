import { describe, expect, it } from 'vitest';
import type { ArbitrageMessage, ArbOpportunity, ConsolidatedMessage } from '../../shared/arbitrage';
import { createArbitrageStore, durationNow, fmtDuration } from './arbitrage-store';

const opp = (id: string, endedAt: number | null, durationMs: number): ArbOpportunity => ({
  id, symbol: 'BTC-USD', buyVenue: 'sim-a', buyPrice: '100.00', sellVenue: 'sim-b', sellPrice: '100.10', buyVersion: 1, sellVersion: 1,
  touchSize: '1', size: '1', buyLevels: 1, sellLevels: 1, buyVwap: 100, sellVwap: 100.1, grossBps: 10, netBps: 2, profit: 0.02, quote: 'USD',
  buyFeeBps: 4, sellFeeBps: 4, firstSeen: 0, lastSeen: 0, endedAt, durationMs, peakNetBps: 2,
});

const message = (alerts: string[], live: ArbOpportunity[] = []): ArbitrageMessage => ({
  type: 'arbitrage', ts: 5_000, live, recent: [], crossedUnderFees: 0, takerFeeBps: { default: 5 }, alertIntervalSeconds: 30,
  alerts: alerts.map((id) => ({ id, symbol: 'BTC-USD', buyVenue: 'sim-a', sellVenue: 'sim-b', netBps: 1, profit: 1, size: '1', ts: 0 })),
});

describe('arbitrage store', () => {
  it('keeps the latest state, and alerts newest first', () => {
    let now = 100;
    const store = createArbitrageStore(() => now);
    store.getState().apply(message(['x', 'y']));
    now = 350;
    store.getState().apply(message(['z'], [opp('o', null, 1_000)]));
    const s = store.getState();
    expect(s.alerts.map((a) => a.id)).toEqual(['z', 'y', 'x']);
    expect(s.state?.live).toHaveLength(1);
    expect(s.stateReceivedMs).toBe(350);
    expect('type' in s.state!).toBe(false);
  });

  it('keeps the consolidated book per symbol', () => {
    const store = createArbitrageStore(() => 7);
    const book = (symbol: string): ConsolidatedMessage => ({ type: 'consolidated', symbol, ts: 0, venues: [], bids: [], asks: [] });
    store.getState().apply(book('BTC-USD'));
    store.getState().apply(book('ETH-USD'));
    expect(Object.keys(store.getState().consolidated)).toEqual(['BTC-USD', 'ETH-USD']);
    expect(store.getState().consolidated['ETH-USD']!.receivedMs).toBe(7);
  });

  it('counts a live duration on the local clock from arrival, and freezes an ended one', () => {
    expect(durationNow(opp('o', null, 1_000), 200, 1_700)).toBe(2_500);
    expect(durationNow(opp('o', 9_000, 1_000), 200, 1_700)).toBe(1_000);
    // a tick older than the message never counts backwards
    expect(durationNow(opp('o', null, 1_000), 200, 100)).toBe(1_000);
  });

  it('formats durations compactly', () => {
    expect([850, 12_300, 125_000, 4_000_000].map(fmtDuration)).toEqual(['850ms', '12.3s', '2m05s', '1h06m']);
  });
});
