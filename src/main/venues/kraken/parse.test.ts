// Checksum, number and time parsing, and instrument mapping against Kraken's documented examples
// (https://docs.kraken.com/exchange/guides/websockets/book-checksum-v2) and test_data payloads.
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { L2Book } from '../../market/l2-book';
import { parsePrice, unitsToDecimal } from '../../../shared/instruments';
import type { PriceTicks, Qty } from '../../../shared/units';
import { BookChecksum, crc32Ascii } from './checksum';
import { priceTicks, qtyLots, rfc3339Micros, rfc3339MicrosAt, toUnits } from './messages';
import { instrumentsFromAssetPairs, selectInstruments } from './symbols';
import { testData } from './tests/handler-rig';

const BTC = { priceDecimals: 1, qtyDecimals: 8, priceScale: 10, qtyScale: 1e8, tickUnits: 1, lotUnits: 1 };

describe('Kraken v2 book checksum', () => {
  // Input: the worked example of Kraken's v2 checksum guide (BTC/USD, price precision 1, qty 8).
  // Must hold: our CRC32 of the book equals Kraken's documented 3310070434.
  it('matches the documented example', () => {
    const snap = JSON.parse(testData('book-snapshot.json')).data[0];
    const book = new L2Book(16);
    for (const l of snap.bids) book.apply(0, priceTicks(l.price, BTC) as PriceTicks, qtyLots(l.qty, BTC) as Qty);
    for (const l of snap.asks) book.apply(1, priceTicks(l.price, BTC) as PriceTicks, qtyLots(l.qty, BTC) as Qty);
    expect(new BookChecksum(1, 1).of(book)).toBe(3310070434);
    expect(snap.checksum).toBe(3310070434);
  });

  // Input: random books (1–15 levels a side, random precisions, ticks of 1 or 5 units), each
  // checked by a fresh checksum and by one long-lived per tick size (its level cache warm, and
  // full of the same prices with other sizes).
  // Must hold: the cached, shifted CRC equals the documented string recipe hashed by zlib.
  it('equals the documented string recipe on random books', () => {
    const warm = new Map([1, 5].map((tick) => [tick, new BookChecksum(tick, 1)]));
    const side = fc.uniqueArray(fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 1e12 })), { minLength: 1, maxLength: 15, selector: (l) => l[0] });
    fc.assert(fc.property(side, side, fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 10 }), fc.constantFrom(1, 5), (bids, asks, pp, qp, tick) => {
      const book = new L2Book(16);
      for (const [p, q] of bids) book.apply(0, p as PriceTicks, q as Qty);
      for (const [p, q] of asks) book.apply(1, (p + 5000) as PriceTicks, q as Qty);
      const field = (units: number, d: number) => unitsToDecimal(units, d).replace('.', '').replace(/^0+/, '');
      let text = '';
      for (let r = 0; r < Math.min(10, book.depth(1)); r++) text += field(book.priceAt(1, r) * tick, pp) + field(book.qtyAt(1, r), qp);
      for (let r = 0; r < Math.min(10, book.depth(0)); r++) text += field(book.priceAt(0, r) * tick, pp) + field(book.qtyAt(0, r), qp);
      expect(new BookChecksum(tick, 1).of(book)).toBe(crc32(text) >>> 0);
      expect(warm.get(tick)!.of(book)).toBe(crc32(text) >>> 0);
      expect(crc32Ascii(text)).toBe(crc32(text) >>> 0);
    }), { numRuns: 1000 });
  });
});

