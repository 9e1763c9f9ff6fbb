/**
 * The live adapters under the real trading desk (risk, journal, positions): desks on one journal,
 * each with a new adapter for the venue, as when the engine stops and starts again.
 */
import { join } from 'node:path';
import { scratchDir } from '../../../testing/scratch-dir';
import type { Instrument } from '../../../../shared/instruments';
import type { PriceTicks, Qty } from '../../../../shared/units';
import { MarketBook } from '../../../market/market-book';
import { TradingDesk } from '../../desk';
import type { ExecutionVenue } from '../../execution';
import { RiskLimitsSchema } from '../../limits';
import type { LiveAdapterContext } from '../../live';

export interface DeskRestartSpec {
  venue: string;
  instrument: Pick<Instrument, 'symbol' | 'tickSize' | 'lotSize'>;
  /** the book: five levels a side from these prices (ticks), `levelLots` each */
  bestBid: number;
  bestAsk: number;
  levelLots: number;
  settings: Record<string, unknown>;
  credentials: LiveAdapterContext['credentials'];
  precision?: LiveAdapterContext['precision'];
  adapter(ctx: LiveAdapterContext): ExecutionVenue;
}

export interface DeskRestart {
  book: MarketBook;
  /** every adapter log line, as "level message" */
  logs: string[];
  /** a new desk on the same journal (started by the caller) */
  desk(): TradingDesk;
}

export function deskRestart(spec: DeskRestartSpec): DeskRestart {
  const dir = scratchDir(`pulse-${spec.venue}-live-`);
  const book = new MarketBook(spec.venue, spec.instrument);
  book.begin(0, true);
  for (let i = 0; i < 5; i++) {
    book.level(0, (spec.bestBid - i) as PriceTicks, spec.levelLots as Qty, 0);
    book.level(1, (spec.bestAsk + i) as PriceTicks, spec.levelLots as Qty, 0);
  }
  book.end(1, true, 0);
  const logs: string[] = [];
  const desk = () =>
    new TradingDesk({
      journalPath: join(dir, 'journal.ndjson'),
      limits: RiskLimitsSchema.parse({}),
      fees: { takerFeeBps: 10, makerFeeBps: 2 },
      findBook: (venue, symbol) => (venue === spec.venue && symbol === spec.instrument.symbol ? book : undefined),
      broadcast: () => {},
      live: (venue, report) => {
        if (venue !== spec.venue) return undefined;
        return spec.adapter({
          venue, report, now: Date.now, precision: spec.precision ?? (() => book.precision),
          settings: spec.settings, credentials: spec.credentials,
          log: (level, msg) => void logs.push(`${level} ${msg}`),
        });
      },
    });
  return { book, logs, desk };
}
