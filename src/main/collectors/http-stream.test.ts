/** The HTTP JSON-lines transport: line reassembly, and the reconnect loop over real loopback HTTP. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { until } from '../testing/book-client';
import { OVERSIZE_REASON, type ConnectionHandlers } from './connection';
import { HttpStreamConnection, LineSplitter } from './http-stream';

describe('LineSplitter', () => {
  it('gives back exactly the lines written, however the bytes are cut into chunks', () => {
    const line = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => !/[\r\n]/.test(s));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), fc.boolean(), (lines, cuts, crlf) => {
        const bytes = Buffer.from(lines.map((l) => l + (crlf ? '\r\n' : '\n')).join(''));
        const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const splitter = new LineSplitter(1 << 20);
        const got: string[] = [];
        let from = 0;
        for (const to of [...at, bytes.length]) {
          expect(splitter.push(bytes.subarray(from, to), (t) => got.push(t))).toBe(true);
          from = to;
        }
        expect(got).toEqual(lines);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a line over the limit, whole or still arriving', () => {
    const got: string[] = [];
    expect(new LineSplitter(8).push(Buffer.from('{"a":1}\n{"b":22222}\n'), (t) => got.push(t))).toBe(false);
    expect(got).toEqual(['{"a":1}']);
    const s = new LineSplitter(8);
    expect(s.push(Buffer.from('12345'), () => {})).toBe(true);
    expect(s.push(Buffer.from('6789'), () => {})).toBe(false);
  });
});

type Serve = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;
const servers: http.Server[] = [];
const connections: HttpStreamConnection[] = [];
afterEach(async () => {
  await Promise.all(connections.splice(0).map((c) => c.stop()));
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

async function serve(handler: Serve): Promise<{ url: string; requests: () => number }> {
  let n = 0;
  const server = http.createServer((req, res) => handler(req, res, ++n));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/stream`, requests: () => n };
}

function connect(url: string, maxMessageBytes = 1 << 20) {
  const seen = { messages: [] as string[], downs: [] as string[], states: [] as string[], reconnects: 0, opens: 0, logs: [] as string[] };
  const handlers: ConnectionHandlers = {
    onOpen: () => seen.opens++,
    onMessage: (t) => seen.messages.push(t),
    onDown: (r) => seen.downs.push(r),
    onState: (s, r) => seen.states.push(r ? `${s}: ${r}` : s),
    onReconnect: () => seen.reconnects++,
    log: (_l, m) => seen.logs.push(m),
  };
  const settings = { heartbeatTimeoutMs: 400, backoffInitialMs: 10, backoffMaxMs: 50, breakerFailures: 20, breakerHalfOpenMs: 100, maxMessageBytes };
  const conn = new HttpStreamConnection('test', () => url, settings, handlers, { headers: () => ({ authorization: 'Bearer s3cret' }), describeRefusal: (s) => `refused with ${s}` });
  connections.push(conn);
  conn.start();
  return seen;
}

describe('HttpStreamConnection', () => {
  it('reassembles a line split across chunks, sends the headers, and reconnects when the server ends the stream', async () => {
    let auth = '';
    const { url, requests } = await serve((req, res, n) => {
      auth = req.headers.authorization ?? '';
      res.writeHead(200);
      res.write(`{"n":${n},"part":"one`);
      setTimeout(() => res.end('-two"}\n'), 20);
    });
    const seen = connect(url);
    await until(() => seen.messages.length >= 2, 5000, 'two connections');
    expect(seen.messages.slice(0, 2)).toEqual(['{"n":1,"part":"one-two"}', '{"n":2,"part":"one-two"}']);
    expect(auth).toBe('Bearer s3cret');
    expect(seen.downs[0]).toBe('stream ended by the server');
    expect(seen.reconnects).toBeGreaterThanOrEqual(1);
    expect(requests()).toBeGreaterThanOrEqual(2);
  });

  it('stops for good on 401: one request, state stopped with the refusal, no retry', async () => {
    const { url, requests } = await serve((_req, res) => res.writeHead(401).end('{"errorMessage":"Insufficient authorization"}'));
    const seen = connect(url);
    await until(() => seen.states.at(-1) === 'stopped: refused with 401', 5000, 'stopped');
    await new Promise((r) => setTimeout(r, 200));
    expect(requests()).toBe(1);
    expect(seen.logs.some((l) => l.includes('refused with 401; not retrying'))).toBe(true);
  });

  it('retries 503 and 429 with backoff, then streams', async () => {
    const { url } = await serve((_req, res, n) => {
      if (n <= 2) return res.writeHead(n === 1 ? 503 : 429).end();
      res.writeHead(200);
      res.write('{"ok":true}\n');
    });
    const seen = connect(url);
    await until(() => seen.messages.length === 1, 5000, 'a message');
    expect(seen.reconnects).toBe(2);
    expect(seen.states).toContain('stale: refused with 503');
    expect(seen.states.at(-1)).toBe('live');
  });

  it('drops the stream on an oversize line, and treats silence after the headers as a failed connect', async () => {
    const { url } = await serve((_req, res, n) => {
      res.writeHead(200);
      if (n === 1) res.write(`{"ok":1}\n{"pad":"${'x'.repeat(2048)}"}\n`);
    });
    const seen = connect(url, 1024);
    await until(() => seen.downs.length >= 2, 5000, 'two downs');
    expect(seen.messages).toEqual(['{"ok":1}']);
    expect(seen.downs[0]).toBe(OVERSIZE_REASON);
    expect(seen.downs[1]).toMatch(/no message within 400 ms/);
  });
});
