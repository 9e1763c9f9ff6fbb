/**
 * The mock speaks Binance.US as documented: REST shapes and errors, `/ws` + SUBSCRIBE, combined
 * `/stream?streams=` wrapping, pongs (and none when silent), contiguous update ids.
 * Docs: https://github.com/binance-us/binance-us-api-docs/blob/master/web-socket-streams.md
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MockBinanceUs } from './mock-server';

let mock: MockBinanceUs;
beforeAll(async () => {
  mock = await MockBinanceUs.start({ tickMs: 10 });
});
afterAll(async () => mock?.close());

const open = (path: string) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`${mock.wsUrl}${path}`);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
const messages = (ws: WebSocket, n: number) =>
  new Promise<any[]>((resolve) => {
    const got: any[] = [];
    const on = (d: WebSocket.RawData) => {
      got.push(JSON.parse(d.toString()));
      if (got.length === n) {
        ws.off('message', on);
        resolve(got);
      }
    };
    ws.on('message', on);
  });

describe('Binance.US mock', () => {
  it('REST: exchangeInfo, depth with valid limits only, -1121 for an unknown symbol', async () => {
    const info = (await (await fetch(`${mock.restUrl}/api/v3/exchangeInfo`)).json()) as any;
    expect(info.symbols.map((s: any) => `${s.symbol}:${s.status}`)).toEqual(['BTCUSD:TRADING', 'ETHUSD:TRADING', 'SOLUSD:TRADING', 'XRPUSD:BREAK']);
    const depth = (await (await fetch(`${mock.restUrl}/api/v3/depth?symbol=BTCUSD&limit=5`)).json()) as any;
    expect(depth.bids).toHaveLength(5);
    expect(depth.bids[0][0]).toMatch(/^\d+\.\d{8}$/);
    expect((await fetch(`${mock.restUrl}/api/v3/depth?symbol=BTCUSD&limit=7`)).status).toBe(400);
    const bad = await fetch(`${mock.restUrl}/api/v3/depth?symbol=NOPE&limit=5`);
    expect([bad.status, await bad.json()]).toEqual([400, { code: -1121, msg: 'Invalid symbol.' }]);
  });

  it('/ws + SUBSCRIBE answers {result:null,id} then raw events whose ids chain (U = previous u + 1)', async () => {
    const ws = await open('/ws');
    const first = messages(ws, 1);
    ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusd@depth@100ms'], id: 4 }));
    expect(await first).toEqual([{ result: null, id: 4 }]);
    const evs = await messages(ws, 5);
    for (let i = 1; i < evs.length; i++) expect(evs[i].U).toBe(evs[i - 1].u + 1);
    expect(evs[0]).toMatchObject({ e: 'depthUpdate', s: 'BTCUSD' });
    ws.terminate();
  });

  it('/stream?streams= wraps events as {stream, data}', async () => {
    const ws = await open('/stream?streams=ethusd@depth@100ms');
    const [m] = await messages(ws, 1);
    expect(m.stream).toBe('ethusd@depth@100ms');
    expect(m.data).toMatchObject({ e: 'depthUpdate', s: 'ETHUSD' });
    ws.terminate();
  });

  it('answers pings, and none while silent', async () => {
    const ws = await open('/ws');
    const pong = () => new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), 300);
      ws.once('pong', () => {
        clearTimeout(t);
        resolve(true);
      });
      ws.ping();
    });
    expect(await pong()).toBe(true);
    mock.silent = true;
    expect(await pong()).toBe(false);
    mock.silent = false;
    ws.terminate();
  });
});
