/** VenueConnection over a real loopback WebSocket: subscribe on every connect, reconnect, watchdog, size limit, stop. */
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../testing/book-client';
import { VenueConnection, type ConnectionHandlers } from './connection';

const servers: WebSocketServer[] = [];
const conns: VenueConnection[] = [];
afterEach(async () => {
  await Promise.all(conns.splice(0).map((c) => c.stop()));
  for (const s of servers.splice(0)) {
    for (const c of s.clients) c.terminate();
    s.close();
  }
});

async function wsServer(onConnection: (ws: WebSocket, n: number) => void): Promise<{ url: string; received: string[] }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  servers.push(wss);
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const received: string[] = [];
  let n = 0;
  wss.on('connection', (ws) => {
    ws.on('message', (d) => received.push(d.toString()));
    onConnection(ws, ++n);
  });
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, received };
}

function open(url: string, extra: { maxMessageBytes?: number } = {}) {
  const seen = { messages: [] as string[], downs: [] as string[], states: [] as string[], reconnects: 0, logs: [] as string[] };
  const handlers: ConnectionHandlers = {
    onOpen: (send) => send('{"op":"subscribe"}'),
    onMessage: (t) => seen.messages.push(t),
    onDown: (r) => seen.downs.push(r),
    onState: (s) => seen.states.push(s),
    onReconnect: () => seen.reconnects++,
    log: (_l, m) => seen.logs.push(m),
  };
  const conn = new VenueConnection('ws-test', () => url, { heartbeatTimeoutMs: 300, backoffInitialMs: 10, backoffMaxMs: 50, breakerFailures: 20, breakerHalfOpenMs: 100, maxMessageBytes: 1 << 20, ...extra }, handlers);
  conns.push(conn);
  conn.start();
  return { conn, seen };
}

describe('VenueConnection (WebSocket)', () => {
  it('subscribes on open, delivers messages, and resubscribes after the server drops it', async () => {
    const { url, received } = await wsServer((ws, n) => {
      ws.send(`hello ${n}`);
      if (n === 1) setTimeout(() => ws.terminate(), 20);
    });
    const { seen } = open(url);
    await until(() => seen.messages.length >= 2 && received.length >= 2, 5000, 'two connections');
    expect(seen.messages.slice(0, 2)).toEqual(['hello 1', 'hello 2']);
    expect(received.slice(0, 2)).toEqual(['{"op":"subscribe"}', '{"op":"subscribe"}']);
    expect(seen.downs[0]).toBe('closed with code 1006');
    expect(seen.reconnects).toBe(1);
    expect(seen.states.slice(0, 4)).toEqual(['connecting', 'live', 'connecting', 'live']);
  });

  it('reconnects a connection gone silent, and drops one sent an oversize message', async () => {
    const { url } = await wsServer((ws, n) => {
      if (n === 1) ws.send('then silence');
      else if (n === 2) ws.send('x'.repeat(4096));
      else ws.send('ok');
    });
    const { seen } = open(url, { maxMessageBytes: 1024 });
    await until(() => seen.messages.includes('ok'), 5000, 'third connection');
    expect(seen.logs).toContain('ws-test: silent for 300 ms; reconnecting');
    expect(seen.downs[0]).toBe('closed with code 1006');
    // ws reports an oversize message as an error (before any message, that error is the reason)
    expect(seen.downs[1]).toBe('Max payload size exceeded');
  });

  it('ends in state stopped on stop()', async () => {
    const { url } = await wsServer((ws) => ws.send('hi'));
    const { conn, seen } = open(url);
    await until(() => seen.messages.length === 1, 5000, 'a message');
    await conn.stop();
    expect(seen.states.at(-1)).toBe('stopped');
  });

  it('on a live connection, an oversize message is logged as a socket error and the drop says why', async () => {
    const { url } = await wsServer((ws) => {
      ws.send('small');
      setTimeout(() => ws.send('y'.repeat(4096)), 20);
    });
    const { seen } = open(url, { maxMessageBytes: 1024 });
    await until(() => seen.downs.length >= 1, 5000, 'a down');
    expect(seen.logs).toContain('ws-test: socket error: Max payload size exceeded');
    expect(seen.downs[0]).toBe('message larger than the limit');
  });
});
