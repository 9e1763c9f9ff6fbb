/**
 * Bad messages (malformed, unknown, oversized, garbage numbers), each injected by the mock venue
 * into the real engine.
 * Every test checks: no crash, no crossed book ever shown live, the fault counted and logged,
 * the book marked stale in the engine when it could no longer be vouched for, and recovery to a
 * book equal to the mock's.
 * Docs: https://github.com/binance-us/binance-us-api-docs/blob/master/web-socket-streams.md
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startVenue, type VenueUnderTest } from './tests/engine-support';
import type { DepthEvent } from './tests/mock-book';

let v: VenueUnderTest;
let before: Record<string, number>;
let mark: number;
let staleBefore: number;

beforeAll(async () => {
  v = await startVenue();
});
afterAll(async () => v?.stop());
beforeEach(async () => {
  await v.expectMatch('BTC-USD');
  await v.settle('BTC-USD');
  before = await v.freshCounters();
  mark = v.logMark();
  staleBefore = v.staleEvents('BTC-USD');
});

const grew = (name: string, by = 1) => v.eventually(async () => (await v.counters())[name]! >= before[name]! + by, `${name} +${by}`);
const logged = (re: RegExp) => expect(v.logs(mark)).toContainEqual(expect.stringMatching(re));
const recovered = async () => {
  await v.expectMatch('BTC-USD');
  await v.expectMatch('ETH-USD');
  expect(v.crossedLive).toEqual([]);
};

describe('Binance.US message faults (engine + mock over loopback)', () => {
  it('malformed JSON (a truncated diff event, then junk): counted; the lost event shows in the update ids, so the book goes stale and resyncs', async () => {
    v.mock.corrupt.set('BTCUSD', (ev) => JSON.stringify(ev).slice(0, 45));
    await grew('badMessages');
    v.mock.sendRaw('{"e":"depthUpdate",,}');
    await grew('badMessages', 2);
    logged(/binanceus: malformed JSON: /);
    // The lost event shows in the update ids: a sequence break, or (right after a snapshot) no straddle.
    await v.eventually(async () => {
      const c = await v.counters();
      return c.gaps! > before.gaps! || c.resyncs! > before.resyncs!;
    }, 'the lost event to be noticed');
    logged(/BTC-USD: (sequence break|first event U=\d+ u=\d+ does not straddle)/);
    expect(v.staleEvents('BTC-USD')).toBeGreaterThan(staleBefore);
    await recovered();
  });

  it('unknown message types: counted and logged, the books stay live and exact', async () => {
    const unknown = [
      '{"stream":"btcusd@kline_1m","data":{"e":"kline","E":123456789,"s":"BTCUSD","k":{"t":123400000,"i":"1m","o":"0.0010","c":"0.0020","x":false}}}',
      '{"stream":"btcusd@bookTicker","data":{"u":400900217,"s":"BTCUSD","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}}',
      '{"e":"24hrMiniTicker","E":123456789,"s":"BTCUSD","c":"0.0025","o":"0.0010"}',
      '"hello"',
      '{"foo":1}',
    ];
    for (const m of unknown) v.mock.sendRaw(m);
    v.mock.sendRaw('{"code":2,"msg":"Invalid request: unknown variant FOO","id":9}');
    await grew('badMessages', unknown.length);
    logged(/binanceus: unknown message \(e="kline"\)/);
    logged(/binanceus: not a JSON object/);
    logged(/binanceus: venue error 2: Invalid request/);
    const c = await v.counters();
    expect(c.gaps).toBe(before.gaps);
    expect(v.staleEvents('BTC-USD')).toBe(staleBefore);
    await recovered();
  });

  it('a 1 MB message (over the 256 KiB limit): refused by the socket (maxPayload), counted, reconnected and resynced', async () => {
    v.mock.sendRaw(`{"stream":"btcusd@depth@100ms","data":{"e":"depthUpdate","b":[${'["1.00","1.00"],'.repeat(65_000)}["1.00","1.00"]]}}`);
    await grew('badMessages');
    await grew('reconnects');
    logged(/a message over maxMessageBytes \(262144 bytes\) was refused/);
    logged(/connection down \(message larger than the limit\)/);
    await recovered();
  });

  it('NaN, negative and garbage numbers in diff events: each counted, the book stale and resynced; a garbage trade is dropped', async () => {
    const garbage: ((ev: DepthEvent) => DepthEvent)[] = [
      (ev) => ({ ...ev, b: [['NaN', '1.00000000'], ...ev.b] }),
      (ev) => ({ ...ev, a: [['67500.00000000', '-0.50000000'], ...ev.a] }),
      (ev) => ({ ...ev, b: [['abc', 'def']] }),
      (ev) => ({ ...ev, U: -1 }),
    ];
    for (const [i, g] of garbage.entries()) {
      v.mock.corrupt.set('BTCUSD', (ev) => JSON.stringify(g(ev)));
      await grew('badMessages', i + 1);
      await v.expectMatch('BTC-USD');
    }
    v.mock.sendRaw('{"e":"trade","E":1,"s":"BTCUSD","t":1,"p":"Infinity","q":"1.00000000","T":1,"m":true,"M":true}');
    await grew('badMessages', garbage.length + 1);
    logged(/bad depthUpdate of BTC-USD: price "NaN"/);
    logged(/bad depthUpdate of BTC-USD: quantity "-0.50000000"/);
    logged(/bad trade of BTC-USD: trade price "Infinity"/);
    logged(/BTC-USD: unreadable update/);
    expect(v.staleEvents('BTC-USD')).toBeGreaterThanOrEqual(staleBefore + 3);
    await recovered();
  });
});