describe('JSON numbers to ticks and lots', () => {
  // Input: any integer count of units at 0–12 decimals, written as Kraken writes it, then JSON.parse'd.
  // Must hold: toUnits gives back exactly that count, as parsePrice does on n.toFixed(decimals).
  it('recovers the exact decimal from the parsed double', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 52 }), fc.integer({ min: 0, max: 12 }), (units, d) => {
      const n = JSON.parse(unitsToDecimal(units, d)) as number;
      expect(toUnits(n, 10 ** d)).toBe(units);
      const p = { priceDecimals: d, sizeDecimals: d, tickUnits: 1, lotUnits: 1 };
      expect(toUnits(n, 10 ** d)).toBe(parsePrice(n.toFixed(d), p));
    }), { numRuns: 2000 });
  });

  // Input: values that are not exact prices/sizes: off-grid, negative, non-finite, strings of garbage.
  // Must hold: NaN (the message is refused), never a rounded guess.
  it('refuses what is not exactly on the grid', () => {
    expect(priceTicks(45283.55, BTC)).toBeNaN();
    expect(priceTicks(-45283.5, BTC)).toBeNaN();
    expect(priceTicks(0, BTC)).toBeNaN();
    expect(priceTicks(JSON.parse('1e400'), BTC)).toBeNaN();
    expect(priceTicks('abc', BTC)).toBeNaN();
    expect(priceTicks(null, BTC)).toBeNaN();
    expect(qtyLots(-1, BTC)).toBeNaN();
    expect(qtyLots(0.000000001, BTC)).toBeNaN();
    expect(qtyLots(1e300, BTC)).toBeNaN();
    expect(priceTicks(0.1 + 0.2, { ...BTC, priceScale: 100 })).toBeNaN();
    expect(priceTicks(45283.5, BTC)).toBe(452835);
    expect(priceTicks('45283.5', BTC)).toBe(452835);
    expect(qtyLots(0, BTC)).toBe(0);
    expect(priceTicks(45283.5, { ...BTC, tickUnits: 5 })).toBe(90567);
    expect(priceTicks(45283.4, { ...BTC, tickUnits: 5 })).toBeNaN();
  });

  it('reads RFC 3339 timestamps to the microsecond', () => {
    expect(rfc3339Micros('2023-10-06T17:35:55.440295Z')).toBe(Date.UTC(2023, 9, 6, 17, 35, 55) * 1000 + 440295);
    expect(rfc3339Micros('2023-10-06T17:35:55.512Z')).toBe(Date.UTC(2023, 9, 6, 17, 35, 55) * 1000 + 512000);
    expect(rfc3339Micros('2023-10-06T17:35:55Z')).toBe(Date.UTC(2023, 9, 6, 17, 35, 55) * 1000);
    const msg = '{"timestamp":"2023-10-06T17:35:55.440295Z"}';
    expect(rfc3339MicrosAt(msg, 14, 41)).toBe(Date.UTC(2023, 9, 6, 17, 35, 55) * 1000 + 440295);
    for (const bad of ['', 'yesterday', '2023-10-06T17:35:55.44x295Z', '2023-10-06 17:35:55Z', '2023-10-06T17:35:55.Z', '2023-10-06T17:35:55.440295']) expect(rfc3339Micros(bad)).toBeNaN();
  });
});

describe('AssetPairs → instruments', () => {
  // Input: test_data/asset-pairs.json in the REST API's shape (legacy names, a dark-pool pair, a delisted pair).
  // Must hold: v2 names (XBT→BTC, XDG→DOGE), tick and lot at Kraken's precisions, odd pairs skipped.
  it('maps legacy names and precisions', () => {
    const { instruments, skipped } = instrumentsFromAssetPairs(JSON.parse(testData('asset-pairs.json')).result);
    const by = new Map(instruments.map((i) => [i.symbol, i]));
    expect(by.get('BTC-USD')).toEqual({ symbol: 'BTC-USD', wsSymbol: 'BTC/USD', tickSize: '0.1', lotSize: '0.00000001', pricePrecision: 1, qtyPrecision: 8, status: 'online' });
    expect(by.get('ETH-BTC')?.wsSymbol).toBe('ETH/BTC');
    expect(by.get('DOGE-USD')?.tickSize).toBe('0.0000001');
    expect(by.get('ETH-USD')?.tickSize).toBe('0.01');
    expect(by.has('LUNA-USD')).toBe(false);
    expect(skipped.some((s) => s.startsWith('XXBTZUSD.d'))).toBe(true);
    expect(skipped.some((s) => s.startsWith('LUNAUSD: delisted'))).toBe(true);
    const { chosen, missing } = selectInstruments(instruments, ['SOL-USD', 'BTC-USD', 'NOPE-USD']);
    expect(chosen.map((i) => i.symbol)).toEqual(['SOL-USD', 'BTC-USD']);
    expect(missing).toEqual(['NOPE-USD']);
  });

  it('keeps a coarse tick at the pair precision and refuses an inconsistent one', () => {
    const base = { altname: 'X', wsname: 'AAA/USD', pair_decimals: 2, lot_decimals: 0, status: 'online' };
    const { instruments, skipped } = instrumentsFromAssetPairs({ A: { ...base, tick_size: '0.05' }, B: { ...base, wsname: 'BBB/USD', tick_size: '0.001' } });
    expect(instruments).toEqual([{ symbol: 'AAA-USD', wsSymbol: 'AAA/USD', tickSize: '0.05', lotSize: '1', pricePrecision: 2, qtyPrecision: 0, status: 'online' }]);
    expect(skipped[0]).toMatch(/tick_size 0.001/);
  });
});
