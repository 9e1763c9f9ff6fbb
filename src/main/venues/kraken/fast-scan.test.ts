// The fast book-update scanner must agree with JSON.parse + the general validation on every text
// it accepts, and decline whatever it does not read exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BookScanner, TradeScanner, TradeScratch, looksLikeBookUpdate, looksLikeTrades } from './fast-scan';
import { LevelScratch, isChecksum, priceTicks, qtyLots, readLevels, rfc3339Micros, type Units } from './messages';
import { BookView, MockBook, bookMessage, clock, rng, tradeMessage } from './tests/mock-book';
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

const symbolOf = (u: Units) => Object.keys(UNITS).find((k) => UNITS[k] === u)!;

/** What the handler's general path makes of a trade message: [symbol, aggressor, ticks, lots, id, µs] per trade, or null. */
function slowTrades(text: string) {
  let msg: { channel?: unknown; type?: unknown; data?: Array<Record<string, unknown>> };
  try {
    msg = JSON.parse(text);
  } catch {
    return null;
  }
  if (msg.channel !== 'trade' || msg.type !== 'update' || !Array.isArray(msg.data)) return null;
  const out: unknown[][] = [];
  for (const t of msg.data) {
    const u = UNITS[t.symbol as string];
    if (!u) return null;
    const price = priceTicks(t.price, u);
    const qty = qtyLots(t.qty, u);
    const ts = typeof t.timestamp === 'string' ? rfc3339Micros(t.timestamp) : NaN;
    const id = t.trade_id;
    if (price !== price || !(qty > 0) || (t.side !== 'buy' && t.side !== 'sell') || ts !== ts || typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return null;
    out.push([t.symbol, t.side === 'buy' ? 0 : 1, price, qty, id, ts]);
  }
  return out;
}

function fastTrades(text: string) {
  const out = new TradeScratch<{ units: Units }>();
  if (!looksLikeTrades(text) || !new TradeScanner().scan(text, lookup, out)) return null;
  return Array.from({ length: out.n }, (_, k) => [symbolOf(out.targets[k]!.units), out.aggressors[k], out.prices[k], out.qtys[k], out.ids[k], out.times[k]]);
}

/** Realistic trade messages (one to three trades each). */
function tradeMessages(n: number, seed: number): string[] {
  const random = rng(seed);
  const stamp = clock();
  const book = new MockBook(MOCK_PAIRS['BTC/USD']!, random);
  const out: string[] = [];
  for (let id = 1; out.length < n; ) {
    const trades: string[] = [];
    for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
      const t = book.mutate();
      if (t) trades.push(tradeMessage(book, t, id++, stamp()));
    }
    if (trades.length === 0) continue;
    const items = trades.map((m) => m.slice(m.indexOf('[') + 1, m.lastIndexOf(']')));
    out.push(`{"channel":"trade","type":"update","data":[${items.join(',')}]}`);
  }
  return out;
}

/** Applies 1–3 random edits (a character replaced, inserted or deleted). */
const edit = fc.array(fc.tuple(fc.nat(), fc.constantFrom('replace', 'insert', 'delete'), fc.constantFrom(...'0123456789.-+eE,:{}[]" abqsy')), { minLength: 1, maxLength: 3 });
function edited(text: string, edits: Array<[number, string, string]>): string {
  for (const [at, kind, ch] of edits) {
    const i = at % text.length;
    text = kind === 'replace' ? text.slice(0, i) + ch + text.slice(i + 1) : kind === 'insert' ? text.slice(0, i) + ch + text.slice(i) : text.slice(0, i) + text.slice(i + 1);
  }
  return text;
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
    fc.assert(fc.property(fc.nat(texts.length - 1), edit, (k, edits) => {
      const text = edited(texts[k]!, edits);
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

describe('TradeScanner', () => {
  // Input: 1,000 trade messages of 1–3 trades, and test_data/trade.json.
  // Must hold: read exactly as JSON.parse + the handler's checks read them.
  it('reads what Kraken sends exactly as the general path', () => {
    for (const text of [...tradeMessages(1000, 4), JSON.stringify(JSON.parse(testData('trade.json')))]) {
      const fast = fastTrades(text);
      expect(fast).not.toBeNull();
      expect(fast).toEqual(slowTrades(text));
    }
    // JavaScript writes 0.00000001 as 1e-8: the scanner leaves that to the general path, which reads it.
    const tiny = tradeMessages(1, 4)[0]!.replace(/"qty":[0-9.]+/, '"qty":1e-8');
    expect(fastTrades(tiny)).toBeNull();
    expect(slowTrades(tiny)![0]![3]).toBe(1);
  });

  // Input: those messages with 1–3 random edits. Must hold: whatever the scanner accepts, the general path reads the same.
  it('never accepts what the general path would read otherwise', () => {
    const texts = tradeMessages(300, 8);
    fc.assert(fc.property(fc.nat(texts.length - 1), edit, (k, edits) => {
      const text = edited(texts[k]!, edits);
      const fast = fastTrades(text);
      if (fast) expect(fast).toEqual(slowTrades(text));
    }), { numRuns: 5000 });
  });
});
