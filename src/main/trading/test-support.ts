/** Books and desks for trading tests: a real MarketBook with a known ladder, a desk on a temp journal. */
import { join } from 'node:path';
import { scratchDir } from '../testing/scratch-dir';
import { MarketBook } from '../market/market-book';
import type { PriceTicks, Qty } from '../../shared/units';
import type { TradingEvent } from '../../shared/trading';
import { TradingDesk } from './desk';
import { RiskLimitsSchema, type RiskLimits } from './limits';

/** BTC-USD, tick 0.01, lot 0.001: bids 99.99, 99.98, … and asks 100.01, 100.02, … (ticks 9999…, 10001…), 1.000 each. */
export function testBook(levels = 20, lotsPerLevel = 1000): MarketBook {
  const mb = new MarketBook('paper-test', { symbol: 'BTC-USD', tickSize: '0.01', lotSize: '0.001' });
  mb.begin(0, true);
  for (let i = 0; i < levels; i++) {
    mb.level(0, (9999 - i) as PriceTicks, lotsPerLevel as Qty, 0);
    mb.level(1, (10001 + i) as PriceTicks, lotsPerLevel as Qty, 0);
  }
  mb.end(1, true, 0);
  return mb;
}

export function setLevel(mb: MarketBook, side: 0 | 1, price: number, lots: number): void {
  mb.begin(mb.version, false);
  mb.level(side, price as PriceTicks, lots as Qty, 0);
  mb.end(mb.version + 1, false, 0);
}

export function testDesk(opts: { limits?: Partial<RiskLimits>; book?: MarketBook; journalDir?: string; now?: () => number } = {}) {
  const book = opts.book ?? testBook();
  const dir = opts.journalDir ?? scratchDir('pulse-desk-');
  const events: TradingEvent[] = [];
  const desk = new TradingDesk({
    journalPath: join(dir, 'journal.ndjson'),
    limits: RiskLimitsSchema.parse({ symbols: {}, ...opts.limits }),
    fees: { takerFeeBps: 10, makerFeeBps: 2 },
    findBook: (venue, symbol) => (venue === book.venue && symbol === book.symbol ? book : undefined),
    broadcast: (e) => events.push(e),
    now: opts.now,
  });
  desk.start();
  return { desk, book, dir, events };
}

let n = 0;
export const oid = (prefix = 'ord') => `${prefix}-${process.pid}-${++n}`;
