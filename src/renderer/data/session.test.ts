import { describe, expect, it } from 'vitest';
import type { PulseTransport, TransportHandlers } from '../../shared/bridge';
import type { Command, VenueInfo } from '../../shared/protocol';
import { startSession } from './session';
import { delta, snapshot } from './test-frames';
import { createTradingStore } from './trading-store';
import { createUiStore } from './ui-store';

class FakeTransport implements PulseTransport {
  sent: Command[] = [];
  h!: TransportHandlers;
  connect(handlers: TransportHandlers): void {
    this.h = handlers;
    handlers.onState('open');
  }
  send(command: Command): void {
    this.sent.push(command);
  }
  close(): void {}
}

const venue = (id: string, symbols: string[]): VenueInfo => ({
  id, kind: 'simulator', state: 'live', symbols, instruments: symbols.map((symbol) => ({ symbol, tickSize: '0.01', lotSize: '0.001' })),
});

describe('session', () => {
  it('subscribes on hello, resubscribes on switching, and asks for a snapshot on a gap', () => {
    const t = new FakeTransport();
    const ui = createUiStore();
    const s = startSession(t, ui);
    try {
      t.h.onControl({ type: 'hello', engine: 'e', frameIntervalMs: 50, venues: [venue('sim', ['ETH-USD', 'BTC-USD']), venue('b', ['SOL-USD'])] });
      expect(t.sent).toEqual([{ type: 'subscribe', venue: 'sim', symbol: 'BTC-USD' }]);
      t.h.onFrame(snapshot(1, [[100, 1]], [[101, 1]]).buf);
      t.h.onFrame(delta(5, 6, [[100, 2]], []).buf);
      expect(t.sent.at(-1)).toEqual({ type: 'snapshot', venue: 'sim', symbol: 'BTC-USD' });
      expect(s.market.book('sim', 'BTC-USD')!.staleReason).toBe('gap');
      ui.getState().selectVenue('b');
      expect(t.sent.slice(-2)).toEqual([
        { type: 'unsubscribe', venue: 'sim', symbol: 'BTC-USD' },
        { type: 'subscribe', venue: 'b', symbol: 'SOL-USD' },
      ]);
      expect(s.market.book('sim', 'BTC-USD')).toBeUndefined();
      t.h.onState('closed');
      expect(ui.getState().link).toBe('closed');
      expect(s.market.book('b', 'SOL-USD')!.staleReason).toBe('link');
    } finally {
      s.stop();
    }
  });

  it('routes trading events and the role to the trading store, and sends orders on the same link', () => {
    const t = new FakeTransport();
    const ui = createUiStore();
    const trading = createTradingStore();
    const s = startSession(t, ui, trading);
    try {
      t.h.onControl({ type: 'hello', engine: 'e', frameIntervalMs: 50, venues: [venue('sim', ['BTC-USD'])], role: 'risk' });
      expect(trading.getState().role).toBe('risk');
      t.h.onControl({ type: 'hello', engine: 'e', frameIntervalMs: 50, venues: [venue('sim', ['BTC-USD'])] });
      expect(trading.getState().role).toBe('trader');
      t.h.onControl({ type: 'risk', risk: { killSwitch: { engaged: true, reason: 'x', at: 1 }, grossExposure: 0, netExposure: 0, dailyPnl: 0, openOrders: 0, usage: [], recentRejects: [] } });
      expect(trading.getState().risk!.killSwitch.engaged).toBe(true);
      const id = s.trading.place({ venue: 'sim', symbol: 'BTC-USD', side: 'sell', type: 'market', qty: '1', tif: 'IOC', postOnly: false, reduceOnly: false }, 'ticket');
      expect(t.sent.at(-1)).toMatchObject({ type: 'place-order', order: { clientOrderId: id, side: 'sell' } });
      t.h.onControl({ type: 'error', code: 'forbidden', message: 'the risk role cannot place order', clientOrderId: id! });
      expect(trading.getState().rejects.at(-1)!.reason).toContain('forbidden');
      expect(ui.getState().lastError).toBe('');
    } finally {
      s.stop();
    }
  });

  it('keeps signals and inference status as advice: nothing is sent because of them', () => {
    const t = new FakeTransport();
    const ui = createUiStore();
    const s = startSession(t, ui);
    try {
      t.h.onControl({ type: 'hello', engine: 'e', frameIntervalMs: 50, venues: [venue('sim', ['BTC-USD', 'ETH-USD'])] });
      const sentBefore = t.sent.length;
      for (let i = 0; i < 50; i++) {
        t.h.onControl({ type: 'signal', venue: 'sim', symbol: i % 2 ? 'BTC-USD' : 'ETH-USD', ts: 1000 + i, probs: i % 3 ? [0.05, 0.1, 0.85] : [0.9, 0.05, 0.05], provider: 'cpu', latencyUs: 300 });
      }
      t.h.onControl({ type: 'inference', status: { enabled: true, provider: 'cpu', requested: 'auto', skipped: [], model: null, error: null, runs: 50, batches: 10, latencyP50Us: 250, latencyP99Us: 800 } });
      expect(s.signals.of('sim', 'BTC-USD')!.count).toBe(25);
      expect(s.signals.of('sim', 'ETH-USD')!.marks.length).toBeGreaterThan(0);
      expect(s.signals.status!.provider).toBe('cpu');
      expect(t.sent.length).toBe(sentBefore);
    } finally {
      s.stop();
    }
  });
});
