// Transport and message faults from a Kraken v2 venue (https://docs.kraken.com/exchange/api-reference/spot-websocket-v2/book),
// injected by the mock into a running engine. Every test: no crash, no live book crossed or unlike
// any book Kraken sent, a log line, a counter, and all books exact and live again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYMBOLS, expectExact, runFault, startEnv, type Env } from './tests/engine-env';

let env: Env;
beforeAll(async () => {
  // Messages over 256 KB are refused by the socket; the watchdog calls 1 s of silence dead.
  env = await startEnv({ mock: { snapshotDelayMs: 150 }, resilience: { maxMessageBytes: 256 * 1024, heartbeatTimeoutMs: 1000 } });
  for (const s of SYMBOLS) await expectExact(env, s);
});
afterAll(async () => env?.close());

describe('Kraken transport faults in the engine', () => {
  // Injected: the mock drops the TCP connection mid-stream.
  // Must hold: books stale at once (not exact without the missed messages), a reconnect counted,
  // everything resubscribed, books exact again.
  it('the connection dropped mid-stream', async () => {
    const connections = env.mock.stats.connections;
    await runFault(env, () => env.mock.dropConnections(), { counter: 'reconnects', log: /connection down: closed with code 1006/, goesStale: true });
    expect(env.mock.stats.connections).toBe(connections + 1);
  });

  // Injected: a truncated JSON message. Must hold: counted bad, logged; as it may have been any
  // book's update, every book is resubscribed and rebuilt.
  it('malformed JSON', async () => {
    await runFault(env, () => env.mock.sendRaw('{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":65'), {
      counter: 'badMessages', log: /malformed JSON/, goesStale: true,
    });
  });

  // Injected: a channel never subscribed, a v1-style event, an unknown reply method, a bare array.
  // Must hold: each counted bad and logged; they carry no book data, so the books stay live and exact.
  it('unknown message types', async () => {
    const subscribes = env.mock.stats.subscribes;
    await runFault(env, () => {
      for (const m of ['{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":1}]}', '{"event":"systemStatus","status":"online"}', '{"method":"frobnicate","success":true}', '[0,{"a":[]},"book-25","XBT/USD"]']) env.mock.sendRaw(m);
    }, { counter: 'badMessages', log: /unknown channel "ticker"/, goesStale: false });
    expect(env.mock.stats.subscribes).toBe(subscribes);
    expect(env.logs().some((l) => /unknown message: \{"event":"systemStatus"/.test(l))).toBe(true);
  });

  // Injected: a 1 MB message (over the 256 KB limit set for this venue).
  // Must hold: the socket refuses it, the drop says why, the connection restarts, books stale then exact.
  it('a 1 MB message', async () => {
    const big = `{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[],"checksum":0,"pad":"${'x'.repeat(1 << 20)}"}]}`;
    await runFault(env, () => env.mock.sendRaw(big), { counter: 'reconnects', log: /connection down: message larger than the limit/, goesStale: true });
  });

  // Injected: the venue keeps the socket open and says nothing (no heartbeat, no data, no replies
  // to new connections) for 2.5 s.
  // Must hold: the watchdog declares it dead, books go stale, reconnects are counted while it stays
  // silent, and once it talks again the books are exact.
  it('a venue that accepts the socket and goes silent', async () => {
    await runFault(env, async () => {
      env.mock.silence(true);
      await new Promise((r) => setTimeout(r, 2500));
      env.mock.silence(false);
    }, { counter: 'reconnects', log: /silent for 1000 ms; reconnecting/, goesStale: true });
    expect(env.logs().some((l) => /no message within 1000 ms of connecting/.test(l))).toBe(true);
  });
});
