// KrakenHandler on a real Collector (collector-rig), fed test_data payloads in Kraken's v2 shape
// (https://docs.kraken.com/exchange/api-reference/spot-websocket-v2/book, …/trade).
import { afterEach, describe, expect, it } from 'vitest';
import { tradeAggressor, tradeExchangeTs, tradePrice, tradeQty, tradeSymbolId, tradeTradeId } from '../../rings/records';
import { handlerRig, settle, testData, type HandlerRig } from './tests/handler-rig';

const SNAPSHOT = testData('book-snapshot.json');
const UPDATES = JSON.parse(testData('book-updates.json')) as { updates: unknown[]; expected: { bids: [string, string][]; asks: [string, string][] } };
const updateText = (i: number) => JSON.stringify(UPDATES.updates[i]);
/** Update i of test_data with its checksum replaced. */
const withChecksum = (i: number, c: number) => updateText(i).replace(/"checksum":\d+/, `"checksum":${c}`);
const bookUpdate = (bids: string, asks: string, checksum: number, ts = '2023-10-06T17:35:57.000000Z') =>
  `{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[${bids}],"asks":[${asks}],"checksum":${checksum},"timestamp":"${ts}"}]}`;

let t: HandlerRig;
afterEach(() => t?.close());

/** The rig after the subscribe acks and the documented snapshot, with the requests sent so far cleared. */
function started(): HandlerRig {
  t = handlerRig(10);
  for (const f of ['status.json', 'subscribe-ack.json', 'heartbeat.json']) t.handler.onMessage(testData(f));
  t.handler.onMessage(SNAPSHOT);
  t.sent.length = 0;
  return t;
}
const subscribesSent = () => t.sent.filter((s) => s.includes('"subscribe"') && s.includes('"book"')).length;

