/** Stream line parsing and instrument mapping on test_data payloads (shapes from https://developer.oanda.com/rest-live-v20/pricing-df/). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePrice, precisionOf } from '../../../shared/instruments';
import { gridUnits, readLine, rfc3339Micros, SideLevels } from './messages';
import { selectInstruments, stepOf } from './symbols';

const stream = JSON.parse(readFileSync(new URL('./test_data/pricing-stream.json', import.meta.url), 'utf8')) as object[];
const instruments = JSON.parse(readFileSync(new URL('./test_data/instruments.json', import.meta.url), 'utf8')) as unknown;

describe('readLine', () => {
  it('classifies the documented PRICE and HEARTBEAT lines', () => {
    const kinds = stream.map((m) => readLine(JSON.stringify(m)).kind);
    expect(kinds).toEqual(['price', 'price', 'heartbeat', 'price', 'price', 'heartbeat', 'price']);
  });

  it('tells unknown types, malformed JSON and shapeless PRICEs apart, naming the instrument when it can', () => {
    expect(readLine('{"type":"ORDER_FILL"}')).toEqual({ kind: 'unknown', type: 'ORDER_FILL' });
    expect(readLine('{"type":"PRICE","instrument":"EUR_')).not.toHaveProperty('instrument');
    expect(readLine('[1,2]')).toMatchObject({ kind: 'bad' });
    expect(readLine('{"type":"PRICE","instrument":"EUR_USD","time":"x","bids":{}}')).toMatchObject({ kind: 'bad', instrument: 'EUR_USD' });
    expect(readLine('{"type":"PRICE","instrument":"EUR_USD","time":"x","bids":[],"asks":[],"tradeable":"yes"}')).toMatchObject({ kind: 'bad', instrument: 'EUR_USD' });
    // the deprecated status stands in when tradeable is absent
    expect(readLine('{"type":"PRICE","instrument":"EUR_USD","time":"x","bids":[],"asks":[],"status":"tradeable"}').kind).toBe('price');
  });
});

describe('rfc3339Micros', () => {
  it('keeps microseconds exactly (nanoseconds truncated)', () => {
    expect(rfc3339Micros('2016-09-20T15:05:47.960449532Z')).toBe(Date.UTC(2016, 8, 20, 15, 5, 47) * 1000 + 960449);
    expect(rfc3339Micros('2016-09-20T15:05:47Z')).toBe(Date.UTC(2016, 8, 20, 15, 5, 47) * 1000);
    expect(rfc3339Micros('2016-09-20T15:05:47.9Z')).toBe(Date.UTC(2016, 8, 20, 15, 5, 47) * 1000 + 900000);
    expect(rfc3339Micros('2016-09-20T17:05:47.000001+02:00')).toBe(Date.UTC(2016, 8, 20, 15, 5, 47) * 1000 + 1);
  });

  it('gives the same µs on the cached same-second path as from scratch', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 999_999_999 }), (ms, digits, ns) => {
        const sec = Math.floor(ms / 1000);
        const frac = String(ns).padStart(9, '0').slice(0, digits);
        const text = `${new Date(sec * 1000).toISOString().slice(0, 19)}.${frac}Z`;
        const want = sec * 1_000_000 + Number(frac.padEnd(6, '0').slice(0, 6));
        expect(rfc3339Micros(text)).toBe(want);
        expect(rfc3339Micros(text)).toBe(want);
        expect(rfc3339Micros(text.replace(/\.(\d)/, '.x'))).toBeNaN();
      }),
      { numRuns: 500 },
    );
  });

  it('refuses what is not a date-time', () => {
    for (const bad of ['', 'NaN', '1474383947.960449532', '2016-13-20T15:05:47Z', '2016-02-30T15:05:47Z', '2016-09-20 15:05:47Z', '2016-09-20T15:05:47.1234567890Z']) {
      expect(rfc3339Micros(bad), bad).toBeNaN();
    }
  });
});

describe('gridUnits', () => {
  it('reads exactly what parsePrice reads, and refuses exactly what it refuses', () => {
    const text = fc.oneof(
      fc.stringMatching(/^-?\d{0,7}(\.\d{0,8})?$/),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('1.11482', '1.114820000', '0.00005', '.5', '1.', '-0', '', '.', '-', '1e5', ' 1', '+1', '1..2'),
    );
    const grids = fc.constantFrom('0.00001', '0.001', '0.05', '1', '0.1', '25');
    fc.assert(
      fc.property(text, grids, (t, tick) => {
        const p = precisionOf({ tickSize: tick, lotSize: '1' });
        let want: number;
        try {
          want = parsePrice(t, p);
        } catch {
          want = NaN;
        }
        expect(gridUnits(t, p.priceDecimals, p.tickUnits)).toBe(want);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('SideLevels', () => {
  const p = { priceDecimals: 5, sizeDecimals: 0, tickUnits: 1, lotUnits: 1 };
  it('reads buckets into ticks and lots, summing repeated prices and skipping empty ones', () => {
    const s = new SideLevels();
    expect(s.read([{ price: '1.11482', liquidity: 10000000 }, { price: '1.11481', liquidity: '250000' }, { price: '1.11482', liquidity: 5 }, { price: '1.1148', liquidity: 0 }], p)).toBeNull();
    expect([...s.prices.subarray(0, s.n)]).toEqual([111482, 111481]);
    expect([...s.qtys.subarray(0, s.n)]).toEqual([10000005, 250000]);
    expect(s.best(1)).toBe(111482);
    expect(s.best(-1)).toBe(111481);
  });

  it('names what is wrong with garbage numbers', () => {
    const s = new SideLevels();
    const cases: unknown[] = [
      { price: 'NaN', liquidity: 1 }, { price: '1.11482', liquidity: -5 }, { price: '-1.11482', liquidity: 1 }, { price: '1.114825', liquidity: 1 },
      { price: '1.11482', liquidity: 'lots' }, { price: '1.11482', liquidity: 1e21 }, { price: '1.11482', liquidity: 0.5 }, { price: 1.11482, liquidity: 1 }, null,
    ];
    for (const c of cases) expect(s.read([c], p), JSON.stringify(c)).toMatch(/./);
  });
});

describe('selectInstruments', () => {
  it('maps names to canonical symbols with tick 10^-displayPrecision and lot 10^-tradeUnitsPrecision, in the order asked', () => {
    const sel = selectInstruments(instruments, ['USD-JPY', 'EUR-USD', 'DE30-EUR', 'BTC-USD']);
    expect(sel.instruments.map(({ name, symbol, tickSize, lotSize }) => ({ name, symbol, tickSize, lotSize }))).toEqual([
      { name: 'USD_JPY', symbol: 'USD-JPY', tickSize: '0.001', lotSize: '1' },
      { name: 'EUR_USD', symbol: 'EUR-USD', tickSize: '0.00001', lotSize: '1' },
      { name: 'DE30_EUR', symbol: 'DE30-EUR', tickSize: '0.1', lotSize: '0.1' },
    ]);
    expect(sel.unknown).toEqual(['BTC-USD']);
    expect(stepOf(0)).toBe('1');
  });

  it('skips unreadable entries and refuses a response with no list', () => {
    const sel = selectInstruments({ instruments: [{ name: 'EUR_USD', displayPrecision: -1, tradeUnitsPrecision: 0 }] }, ['EUR-USD']);
    expect(sel).toMatchObject({ instruments: [], unknown: ['EUR-USD'], invalid: ['EUR_USD'] });
    expect(() => selectInstruments({ errorMessage: 'x' }, ['EUR-USD'])).toThrow(/instruments/);
  });
});
