/**
 * The book sync and handler on a real Collector (collector-rig), fed recorded-shape payloads from
 * test_data: what reaches the rings must be exactly the documented procedure's book.
 * Docs: https://github.com/binance-us/binance-us-api-docs/blob/master/web-socket-streams.md#how-to-manage-a-local-order-book-correctly
 */
import { afterEach, describe, expect, it } from 'vitest';
import { binanceRig, testData, type BinanceRig } from './tests/rig-support';

const snapshotJson = testData('depth-snapshot.json') as { lastUpdateId: number; bids: string[][]; asks: string[][] };
const events = testData('depth-updates.json') as Record<string, any>[];
const L = snapshotJson.lastUpdateId;
const ev = (U: number, u: number, b: string[][] = [], a: string[][] = [], E = 1718900001000) => ({ e: 'depthUpdate', E, s: 'BTCUSD', U, u, b, a });

let r: BinanceRig;
afterEach(() => r?.close());

/** collector's own copy of BTC-USD as [price ticks, qty lots] best first */
const side = (s: 0 | 1) => {
  const book = r.rig.collector.book(0);
  return Array.from({ length: book.depth(s) }, (_, i) => [book.priceAt(s, i), book.qtyAt(s, i)]);
};

const stales = async () => (await r.posted()).filter((m) => m.type === 'stale');
const logs = async () => (await r.posted()).flatMap((m) => (m.type === 'log' ? [m.msg] : []));

/** a live BTC-USD book from the test_data snapshot, rings drained */
function live(): void {
  r = binanceRig();
  r.connect();
  r.snapshot(0, snapshotJson);
  r.updates();
}