describe('KrakenHandler on recorded-shape messages', () => {
  // Input: subscribe requests on open, then status, ack, heartbeat, the documented snapshot and five
  // updates (a size change, a removal with the level coming into scope, an insert that pushes the
  // 11th bid out, two changes to one level, and a level beyond depth 10).
  // Must hold: the collector's book equals the book the doc recipe gives, level by level; no failure counted.
  it('rebuilds the book from snapshot and updates', () => {
    t = handlerRig(10);
    expect(JSON.parse(t.sent[0]!)).toEqual({ method: 'subscribe', params: { channel: 'book', symbol: ['BTC/USD', 'ETH/USD'], depth: 10, snapshot: true } });
    expect(JSON.parse(t.sent[1]!)).toEqual({ method: 'subscribe', params: { channel: 'trade', symbol: ['BTC/USD', 'ETH/USD'], snapshot: false } });
    t.close();
    started();
    expect(t.book('BTC-USD').bids[0]).toEqual(['45283.5', '0.10000000']);
    for (let i = 0; i < UPDATES.updates.length; i++) t.handler.onMessage(updateText(i));
    expect(t.book('BTC-USD')).toEqual(UPDATES.expected);
    const c = t.rig.collector.counters;
    expect([c.checksumFailures, c.badMessages, c.gaps, c.updates, c.messages]).toEqual([0, 0, 0, 6, 9]);
    expect(t.handler.books.beyondDepth).toBe(1);
    expect(t.rig.drain()).toBeGreaterThan(0);
  });

  // Input: test_data/trade.json (two trades). Must hold: two trade records with ticks, lots, side, id and µs time.
  it('writes trades', () => {
    started();
    t.handler.onMessage(testData('trade.json'));
    const got: number[][] = [];
    t.rig.tradeRing.poll((off) => got.push([tradeSymbolId(t.rig.tradeRing, off), tradeAggressor(t.rig.tradeRing, off), tradePrice(t.rig.tradeRing, off), tradeQty(t.rig.tradeRing, off), tradeTradeId(t.rig.tradeRing, off), tradeExchangeTs(t.rig.tradeRing, off)]));
    const ts = Date.UTC(2023, 9, 6, 17, 35, 55) * 1000;
    expect(got).toEqual([[0, 1, 452834, 50000, 74215961, ts + 440295], [0, 0, 452852, 100000, 74215962, ts + 512000]]);
  });

  // Input: an update whose checksum is off by one. Must hold: checksumFailures 1, the symbol marked
  // stale, unsubscribe + subscribe sent, the next updates ignored, the book live again from the next snapshot.
  it('a wrong checksum marks stale and resubscribes', async () => {
    started();
    const before = t.book('BTC-USD');
    const good = JSON.parse(updateText(0)).data[0].checksum as number;
    t.handler.onMessage(withChecksum(0, good + 1));
    expect(t.rig.collector.counters.checksumFailures).toBe(1);
    expect(t.sent.map((s) => JSON.parse(s).method)).toEqual(['unsubscribe', 'subscribe']);
    t.handler.onMessage(updateText(1));
    expect(t.book('BTC-USD')).toEqual(before);
    await settle();
    expect(t.stale().map((s) => s.reason)).toEqual(['checksum mismatch']);
    expect(t.logs().some((l) => /checksum mismatch on BTC\/USD update: Kraken \d+, ours \d+/.test(l))).toBe(true);
    t.handler.onMessage(SNAPSHOT);
    for (let i = 0; i < UPDATES.updates.length; i++) t.handler.onMessage(updateText(i));
    expect(t.book('BTC-USD')).toEqual(UPDATES.expected);
  });

  // Input: update 1 delivered before update 0 (update 0 is missing when 1 arrives).
  // Must hold: the checksum of update 1 no longer matches → resync; the late update 0 is ignored.
  it('a gap or reorder is caught by the checksum', () => {
    started();
    t.handler.onMessage(updateText(1));
    t.handler.onMessage(updateText(0));
    expect(t.rig.collector.counters.checksumFailures).toBe(1);
    expect(subscribesSent()).toBe(1);
  });

  // Input: after update 0, an update stamped earlier than it (empty, so its checksum still matches).
  // Must hold: the older timestamp counts a gap and resyncs: the checksum alone cannot see a reorder
  // below the top 10 levels.
  it('an update older than the last one is out of order', async () => {
    started();
    t.handler.onMessage(updateText(0));
    const sum = JSON.parse(updateText(0)).data[0].checksum as number;
    t.handler.onMessage(bookUpdate('', '', sum, '2023-10-06T17:35:55.000000Z'));
    expect(t.rig.collector.counters.gaps).toBe(1);
    await settle();
    expect(t.logs().some((l) => l.includes('out of order'))).toBe(true);
    expect(subscribesSent()).toBe(1);
  });

  // Input: update 0 twice, verbatim. Must hold: a gap counted and logged, the duplicate not applied,
  // no resync (sizes are absolute, the book is still exact), later updates still apply.
  it('a duplicated update is ignored', () => {
    started();
    t.handler.onMessage(updateText(0));
    t.handler.onMessage(updateText(0));
    expect(t.rig.collector.counters.gaps).toBe(1);
    expect(subscribesSent()).toBe(0);
    for (let i = 1; i < UPDATES.updates.length; i++) t.handler.onMessage(updateText(i));
    expect(t.book('BTC-USD')).toEqual(UPDATES.expected);
  });

  // Input: the snapshot again on the same subscription. Must hold: the book is replaced, a resync counted, no stale mark.
  it('a second snapshot replaces the book', async () => {
    started();
    t.handler.onMessage(updateText(0));
    t.handler.onMessage(SNAPSHOT);
    expect(t.book('BTC-USD').bids[0]).toEqual(['45283.5', '0.10000000']);
    expect(t.rig.collector.counters.resyncs).toBe(1);
    await settle();
    expect(t.stale()).toEqual([]);
  });

  // Input: updates carrying a negative size, a string price, an infinite price, an off-grid price, a
  // missing checksum, a bad timestamp. Must hold: each counted bad and resynced; nothing applied.
  it('refuses garbage numbers without touching the book', () => {
    const garbage = [
      bookUpdate('{"price":45283.5,"qty":-1}', '', 1),
      bookUpdate('{"price":"abc","qty":1}', '', 1),
      bookUpdate('{"price":1e400,"qty":1}', '', 1),
      bookUpdate('{"price":45283.55,"qty":1}', '', 1),
      bookUpdate('', '{"price":45285.2}', 1),
      '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[]}]}',
      bookUpdate('', '', 1, 'noon'),
    ];
    for (const g of garbage) {
      started();
      const before = t.book('BTC-USD');
      t.handler.onMessage(g);
      expect(t.rig.collector.counters.badMessages).toBe(1);
      expect(t.rig.collector.counters.updates).toBe(1);
      expect(t.book('BTC-USD')).toEqual(before);
      expect(subscribesSent()).toBe(1);
      t.close();
    }
  });

  // Input: malformed JSON, then an unknown channel, an unknown reply, a non-object, a 1 MB message.
  // Must hold: malformed JSON resyncs every book; the rest are counted bad and leave the books live.
  it('survives malformed, unknown and huge messages', () => {
    started();
    t.handler.onMessage('{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":45283.5,"qty"');
    expect(t.rig.collector.counters.badMessages).toBe(1);
    // BTC resubscribes; ETH's first snapshot is still on its way, and it will do.
    expect(subscribesSent()).toBe(1);
    t.close();
    started();
    for (const m of ['{"channel":"fancy","type":"update","data":[]}', '{"event":"systemStatus"}', '{"method":"explode"}', '[1,2,3]', '42', `{"channel":"weird","pad":"${'x'.repeat(1 << 20)}"}`]) t.handler.onMessage(m);
    expect(t.rig.collector.counters.badMessages).toBe(6);
    expect(subscribesSent()).toBe(0);
    t.handler.onMessage(updateText(0));
    expect(t.rig.collector.counters.updates).toBe(2);
  });

  // Input: a refused subscribe (test_data/subscribe-error.json). Must hold: logged with Kraken's reason, not counted bad.
  it('logs refused subscriptions', async () => {
    started();
    t.handler.onMessage(testData('subscribe-error.json'));
    await settle();
    expect(t.logs()).toContain('Kraken refused subscribe BTC/XYZ: Currency pair not supported');
    expect(t.rig.collector.counters.badMessages).toBe(0);
  });

  // Input: three consecutive bad snapshots. Must hold: resubscribes back off (the second and third are delayed).
  it('backs off when resyncs keep failing', async () => {
    started();
    const bad = SNAPSHOT.replace('3310070434', '1');
    t.handler.onMessage(bad);
    expect(subscribesSent()).toBe(1);
    t.handler.onMessage(bad);
    expect(subscribesSent()).toBe(1);
    await settle();
    expect(subscribesSent()).toBe(2);
    expect(t.rig.collector.counters.checksumFailures).toBe(2);
  });

  // Input: subscriptions sent, then no snapshot for ETH/USD (BTC/USD gets one) within the deadline.
  // Must hold: the handler asks for the connection to be restarted, naming the symbol.
  it('restarts the connection when a snapshot never comes', async () => {
    t = handlerRig(10, ['BTC-USD', 'ETH-USD'], 100);
    t.handler.onMessage(SNAPSHOT);
    await new Promise((r) => setTimeout(r, 200));
    expect(t.restarts).toEqual(['no snapshot for ETH/USD within 100 ms of subscribing']);
  });
});
