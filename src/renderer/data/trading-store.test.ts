import { describe, expect, it } from 'vitest';
import { ORDER_STATES, TERMINAL_STATES } from '../../shared/trading';
import {
  applyTradingError,
  applyTradingEvent,
  createTradingStore,
  emptyTrading,
  markedPnl,
  noteNotSent,
  noteSubmitted,
  orderEntryBlock,
  resultOf,
  workingOrders,
  TERMINAL,
  isWorking,
  type SubmitRecord,
} from './trading-store';
import { fill, order, position, risk } from './trading-fixtures';

const rec = (id: string): SubmitRecord => ({ clientOrderId: id, venue: 'sim-a', symbol: 'BTC-USD', side: 'buy', origin: 'ticket', at: 5 });

describe('trading store', () => {
  it('takes the snapshot on connect, then upserts orders by clientOrderId', () => {
    let d = applyTradingEvent(emptyTrading(), {
      type: 'orders',
      orders: [order({ clientOrderId: 'a-00001' }), order({ clientOrderId: 'r-00001', state: 'rejected', reason: 'maxOrderQty: too big' })],
      fills: [fill({ fillId: 'f1', clientOrderId: 'x-00001' })],
      positions: [position()],
      risk: risk(),
    });
    expect(d.orders.size).toBe(2);
    expect(d.rejects.map((r) => r.reason)).toEqual(['maxOrderQty: too big']);
    expect(d.positions).toHaveLength(1);
    const v0 = d.ordersVersion;

    d = applyTradingEvent(d, { type: 'order', order: order({ clientOrderId: 'a-00001', state: 'partially-filled', filledQty: '0.00500', updatedAt: 1100 }) });
    expect(d.orders.get('a-00001')!.state).toBe('partially-filled');
    expect(d.orders.size).toBe(2);
    expect(d.ordersVersion).toBe(v0 + 1);

    // the latest event wins even when its stamp is earlier (paper fills are stamped before the ack)
    d = applyTradingEvent(d, { type: 'order', order: order({ clientOrderId: 'a-00001', state: 'filled', filledQty: '0.01000', updatedAt: 1050 }) });
    expect(d.orders.get('a-00001')!.state).toBe('filled');
    // but a finished order never comes back to life
    d = applyTradingEvent(d, { type: 'order', order: order({ clientOrderId: 'a-00001', state: 'working', updatedAt: 1300 }) });
    expect(d.orders.get('a-00001')!.state).toBe('filled');
  });

  it('records a reject once, with the engine reason, when an order becomes rejected', () => {
    let d = emptyTrading();
    const rejected = order({ clientOrderId: 'k-00001', state: 'rejected', reason: 'killSwitch: kill switch engaged; no new orders' });
    d = applyTradingEvent(d, { type: 'order', order: rejected });
    d = applyTradingEvent(d, { type: 'order', order: { ...rejected, updatedAt: 1001 } });
    expect(d.rejects).toHaveLength(1);
    expect(d.rejects[0]).toMatchObject({ clientOrderId: 'k-00001', source: 'engine', reason: expect.stringContaining('kill switch') });
  });

  it('appends fills once each and keeps the last for the ladder flash', () => {
    let d = emptyTrading();
    d = applyTradingEvent(d, { type: 'fill', fill: fill({ fillId: 'f1', clientOrderId: 'a-00001' }) });
    d = applyTradingEvent(d, { type: 'fill', fill: fill({ fillId: 'f1', clientOrderId: 'a-00001' }) });
    d = applyTradingEvent(d, { type: 'fill', fill: fill({ fillId: 'f2', clientOrderId: 'a-00001', price: '67001.00' }) });
    expect(d.fills.map((f) => f.fillId)).toEqual(['f1', 'f2']);
    expect(d.fillSeq).toBe(2);
    expect(d.lastFill!.price).toBe('67001.00');
  });

  it('replaces positions and risk wholesale', () => {
    let d = applyTradingEvent(emptyTrading(), { type: 'positions', positions: [position(), position({ symbol: 'ETH-USD' })] });
    d = applyTradingEvent(d, { type: 'positions', positions: [position({ qty: '0.00000', avgPrice: null })] });
    expect(d.positions).toHaveLength(1);
    d = applyTradingEvent(d, { type: 'risk', risk: risk({ killSwitch: { engaged: true, reason: 'desk', at: 9 } }) });
    expect(d.risk!.killSwitch.engaged).toBe(true);
  });

  it('follows the last submitted order into the result line', () => {
    let d = noteSubmitted(emptyTrading(), rec('tk-1-1-aaaaaa'));
    expect(resultOf(d, d.lastSubmitted)!.state).toBe('sent');
    d = applyTradingEvent(d, { type: 'order', order: order({ clientOrderId: 'tk-1-1-aaaaaa', state: 'rejected', reason: 'killSwitch: kill switch engaged (test); no new orders' }) });
    const r = resultOf(d, d.lastSubmitted)!;
    expect(r.state).toBe('rejected');
    expect(r.text).toMatch(/^rejected · buy 0.01000 BTC-USD @ 67000.00 — killSwitch: kill switch engaged/);
  });

  it('turns an engine error about a sent order into a reject, and other errors into a notice', () => {
    let d = noteSubmitted(emptyTrading(), rec('tk-1-2-aaaaaa'));
    d = applyTradingError(d, { code: 'off-grid', message: 'price "1.001" has more than 2 decimals', clientOrderId: 'tk-1-2-aaaaaa' }, 7);
    expect(d.rejects.at(-1)).toMatchObject({ source: 'error', reason: expect.stringContaining('off-grid') });
    expect(resultOf(d, 'tk-1-2-aaaaaa')!.text).toContain('off-grid');
    d = applyTradingEvent(d, { type: 'order', order: order({ clientOrderId: 'w-00001', state: 'filled' }) });
    const n = d.rejects.length;
    d = applyTradingError(d, { code: 'not-open', message: 'order w-00001 is already filled', clientOrderId: 'w-00001' }, 8);
    expect(d.rejects).toHaveLength(n);
    expect(d.notice!.text).toContain('already filled');
  });

  it('a bad-command error without an id answers the last order still waiting for one', () => {
    let d = noteSubmitted(emptyTrading(), rec('tk-1-4-aaaaaa'));
    d = applyTradingError(d, { code: 'bad-command', message: 'order.qty: a positive decimal number' }, 9);
    expect(resultOf(d, 'tk-1-4-aaaaaa')!.state).toBe('refused');
    // once answered, a later bad-command is only a notice
    const n = d.rejects.length;
    d = applyTradingError(d, { code: 'bad-command', message: 'command is not valid JSON' }, 10);
    expect(d.rejects).toHaveLength(n);
    expect(d.notice!.text).toContain('not valid JSON');
  });

  it('records orders the terminal would not send', () => {
    const d = noteNotSent(emptyTrading(), rec('tk-1-3-aaaaaa'), 'risk role: view only');
    expect(d.rejects.at(-1)).toMatchObject({ source: 'local', reason: 'not sent: risk role: view only' });
    expect(resultOf(d, d.lastSubmitted)!.state).toBe('refused');
  });

  it('lists working orders newest first, filtered by book', () => {
    let d = emptyTrading();
    for (const [id, symbol, state, at] of [['a-00001', 'BTC-USD', 'working', 1], ['b-00001', 'ETH-USD', 'working', 2], ['c-00001', 'BTC-USD', 'pending', 3], ['d-00001', 'BTC-USD', 'cancelled', 4]] as const) {
      d = applyTradingEvent(d, { type: 'order', order: order({ clientOrderId: id, symbol, state, createdAt: at, updatedAt: at }) });
    }
    expect(workingOrders(d, 'sim-a', 'BTC-USD').map((o) => o.clientOrderId)).toEqual(['c-00001', 'a-00001']);
    expect(workingOrders(d)).toHaveLength(3);
  });

  it('marks positions at a live price, else keeps the engine value', () => {
    expect(markedPnl(position({ qty: '0.5', avgPrice: '100' }), 110)).toBeCloseTo(5, 9);
    expect(markedPnl(position({ qty: '-0.5', avgPrice: '100' }), 110)).toBeCloseTo(-5, 9);
    expect(markedPnl(position({ qty: '0.5', avgPrice: '100', unrealizedPnl: 3 }), NaN)).toBe(3);
    expect(markedPnl(position({ qty: '0', avgPrice: null, unrealizedPnl: 0 }), 110)).toBe(0);
  });

  it('the store wires the reducers', () => {
    const s = createTradingStore(() => 42);
    s.getState().setRole('risk');
    s.getState().apply({ type: 'order', order: order({ clientOrderId: 'a-00001' }) });
    s.getState().notify('hello');
    expect(s.getState().role).toBe('risk');
    expect(s.getState().orders.size).toBe(1);
    expect(s.getState().notice).toEqual({ text: 'hello', at: 42 });
  });
});

describe('terminal states', () => {
  it('agree with the contract', () => {
    expect([...TERMINAL].sort()).toEqual([...TERMINAL_STATES].sort());
    for (const s of ORDER_STATES) expect(isWorking({ state: s })).toBe(!TERMINAL_STATES.has(s));
  });
});

describe('order entry gate', () => {
  it('the risk role may not enter orders; a trader may while the link is open', () => {
    expect(orderEntryBlock('risk', 'open')).toMatch(/risk role/);
    expect(orderEntryBlock('trader', 'closed')).toMatch(/not connected/);
    expect(orderEntryBlock('trader', 'open')).toBeNull();
  });
});
