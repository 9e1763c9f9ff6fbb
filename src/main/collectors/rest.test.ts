import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RestClient, RestError, parseRetryAfter } from './rest';

const settings = { heartbeatTimeoutMs: 1000, backoffInitialMs: 10, backoffMaxMs: 40, breakerFailures: 20, breakerHalfOpenMs: 1000, maxMessageBytes: 1 << 20 };
let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

async function serve(handler: (n: number, res: import('node:http').ServerResponse) => void): Promise<{ url: string; times: number[] }> {
  const times: number[] = [];
  server = createServer((_req, res) => {
    times.push(Date.now());
    handler(times.length, res);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, times };
}

describe('RestClient', () => {
  it('retries 5xx and 429 with backoff and returns the answer that finally comes', async () => {
    const { url, times } = await serve((n, res) => {
      if (n <= 5) res.writeHead(n % 2 ? 500 : 429).end('busy');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const retries: number[] = [];
    const client = new RestClient('t', url, settings, { onRetry: (a) => retries.push(a) });
    expect(await client.getJson('/x')).toEqual({ ok: true });
    expect(times).toHaveLength(6);
    expect(retries).toHaveLength(5);
  });

  it('sends nothing before a 429 Retry-After has passed', async () => {
    const { url, times } = await serve((n, res) => {
      if (n === 1) res.writeHead(429, { 'retry-after': '1' }).end('slow down');
      else res.writeHead(200).end('[]');
    });
    await new RestClient('t', url, settings).getJson('/x');
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(990); // Retry-After: 1 s, as the server asked
  });

  it('does not retry a 4xx other than 429, and says what the venue answered', async () => {
    const { url, times } = await serve((_n, res) => res.writeHead(400).end('{"code":-1100,"msg":"Illegal characters"}'));
    const err = await new RestClient('venue', url, settings).getJson('/api/x').catch((e: unknown) => e as RestError);
    expect(err).toBeInstanceOf(RestError);
    expect((err as RestError).message).toBe('venue GET /api/x: HTTP 400 {"code":-1100,"msg":"Illegal characters"}');
    expect(times).toHaveLength(1);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(parseRetryAfter(null, 0)).toBeNull();
  });
});
