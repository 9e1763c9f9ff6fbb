/**
 * https://developer.oanda.com/rest-live-v20/pricing-df/
 * OandaBookSync through a real Collector and ring (collector-rig) on the test_data stream. */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectorRig, type CollectorRig } from '../../testing/collector-rig';
import {
  BookFlags, bookCount, bookExchangeTs, bookFlags, bookLevelPrice, bookLevelQty, bookLevelSide, bookSymbolId,
} from '../../rings/records';
import { OandaBookSync } from './book-sync';
import { selectInstruments } from './symbols';

const stream = (JSON.parse(readFileSync(new URL('./test_data/pricing-stream.json', import.meta.url), 'utf8')) as object[]).map((m) => JSON.stringify(m));
const instruments = selectInstruments(JSON.parse(readFileSync(new URL('./test_data/instruments.json', import.meta.url), 'utf8')), ['EUR-USD', 'USD-JPY']).instruments;

interface Update {
  symbolId: number;
  snapshot: boolean;
  ts: number;
  levels: Array<[side: number, price: number, qty: number]>;
}

/** Reads every book update in the ring (an update may span several records). */
function updates(rig: CollectorRig): Update[] {
  const out: Update[] = [];
  let open: Update | null = null;
  rig.bookRing.poll((off) => {
    const ring = rig.bookRing;
    const flags = bookFlags(ring, off);
    open ??= { symbolId: bookSymbolId(ring, off), snapshot: (flags & BookFlags.Snapshot) !== 0, ts: bookExchangeTs(ring, off), levels: [] };
    for (let i = 0; i < bookCount(ring, off); i++) open.levels.push([bookLevelSide(ring, off, i), bookLevelPrice(ring, off, i), bookLevelQty(ring, off, i)]);
    if ((flags & BookFlags.Continued) === 0) {
      out.push(open);
      open = null;
    }
  });
  return out;
}

const staleMessages = (rig: CollectorRig) => rig.messages.filter((m) => m.type === 'stale') as Array<{ symbolId: number; reason: string }>;
const logs = (rig: CollectorRig) => rig.messages.filter((m) => m.type === 'log').map((m) => (m as { msg: string }).msg);
const settle = () => new Promise((r) => setTimeout(r, 10));
const EUR = 0;
const JPY = 1;

let rig: CollectorRig;
let sync: OandaBookSync;
beforeEach(() => {
  rig = collectorRig('oanda');
  rig.collector.setInstruments(instruments.map(({ symbol, tickSize, lotSize }) => ({ symbol, tickSize, lotSize })));
  sync = new OandaBookSync(rig.collector, instruments);
  sync.onConnect();
});
afterEach(() => rig.close());

