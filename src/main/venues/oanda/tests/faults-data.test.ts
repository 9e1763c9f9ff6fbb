/**
 * https://developer.oanda.com/rest-live-v20/pricing-df/
 * Fault matrix, content side: one real engine on one mock, each bad or odd line injected in turn.
 * In every case: no crash, never a crossed book nor a live book the venue did not send
 * (BookWatch), a clear log line, a counter, and recovery to a book equal to the mock's.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../../testing/book-client';
import { counters, expectExact, logs, startRig, untilCounter, untilLog, venue, type Rig } from './support';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
  await expectExact(rig);
});
afterAll(async () => rig?.close());
afterEach(() => {
  rig.mock.resume();
  rig.watch.assertClean();
});

const staleBook = async (symbol: string) => {
  let reason = '';
  await until(() => {
    void rig.h.book('oanda', symbol).then((b) => (reason = b.stale ? (b.staleReason ?? 'stale') : ''));
    return reason !== '';
  }, 5000, `${symbol} stale`);
  return reason;
};

describe('oanda faults: what the stream says', () => {
  it('a sequence gap (20 PRICEs never sent): undetectable without sequence numbers, and harmless: the next PRICE is the whole book', async () => {
    const before = await counters(rig.h);
    rig.mock.skip(20);
    await new Promise((r) => setTimeout(r, 300));
    await expectExact(rig);
    const after = await counters(rig.h);
    expect([after.gaps, after.resyncs, after.reconnects]).toEqual([before.gaps, before.resyncs, before.reconnects]);
  });

  it('an out-of-order PRICE is dropped and a duplicate ignored, both counted as gaps; the book stays the latest', async () => {
    await expectExact(rig, ['EUR-USD'], undefined, true);
    const before = await counters(rig.h);
    rig.mock.replayOld('EUR_USD');
    await untilLog(rig.h, /out-of-order PRICE for EUR-USD .* dropped/);
    await untilLog(rig.h, /duplicate PRICE for EUR-USD/);
    await untilCounter(rig.h, 'gaps', before.gaps! + 2);
    await expectExact(rig, ['EUR-USD']);
  });

  it('tradeable:false holds only that book stale ("market closed") until tradeable:true, which rebuilds it', async () => {
    const before = await counters(rig.h);
    rig.mock.setTradeable('EUR_USD', false);
    expect(await staleBook('EUR-USD')).toMatch(/market closed/);
    await untilLog(rig.h, /EUR-USD not tradeable \(market closed\)/);
    await new Promise((r) => setTimeout(r, 300));
    expect((await rig.h.book('oanda', 'EUR-USD')).stale).toBe(true);
    await expectExact(rig, ['GBP-USD', 'USD-JPY']);
    rig.mock.setTradeable('EUR_USD', true);
    await untilLog(rig.h, /EUR-USD tradeable again/);
    await expectExact(rig);
    await untilCounter(rig.h, 'resyncs', before.resyncs! + 1);
  });

  it('malformed JSON: counted bad, every book stale, the stream restarted, rebuilt', async () => {
    const before = await counters(rig.h);
    rig.mock.sendRaw('{"type":"PRICE","instrument":"EUR_USD","bids":[{"price":"1.1');
    await untilLog(rig.h, /unreadable line \(not JSON/);
    await untilLog(rig.h, /restarting connection: unreadable line/);
    await untilCounter(rig.h, 'badMessages', before.badMessages! + 1);
    await untilCounter(rig.h, 'reconnects', before.reconnects! + 1);
    await expectExact(rig);
  });

  it('unknown message types: counted bad and logged, books untouched and live, no reconnect', async () => {
    await expectExact(rig, undefined, undefined, true);
    const before = await counters(rig.h);
    rig.mock.sendRaw('{"type":"ORDER_FILL","id":"6357","time":"2016-09-20T15:05:47.960449532Z"}');
    rig.mock.sendRaw('{"type":"PRICING_STATS","instruments":3}');
    await untilLog(rig.h, /unknown message type "ORDER_FILL" ignored/);
    await untilCounter(rig.h, 'badMessages', before.badMessages! + 2);
    const v = await venue(rig.h);
    expect(v.staleBooks).toEqual([]);
    expect(v.counters.reconnects).toBe(before.reconnects);
    await expectExact(rig);
  });

  it('NaN, negative and garbage numbers: counted bad, only that book stale until its next good PRICE', async () => {
    await expectExact(rig, undefined, undefined, true);
    const before = await counters(rig.h);
    const price = (bids: unknown, asks: unknown, time = new Date().toISOString()) =>
      JSON.stringify({ type: 'PRICE', instrument: 'EUR_USD', time, tradeable: true, bids, asks });
    rig.mock.sendRaw(price([{ price: 'NaN', liquidity: 1000000 }], [{ price: '1.20000', liquidity: 1000000 }]));
    rig.mock.sendRaw(price([{ price: '1.10000', liquidity: -1000000 }], [{ price: '1.20000', liquidity: 1000000 }]));
    rig.mock.sendRaw(price([{ price: '1.1e0', liquidity: 'lots' }], [{ price: '-1.20000', liquidity: 1000000 }]));
    rig.mock.sendRaw(price([{ price: '1.10000', liquidity: 1000000 }], [{ price: '1.20000', liquidity: 1000000 }], 'yesterday'));
    await untilLog(rig.h, /bad PRICE for EUR-USD \(price "NaN" is not a decimal number\)/);
    await untilCounter(rig.h, 'badMessages', before.badMessages! + 4);
    expect(await staleBook('EUR-USD')).toMatch(/bad message/);
    const v = await venue(rig.h);
    expect(v.staleBooks).toEqual(['EUR-USD']);
    expect(v.counters.reconnects).toBe(before.reconnects);
    rig.mock.emitOne('EUR_USD');
    await expectExact(rig);
    expect(logs(rig.h).join('\n')).not.toContain(rig.mock.token);
  });
});
