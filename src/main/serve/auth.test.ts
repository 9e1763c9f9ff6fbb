import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHarness, type Harness } from '../testing/engine-harness';
import { until } from '../testing/book-client';

const hash = (t: string) => createHash('sha256').update(t).digest('hex');
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    enabled: ['sim-a'],
    auth: { require: true, tokens: [{ name: 'desk', role: 'trader', sha256: hash('trader-secret') }, { name: 'risk', role: 'risk', sha256: hash('risk-secret') }] },
  });
});
afterAll(() => h.stop());

function ws(query: string): Promise<{ ws: WebSocket | null; status: number; events: Array<Record<string, any>> }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${h.wsUrl}${query}`);
    const events: Array<Record<string, any>> = [];
    socket.on('message', (d, bin) => !bin && events.push(JSON.parse(d.toString())));
    socket.once('open', () => resolve({ ws: socket, status: 101, events }));
    socket.once('unexpected-response', (_q, res) => resolve({ ws: null, status: res.statusCode ?? 0, events }));
  });
}

describe('web shell tokens and roles', () => {
  it('checks the token on every REST call, but keeps /health open', async () => {
    expect((await fetch(`${h.base}/health`)).status).toBe(200);
    expect((await fetch(`${h.base}/api/v1/venues`)).status).toBe(401);
    expect((await fetch(`${h.base}/api/v1/venues`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${h.base}/api/v1/venues`, { headers: { authorization: 'Bearer risk-secret' } })).status).toBe(200);
    expect((await fetch(`${h.base}/ready?token=trader-secret`)).status).not.toBe(401);
  });

  it('checks the token on the WebSocket upgrade', async () => {
    expect((await ws('')).status).toBe(401);
    expect((await ws('?token=nope')).status).toBe(401);
  });

  it('a risk token sees the desk and can hit the kill switch, but cannot place orders', async () => {
    const risk = await ws('?token=risk-secret');
    await until(() => risk.events.some((e) => e.type === 'hello'), 5000, 'hello');
    expect(risk.events.find((e) => e.type === 'hello')).toMatchObject({ role: 'risk' });
    expect(risk.events.some((e) => e.type === 'orders')).toBe(true);
    risk.ws!.send(JSON.stringify({ type: 'place-order', order: { clientOrderId: 'risk-try-1', venue: 'sim-a', symbol: 'BTC-USD', side: 'buy', type: 'limit', qty: '0.01', price: '60000' } }));
    await until(() => risk.events.some((e) => e.type === 'error'), 5000, 'refusal');
    expect(risk.events.find((e) => e.type === 'error')).toMatchObject({ code: 'forbidden', message: 'the risk role cannot place order', clientOrderId: 'risk-try-1' });
    expect(h.pulse.engine.desk.orders.has('risk-try-1')).toBe(false);

    risk.ws!.send(JSON.stringify({ type: 'kill-switch', engaged: true, reason: 'risk drill' }));
    await until(() => risk.events.some((e) => e.type === 'risk' && e.risk.killSwitch.engaged), 5000, 'kill switch engaged');
    const trader = await ws('?token=trader-secret');
    await until(() => trader.events.some((e) => e.type === 'hello'), 5000, 'trader hello');
    expect(trader.events.find((e) => e.type === 'hello')).toMatchObject({ role: 'trader' });
    trader.ws!.send(JSON.stringify({ type: 'place-order', order: { clientOrderId: 'trader-try-1', venue: 'sim-a', symbol: 'BTC-USD', side: 'buy', type: 'limit', qty: '0.01', price: '66000' } }));
    await until(() => trader.events.some((e) => e.type === 'order' && e.order.clientOrderId === 'trader-try-1'), 5000, 'order event');
    expect(trader.events.find((e) => e.type === 'order')!.order).toMatchObject({ state: 'rejected', reason: expect.stringMatching(/^killSwitch: kill switch engaged \(risk drill\)/) });
    risk.ws!.close();
    trader.ws!.close();
  });
});

describe('binding rules', () => {
  it('refuses to serve beyond loopback without tokens, and needs none on loopback', async () => {
    const { Authenticator } = await import('./auth');
    expect(() => new Authenticator({ require: false, tokens: [] }, '0.0.0.0')).toThrow(/binding 0\.0\.0\.0 \(not loopback\) needs tokens/);
    expect(() => new Authenticator({ require: false, tokens: [] }, '192.168.1.20')).toThrow(/pulse token new/);
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.1.2.3']) {
      expect(new Authenticator({ require: false, tokens: [] }, host).required).toBe(false);
    }
  });
});