describe('OandaBookSync', () => {
  it('takes the first PRICE of each instrument as a snapshot in ticks and lots, with the exchange time in µs', () => {
    expect(sync.onLine(stream[0]!)).toBe('ok');
    expect(sync.onLine(stream[1]!)).toBe('ok');
    expect(updates(rig)).toEqual([
      { symbolId: EUR, snapshot: true, ts: Date.UTC(2016, 8, 20, 15, 5, 47) * 1000 + 960449, levels: [[0, 111482, 10000000], [0, 111481, 10000000], [0, 111480, 20000000], [1, 111499, 10000000], [1, 111500, 10000000]] },
      { symbolId: JPY, snapshot: true, ts: Date.UTC(2016, 8, 20, 15, 5, 47) * 1000 + 960449, levels: [[0, 101652, 1000000], [0, 101650, 2000000], [1, 101666, 1000000], [1, 101668, 2000000]] },
    ]);
  });

  it('emits a later PRICE as one diff: removals for vanished levels, new sizes for changed ones, nothing for the rest', () => {
    for (const line of stream.slice(0, 4)) sync.onLine(line);
    const u = updates(rig);
    expect(u).toHaveLength(3);
    expect(u[2]).toEqual({ symbolId: EUR, snapshot: false, ts: Date.UTC(2016, 8, 20, 15, 5, 51) * 1000 + 202044, levels: [[0, 111480, 0], [0, 111482, 5000000], [1, 111498, 1000000]] });
    const book = rig.collector.book(EUR);
    expect([book.depth(0), book.depth(1), book.bestPrice(0), book.bestPrice(1)]).toEqual([2, 3, 111482, 111498]);
    expect(rig.collector.counters.messages).toBe(4);
  });

  it('holds a book stale while the market is closed and sends a snapshot when it is tradeable again', async () => {
    for (const line of stream.slice(0, 5)) sync.onLine(line);
    expect(updates(rig)).toHaveLength(3);
    await settle();
    expect(staleMessages(rig)).toEqual([expect.objectContaining({ symbolId: EUR, reason: 'market closed' })]);
    sync.onLine(stream[5]!);
    sync.onLine(stream[6]!);
    expect(updates(rig)).toEqual([{ symbolId: EUR, snapshot: true, ts: Date.UTC(2016, 8, 20, 15, 6, 1) * 1000 + 500000, levels: [[0, 111470, 1000000], [1, 111490, 1000000]] }]);
    expect(rig.collector.counters.resyncs).toBe(1);
  });

  it('drops an older PRICE and counts a repeated one, leaving the book as it was', () => {
    for (const line of stream.slice(0, 4)) sync.onLine(line);
    updates(rig);
    sync.onLine(stream[0]!);
    sync.onLine(stream[3]!);
    expect(updates(rig)).toEqual([]);
    expect(rig.collector.counters.gaps).toBe(2);
    expect(rig.collector.book(EUR).qtyOf(0, 111482 as never)).toBe(5000000);
  });

  it('marks only the named book stale on garbage numbers or a crossed quote, and rebuilds it from the next good PRICE', async () => {
    for (const line of stream.slice(0, 2)) sync.onLine(line);
    updates(rig);
    const bad = (patch: object) => JSON.stringify({ ...JSON.parse(stream[3]!), ...patch });
    expect(sync.onLine(bad({ bids: [{ price: 'NaN', liquidity: 1 }] }))).toBe('ok');
    expect(sync.onLine(bad({ asks: [{ price: '1.11400', liquidity: 1 }] }))).toBe('ok');
    expect(sync.onLine(bad({ time: '2016-09-20T25:00:00Z' }))).toBe('ok');
    expect(updates(rig)).toEqual([]);
    expect(rig.collector.counters.badMessages).toBe(3);
    await settle();
    expect(staleMessages(rig).map((m) => m.symbolId)).toEqual([EUR, EUR, EUR]);
    expect(logs(rig)[0]).toMatch(/bad PRICE for EUR-USD \(price "NaN" is not a decimal number\)/);
    sync.onLine(stream[3]!);
    expect(updates(rig)).toEqual([expect.objectContaining({ symbolId: EUR, snapshot: true })]);
  });

  it('asks for a restart, all books stale, on a line it cannot attribute; ignores unknown types', async () => {
    for (const line of stream.slice(0, 2)) sync.onLine(line);
    expect(sync.onLine('{"type":"PRICE","instrument":"EUR_US')).toBe('restart');
    expect(sync.onLine('{"type":"ORDER_FILL","id":"1"}')).toBe('ok');
    expect(rig.collector.counters.badMessages).toBe(2);
    await settle();
    expect(staleMessages(rig).map((m) => m.symbolId).sort()).toEqual([EUR, JPY]);
    expect(logs(rig).some((l) => l.includes('unknown message type "ORDER_FILL"'))).toBe(true);
  });

  it('takes the first PRICE after a reconnect as a snapshot again', () => {
    for (const line of stream.slice(0, 4)) sync.onLine(line);
    updates(rig);
    sync.onDown('closed');
    sync.onConnect();
    sync.onLine(stream[3]!);
    expect(updates(rig)).toEqual([expect.objectContaining({ symbolId: EUR, snapshot: true })]);
  });
});
