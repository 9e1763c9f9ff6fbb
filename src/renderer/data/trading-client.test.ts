import { describe, expect, it } from 'vitest';
import type { TradingCommand } from '../../shared/trading';
import { createTradingClient, type OrderDraft } from './trading-client';
import { createTradingStore } from './trading-store';

const draft: OrderDraft = { venue: 'sim-a', symbol: 'BTC-USD', side: 'buy', type: 'limit', qty: '0.01000', price: '100.00', tif: 'GTC', postOnly: false, reduceOnly: false };

function rig(role: 'trader' | 'risk' = 'trader', link = 'open') {
  const sent: TradingCommand[] = [];
  const store = createTradingStore(() => 1);
  store.getState().setRole(role);
  let n = 0;
  const client = createTradingClient((c) => sent.push(c), store, () => link, (prefix = 'ui') => `${prefix}-test-${++n}`, () => 1);
  return { sent, store, client };
}

describe('trading client', () => {
  it('sends each order with a fresh clientOrderId and remembers it for the result line', () => {
    const { sent, store, client } = rig();
    const a = client.place(draft, 'ticket');
    const b = client.place(draft, 'ladder');
    expect(a).toBe('tk-test-1');
    expect(b).toBe('ld-test-2');
    expect(sent).toEqual([
      { type: 'place-order', order: { ...draft, clientOrderId: 'tk-test-1' } },
      { type: 'place-order', order: { ...draft, clientOrderId: 'ld-test-2' } },
    ]);
    expect(store.getState().lastSubmitted).toBe('ld-test-2');
  });

  it('the risk role: no orders, replaces or flattens leave the terminal; cancels and the kill switch do', () => {
    const { sent, store, client } = rig('risk');
    expect(client.place(draft, 'hotkey')).toBeNull();
    expect(client.replace('x-00001', '1.00', '1')).toBeNull();
    client.flatten('sim-a', 'BTC-USD');
    expect(sent).toEqual([]);
    expect(store.getState().rejects.at(-1)!.reason).toMatch(/^not sent: risk role/);
    expect(store.getState().notice!.text).toMatch(/risk role cannot/);
    client.cancel('x-00001');
    client.cancelAll('sim-a', 'BTC-USD');
    client.killSwitch(true, 'desk says stop');
    expect(sent.map((c) => c.type)).toEqual(['cancel-order', 'cancel-all', 'kill-switch']);
  });

  it('nothing is sent while the link is down', () => {
    const { sent, store, client } = rig('trader', 'closed');
    expect(client.place(draft, 'ticket')).toBeNull();
    client.cancelAll();
    expect(sent).toEqual([]);
    expect(store.getState().notice!.text).toMatch(/not connected/);
  });

  it('replace sends the remaining quantity explicitly under a new id', () => {
    const { sent, client } = rig();
    const id = client.replace('tk-old-1', '101.00', '0.00500');
    expect(sent).toEqual([{ type: 'replace-order', clientOrderId: 'tk-old-1', newClientOrderId: id, price: '101.00', qty: '0.00500' }]);
  });
});
