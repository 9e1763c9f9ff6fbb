// The fast book-update scanner must agree with JSON.parse + the general validation on every text
// it accepts, and decline whatever it does not read exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BookScanner, looksLikeBookUpdate } from './fast-book';
import { LevelScratch, isChecksum, readLevels, type Units } from './messages';
import { BookView, MockBook, bookMessage, clock, rng } from './tests/mock-book';
import { MOCK_PAIRS } from './tests/mock-server';
import { testData } from './tests/handler-rig';

const UNITS: Record<string, Units> = {
  'BTC/USD': { priceDecimals: 1, qtyDecimals: 8, priceScale: 10, qtyScale: 1e8, tickUnits: 1, lotUnits: 1 },
  'ETH/USD': { priceDecimals: 2, qtyDecimals: 8, priceScale: 100, qtyScale: 1e8, tickUnits: 5, lotUnits: 1 },
};
const lookup = (s: string) => (UNITS[s] ? { units: UNITS[s]! } : undefined);

/** What the general path makes of `text`, or null when it refuses it (or it is not a one-symbol update). */
function slowPath(text: string) {
  let msg: { channel?: unknown; type?: unknown; data?: Array<Record<string, unknown>> };
  try {
    msg = JSON.parse(text);
  } catch {
    return null;
  }
  const item = msg.data?.[0];
  if (msg.channel !== 'book' || msg.type !== 'update' || msg.data?.length !== 1 || !item || typeof item.symbol !== 'string') return null;
  const u = UNITS[item.symbol];
  if (!u) return null;
  const out = new LevelScratch();
  if (readLevels(item.bids, 0, u, false, out) ?? readLevels(item.asks, 1, u, false, out)) return null;
  if (!isChecksum(item.checksum) || typeof item.timestamp !== 'string') return null;
  return { symbol: item.symbol, checksum: item.checksum, timestamp: item.timestamp, levels: levelsOf(out) };
}

const levelsOf = (s: LevelScratch) => Array.from({ length: s.n }, (_, i) => [s.sides[i], s.prices[i], s.qtys[i]]);

function fastPath(text: string) {
  const out = new LevelScratch();
  const r = looksLikeBookUpdate(text) ? new BookScanner().scan(text, lookup, out) : null;
  if (!r) return null;
  const symbol = Object.keys(UNITS).find((k) => UNITS[k] === r.target.units)!;
  return { symbol, checksum: r.checksum, timestamp: text.slice(r.tsStart, r.tsEnd), levels: levelsOf(out) };
}

/** Realistic updates as the mock sends them. */
function messages(n: number, seed: number): string[] {
  const random = rng(seed);
  const stamp = clock();
  const pair = { ...MOCK_PAIRS['ETH/USD']!, tickUnits: 5, mid: 318_750 };
  const books = [new MockBook(MOCK_PAIRS['BTC/USD']!, random), new MockBook(pair, random)];
  const views = books.map((b) => {
    const v = new BookView(25);
    v.snapshot(b);
    return v;
  });
  const out: string[] = [];
  while (out.length < n) {
    const i = out.length % 2;
    books[i]!.mutate();
    const diff = views[i]!.diff(books[i]!);
    if (diff[0].length + diff[1].length > 0) out.push(bookMessage('update', books[i]!, diff, books[i]!.checksum(), stamp()));
  }
  return out;
}

describe('BookScanner', () => {
  // Input: 2,000 updates in Kraken's shape (and the doc-shaped test_data updates).
  // Must hold: the scanner reads every one, exactly as JSON.parse + readLevels do.
  it('reads what Kraken sends exactly as the general path', () => {
    const texts = [...messages(2000, 5), ...(JSON.parse(testData('book-updates.json')).updates as unknown[]).map((u) => JSON.stringify(u))];
    for (const text of texts) {
      const fast = fastPath(text);
      expect(fast).not.toBeNull();
      expect(fast).toEqual(slowPath(text));
    }
  });

  // Input: those messages with 1–3 random edits (a character replaced, inserted or deleted, from a
  // set rich in JSON syntax, digits, signs and exponents).
  // Must hold: whenever the scanner accepts an edited text, the general path accepts it too and reads the same.
  it('never accepts what the general path would read otherwise', () => {
    const texts = messages(300, 9);
    const edit = fc.tuple(fc.nat(), fc.constantFrom('replace', 'insert', 'delete'), fc.constantFrom(...'0123456789.-+eE,:{}[]" abq'));
    fc.assert(fc.property(fc.nat(texts.length - 1), fc.array(edit, { minLength: 1, maxLength: 3 }), (k, edits) => {
      let text = texts[k]!;
      for (const [at, kind, ch] of edits) {
        const i = at % text.length;
        text = kind === 'replace' ? text.slice(0, i) + ch + text.slice(i + 1) : kind === 'insert' ? text.slice(0, i) + ch + text.slice(i) : text.slice(0, i) + text.slice(i + 1);
      }
      const fast = fastPath(text);
      if (fast) expect(fast).toEqual(slowPath(text));
    }), { numRuns: 5000 });
  });

  it('declines other shapes, signs, exponents, extra decimals, off-tick prices and leading zeros', () => {
    const base = '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":45283.5,"qty":0.10000000}],"asks":[],"checksum":12,"timestamp":"2023-10-06T17:35:55.440295Z"}]}';
    expect(fastPath(base)?.levels).toEqual([[0, 452835, 10000000]]);
    for (const [from, to] of [
      ['45283.5', '4.52835e4'], ['45283.5', '-45283.5'], ['0.10000000', '0.100000001'], ['45283.5', '045283.5'],
      ['"BTC/USD"', '"XBT/USD"'], ['"checksum":12', '"checksum":012'], ['"asks":[]', '"asks": []'], ['}]}', '}]} '],
      ['"bids":[{"price":45283.5,"qty":0.10000000}],"asks":[]', '"asks":[],"bids":[{"price":45283.5,"qty":0.10000000}]'],
    ] as const) {
      expect(fastPath(base.replace(from, to))).toBeNull();
    }
    expect(fastPath(base.replace('0.10000000', '0.10000000000'))?.levels).toEqual([[0, 452835, 10000000]]);
    expect(fastPath(base.replace('BTC/USD', 'ETH/USD').replace('45283.5', '3187.53'))).toBeNull();
    expect(fastPath(base.replace('BTC/USD', 'ETH/USD').replace('45283.5', '3187.50'))?.levels).toEqual([[0, 63750, 10000000]]);
  });
});
