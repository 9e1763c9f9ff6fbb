import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import { VenueConnection, type ConnectionHandlers, type ResilienceSettings } from './connection';

/** Waits on real I/O (setImmediate is not faked) until `check` holds. */
async function io(check: () => boolean, what: string, rounds = 2000): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (check()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`never saw: ${what}`);
}

let server: Server;
let url: string;
let mode: 'reject' | 'accept' = 'reject';
let attempts = 0;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  mode = 'reject';
  attempts = 0;
  const wss = new WebSocketServer({ noServer: true });
  server = createServer();
  server.on('upgrade', (req, socket, head) => {
    attempts++;
    if (mode === 'reject') {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => ws.send('{"hello":1}'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  vi.useRealTimers();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('VenueConnection circuit breaker (controllable clock, no sleeping)', () => {
  it('opens after repeated failed connects, stops trying, half-opens after the wait and closes on success', async () => {
    const settings: ResilienceSettings = {
      heartbeatTimeoutMs: 5000, backoffInitialMs: 100, backoffMaxMs: 1000, breakerFailures: 3, breakerHalfOpenMs: 10_000, maxMessageBytes: 1 << 20,
    };
    const states: string[] = [];
    const handlers: ConnectionHandlers = {
      onOpen: () => {},
      onMessage: () => {},
      onDown: () => {},
      onState: (s) => states.push(s),
      onReconnect: () => {},
      log: () => {},
    };
    const conn = new VenueConnection('test', () => url, settings, handlers);
    conn.start();

    // Injected: the venue refuses every upgrade (HTTP 503). Three failures open the breaker.
    for (let i = 0; i < 20 && !states.includes('breaker-open'); i++) {
      await io(() => attempts > i || states.includes('breaker-open'), `attempt ${i + 1}`);
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(attempts).toBe(3);
    expect(states).toContain('breaker-open');

    // While open (less than the half-open wait), no further connect is tried: no hammering.
    await vi.advanceTimersByTimeAsync(8000);
    for (let i = 0; i < 200; i++) await new Promise((r) => setImmediate(r));
    expect(attempts).toBe(3);

    // The venue recovers; after the wait one trial connect goes through and closes the breaker.
    mode = 'accept';
    await vi.advanceTimersByTimeAsync(3000);
    await io(() => states.at(-1) === 'live', 'live after the half-open trial');
    expect(attempts).toBe(4);
    expect(conn.breaker.state).toBe(0); // CircuitState.Closed
    await conn.stop();
  });

  it('treats a venue that accepts the socket and then says nothing as a failed connect', async () => {
    mode = 'accept';
    server.removeAllListeners('upgrade');
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      attempts++;
      wss.handleUpgrade(req, socket, head, () => {}); // accepts, then silence
    });
    const logs: string[] = [];
    const states: string[] = [];
    const conn = new VenueConnection('quiet', () => url, {
      heartbeatTimeoutMs: 500, backoffInitialMs: 50, backoffMaxMs: 100, breakerFailures: 2, breakerHalfOpenMs: 60_000, maxMessageBytes: 1 << 20,
    }, { onOpen: () => {}, onMessage: () => {}, onDown: () => {}, onState: (s) => states.push(s), onReconnect: () => {}, log: (_l, m) => logs.push(m) });
    conn.start();
    for (let i = 0; i < 10 && !states.includes('breaker-open'); i++) {
      await io(() => attempts > i || states.includes('breaker-open'), `attempt ${i + 1}`);
      await vi.advanceTimersByTimeAsync(600);
    }
    expect(states).toContain('breaker-open');
    expect(logs.some((l) => /no message within 500 ms/.test(l))).toBe(true);
    await conn.stop();
  });
});