describe('Binance.US book sync (collector-rig)', () => {
  it('buffers until the snapshot, drops u <= lastUpdateId, applies the straddling event and the rest as deltas', () => {
    r = binanceRig();
    r.connect();
    for (const e of events) r.send(e);
    expect(r.updates()).toEqual([]);
    expect(r.wanted.map((s) => s.sym.symbol)).toContain('BTC-USD');
    r.snapshot(0, snapshotJson);
    const ups = r.updates();
    expect(ups.map((u) => [u.snapshot, u.levels.length, u.exchangeTs])).toEqual([
      [true, 10, NaN],
      [false, 3, 1718900000200_000],
      [false, 3, 1718900000300_000],
      [false, 2, 1718900000400_000],
    ]);
    // 66000.00 is deeper than the snapshot went: applied all the same (the book is the union);
    // 67999.99 removes a level we never had, which the docs call normal.
    expect(side(0)).toEqual([[6701236, 1000], [6701234, 20000], [6701233, 500], [6701000, 4210], [6700550, 250000], [6600000, 300000]]);
    expect(side(1)).toEqual([[6701300, 31000], [6701412, 100], [6702000, 500000], [6703199, 26780], [6704000, 100000]]);
    expect(r.rig.collector.counters).toMatchObject({ messages: 5, gaps: 0, resyncs: 0, badMessages: 0 });
  });

  it('a sequence gap while live: stale, gap counted, nothing staged, resynced from a new snapshot', async () => {
    live();
    r.send(ev(L + 1, L + 2, [['67012.30', '1']]));
    expect(r.updates()).toHaveLength(1);
    r.wanted.length = 0;
    r.send(ev(L + 4, L + 5, [['67012.29', '1']]));
    expect(r.updates()).toEqual([]);
    expect(r.rig.collector.counters).toMatchObject({ gaps: 1, resyncs: 1 });
    expect(r.syncs[0]!.phase).toBe('buffering');
    expect(r.wanted).toHaveLength(1);
    expect((await stales()).at(-1)).toMatchObject({ symbolId: 0, reason: expect.stringMatching(/sequence break/) });
    // the event that showed the gap was kept: a snapshot at L+4 is straddled by it
    r.snapshot(0, { ...snapshotJson, lastUpdateId: L + 4 });
    expect(r.updates().map((u) => u.snapshot)).toEqual([true, false]);
    expect(r.rig.collector.book(0).qtyOf(0, 6701229 as never)).toBe(100000);
  });

  it('a duplicated or out-of-order event is a sequence break too', async () => {
    live();
    const e1 = ev(L + 1, L + 2, [['67012.30', '1']]);
    r.send(e1);
    r.send(e1);
    expect(r.rig.collector.counters.gaps).toBe(1);
    expect(r.updates()).toHaveLength(1);
    expect(await logs()).toContainEqual(expect.stringMatching(/sequence break: event U=\d+ u=\d+ after u=\d+/));
  });

  it('a first event that does not straddle lastUpdateId+1 restarts the procedure', async () => {
    live();
    r.send(ev(L + 3, L + 4, [['67012.30', '1']]));
    expect(r.updates()).toEqual([]);
    expect(r.rig.collector.counters).toMatchObject({ gaps: 0, resyncs: 1 });
    expect(await logs()).toContainEqual(expect.stringMatching(/does not straddle snapshot lastUpdateId\+1/));
    expect((await stales()).length).toBeGreaterThan(0);
  });

  it('a snapshot older than the first buffered event is not used: the buffer is kept and a newer one fetched', async () => {
    r = binanceRig();
    r.connect();
    r.send(ev(L + 10, L + 12, [['67012.30', '1']]));
    r.send(ev(L + 13, L + 13, [], [['67012.35', '2']]));
    r.wanted.length = 0;
    r.snapshot(0, snapshotJson);
    expect(r.updates()).toEqual([]);
    expect(r.wanted).toHaveLength(1);
    expect(await logs()).toContainEqual(expect.stringMatching(/snapshot lastUpdateId=\d+ does not straddle/));
    r.snapshot(0, { ...snapshotJson, lastUpdateId: L + 11 });
    expect(r.updates().map((u) => u.snapshot)).toEqual([true, false, false]);
    expect(r.syncs[0]!.phase).toBe('live');
  });

  it('a hole among buffered events is a gap: the snapshot is not used', () => {
    r = binanceRig();
    r.connect();
    r.send(ev(L, L + 1));
    r.send(ev(L + 3, L + 4));
    r.snapshot(0, snapshotJson);
    expect(r.updates()).toEqual([]);
    expect(r.rig.collector.counters.gaps).toBe(1);
  });

  it('garbage numbers while live: counted, nothing staged, the book goes stale and resyncs', async () => {
    live();
    for (const bad of [[['NaN', '1']], [['67012.30', '-1']], [['67012.30', 'abc']]]) {
      r.send(ev(L + 1, L + 1, bad));
      r.connect();
      r.snapshot(0, snapshotJson);
    }
    const ups = r.updates();
    expect(ups.every((u) => u.snapshot)).toBe(true);
    expect(r.rig.collector.counters.badMessages).toBe(3);
    expect(await logs()).toContainEqual(expect.stringMatching(/bad depthUpdate of BTC-USD: quantity "-1"/));
    expect((await stales()).filter((s) => s.type === 'stale' && /unreadable/.test(s.reason))).toHaveLength(3);
  });

  it('an event that would cross the book is refused and resynced', () => {
    live();
    r.send(ev(L + 1, L + 1, [['67013.00', '1']]));
    expect(r.updates()).toEqual([]);
    expect(r.rig.collector.counters.badMessages).toBe(1);
    const book = r.rig.collector.book(0);
    expect(book.bestPrice(0)).toBeLessThan(book.bestPrice(1));
  });

  it('a connection down marks every book stale and waits for the next open', async () => {
    live();
    r.syncs.forEach((s) => s.down('connection down: closed with code 1006'));
    r.send(ev(L + 1, L + 1, [['67012.30', '1']]));
    expect(r.updates()).toEqual([]);
    expect((await stales()).map((s) => s.type === 'stale' && s.symbolId).sort()).toEqual([0, 1]);
  });

  it('trades: price, size, aggressor (m=true → sell), trade time in µs, id', () => {
    r = binanceRig();
    for (const t of testData('trades.json') as unknown[]) r.send(t);
    expect(r.trades()).toEqual([
      { symbolId: 0, aggressor: 0, price: 6701235, qty: 1000, exchangeTs: 1718900000149_000, tradeId: 75119381 },
      { symbolId: 0, aggressor: 1, price: 6701234, qty: 530, exchangeTs: 1718900000248_000, tradeId: 75119382 },
    ]);
  });

  it('malformed JSON, unknown types, venue errors and other symbols are counted and never staged or thrown', async () => {
    live();
    const c = testData('control.json') as Record<string, unknown>;
    for (const m of ['{"e":"depthUpdate","E":1,', 'null', '[1,2]', c.kline, c.error, c.listSubscriptions, { e: 'depthUpdate', s: 'DOGEUSD', E: 1, U: 1, u: 1, b: [], a: [] }, 'x'.repeat(1 << 20)]) {
      expect(() => r.send(m)).not.toThrow();
    }
    expect(r.updates()).toEqual([]);
    expect(r.syncs[0]!.phase).toBe('live');
    expect(r.rig.collector.counters.badMessages).toBe(6);
    const lines = await logs();
    expect(lines).toContainEqual(expect.stringMatching(/malformed JSON/));
    expect(lines).toContainEqual(expect.stringMatching(/unknown message \(e="kline"\)/));
    expect(lines).toContainEqual(expect.stringMatching(/venue error 2/));
  });
});
