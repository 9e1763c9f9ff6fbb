/**
 * The live adapters under the real trading desk (risk, journal, positions): desks on one journal,
 * each with a new adapter for the venue, as when the engine stops and starts again.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { OrderRequestSchema } from '../../../../shared/trading';
import { scratchDir } from '../../../testing/scratch-dir';
import type { Instrument } from '../../../../shared/instruments';
import type { PriceTicks, Qty } from '../../../../shared/units';
import { MarketBook } from '../../../market/market-book';
import { TradingDesk } from '../../desk';
import type { ExecutionVenue } from '../../execution';
import { RiskLimitsSchema } from '../../limits';
import type { LiveAdapterContext } from '../../live';
import type { Order } from '../../order';
import { waitFor } from './wait';

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

export interface RestartScenarioSpec extends DeskRestartSpec {
  /** the limit buy placed: three times the first fill, priced inside the book */
  order: { clientOrderId: string; qty: string; price: string };
  /** after the ack: checks the acked order, and waits until the venue will report a fill (e.g. its private stream is live) */
  acked?(order: Order, logs: string[]): void | Promise<void>;
  /** at the venue: a third of the order fills while the engine runs… */
  fillFirst(clientOrderId: string): void;
  /** …and the rest while it is down */
  fillWhileDown(clientOrderId: string): void;
  /** what the restarted desk must book, oldest first: [qty, price, liquidity, fee] as shown */
  fills: Array<[string, string, 'maker' | 'taker', string]>;
  /** the position after both fills, as shown */
  position: string;
  /** orders with this client order id at the venue */
  atVenue(clientOrderId: string): number;
}

/**
 * The restart every live venue must survive. Injected: the engine stops after a partial fill, the
 * order fills further at the venue while it is down, the engine starts again on the same journal.
 * What must hold: the desk restores the order to a new adapter, which reports only the fills the
 * journal lacks; fills, fees, position and the order's state then match the venue, a retried
 * command sends nothing, and the venue holds exactly one order with the client order id.
 */
export async function restartScenario(spec: RestartScenarioSpec): Promise<{ logs: string[] }> {
  const { desk, logs } = deskRestart(spec);
  const symbol = spec.instrument.symbol;
  const req = OrderRequestSchema.parse({ venue: spec.venue, symbol, side: 'buy', type: 'limit', ...spec.order });
  const first = desk();
  first.start();
  expect(first.place(req)).toMatchObject({ ok: true, order: { state: 'pending' } });
  const order = () => first.orders.get(req.clientOrderId)!;
  await waitFor(() => order().state === 'working', 'ack');
  await spec.acked?.(order(), logs);
  spec.fillFirst(req.clientOrderId);
  await waitFor(() => order().state === 'partially-filled', 'first fill');
  first.stop(); // injected: the engine goes away

  spec.fillWhileDown(req.clientOrderId);

  const second = desk();
  try {
    second.start(); // replays the journal, restores the order to a new adapter
    const again = () => second.orders.get(req.clientOrderId)!;
    expect(again().state).toBe('partially-filled');
    await waitFor(() => again().state === 'filled', 'the fill made while down');
    expect(second.fills.map((f) => [f.qty, f.price, f.liquidity, f.fee])).toEqual(spec.fills);
    expect(second.positionViews()).toMatchObject([{ venue: spec.venue, symbol, qty: spec.position }]);
    expect(second.place(req)).toMatchObject({ ok: true, order: { state: 'filled' } }); // a retried command sends nothing
    expect(spec.atVenue(req.clientOrderId)).toBe(1);
  } finally {
    second.stop();
  }
  return { logs };
}
