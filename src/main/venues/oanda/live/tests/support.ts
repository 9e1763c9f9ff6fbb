/**
 * A rig for the OANDA live adapter's tests: the adapter on a context that records every report
 * and log call, against the mock venue, with orders that take reports the way the desk does (so
 * an impossible sequence, e.g. a fill after a cancel, is caught as a violation).
 */
import { parsePrice, parseQty, precisionOf, type Precision } from '../../../../../shared/instruments';
import { OrderRequestSchema, type OrderRequestInput } from '../../../../../shared/trading';
import type { ResilienceSettings } from '../../../../collectors/connection';
import type { ExecutionReport } from '../../../../trading/execution';
import type { LiveAdapterContext } from '../../../../trading/live';
import { Order } from '../../../../trading/order';
import { OandaExecution, type OandaExecutionOptions } from '../execution';
import { OandaExecMock } from './mock-exec-server';

/** As the account's instruments list them (test_data/instruments.json): displayPrecision 5 / 3, tradeUnitsPrecision 0. */
export const PRECISIONS: Record<string, Precision> = {
  'EUR-USD': precisionOf({ tickSize: '0.00001', lotSize: '1' }),
  'USD-JPY': precisionOf({ tickSize: '0.001', lotSize: '1' }),
};

export const FAST_RESILIENCE: ResilienceSettings = {
  heartbeatTimeoutMs: 1_500, backoffInitialMs: 20, backoffMaxMs: 200, breakerFailures: 5, breakerHalfOpenMs: 500, maxMessageBytes: 1 << 20, pingIntervalMs: 0,
};

export const FAST_OPTIONS: Partial<OandaExecutionOptions> = {
  timeoutMs: 400, lookupDelayMs: 50, pollIntervalMs: 150, safetyPollMs: 60_000,
};

export interface LogCall {
  level: string;
  msg: string;
  fields?: Record<string, unknown>;
}

let seq = 0;
export const cid = (prefix = 'oa') => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++seq}`;

/** An order as the desk hands it to a venue: validated onto the grid, journaled, pending. */
export function pendingOrder(input: Partial<OrderRequestInput> = {}): Order {
  const req = OrderRequestSchema.parse({
    clientOrderId: cid(), venue: 'oanda', symbol: 'EUR-USD', side: 'buy', type: 'limit', qty: '1000', price: '1.10000', ...input,
  });
  const p = PRECISIONS[req.symbol]!;
  const o = new Order(req, p, parseQty(req.qty, p), req.price === undefined ? null : parsePrice(req.price, p), req.stopPrice === undefined ? null : parsePrice(req.stopPrice, p), Date.now());
  o.transition('pending', Date.now());
  return o;
}

/** What the desk does with a report (desk.ts applyReport), minus journal and positions. */
export function applyLikeDesk(o: Order, r: ExecutionReport): void {
  switch (r.type) {
    case 'ack':
      o.venueOrderId = r.venueOrderId;
      if (o.state === 'pending') o.transition('working', r.at);
      break;
    case 'fill':
      if (o.state === 'pending') o.transition('working', r.at);
      o.fill(r.priceTicks, r.lots, r.at);
      break;
    default:
      if (o.isOpen) o.transition(r.type, r.at, r.reason);
  }
}

export interface Rig {
  mock: OandaExecMock;
  venue: OandaExecution;
  ctx: LiveAdapterContext;
  reports: ExecutionReport[];
  logs: LogCall[];
  /** reports the desk could not apply (an illegal transition), or for an unknown order: must stay empty */
  violations: string[];
  orders: Map<string, Order>;
  submit(input?: Partial<OrderRequestInput>): Order;
  reportsOf(clientOrderId: string): ExecutionReport[];
  /** resolves once the adapter's transaction stream has been live `n` times in all */
  live(n?: number): Promise<void>;
  /** a new adapter on the same mock, as after a restart: journaled orders are kept */
  restart(options?: Partial<OandaExecutionOptions>): OandaExecution;
  close(): Promise<void>;
}

export interface RigOptions {
  options?: Partial<OandaExecutionOptions>;
  mock?: OandaExecMock;
  /** credentials as the store would hold them; default: the mock's token and account */
  credentials?: Record<string, string>;
  settings?: Record<string, unknown>;
}

export async function startRig(opts: RigOptions = {}): Promise<Rig> {
  const mock = opts.mock ?? (await OandaExecMock.start());
  const reports: ExecutionReport[] = [];
  const logs: LogCall[] = [];
  const violations: string[] = [];
  const orders = new Map<string, Order>();
  const ctx: LiveAdapterContext = {
    venue: 'oanda',
    settings: { restUrl: mock.url, streamUrl: mock.url, symbols: ['EUR-USD', 'USD-JPY'], resilience: FAST_RESILIENCE, ...opts.settings },
    credentials: opts.credentials ?? { token: mock.token, accountId: mock.accountId },
    report: (r) => {
      reports.push(r);
      const o = orders.get(r.clientOrderId);
      if (!o) return void violations.push(`report for unknown order ${r.clientOrderId}`);
      try {
        applyLikeDesk(o, r);
      } catch (err) {
        violations.push((err as Error).message);
      }
    },
    log: (level, msg, fields) => void logs.push({ level, msg, fields }),
    now: Date.now,
    precision: (symbol) => PRECISIONS[symbol],
  };
  const venues: OandaExecution[] = [];
  const make = (options?: Partial<OandaExecutionOptions>) => {
    const v = new OandaExecution(ctx, { ...FAST_OPTIONS, ...opts.options, ...options });
    venues.push(v);
    return v;
  };
  const rig: Rig = {
    mock, ctx, reports, logs, violations, orders,
    venue: make(),
    submit(input) {
      const o = pendingOrder(input);
      orders.set(o.id, o);
      rig.venue.submit(o);
      return o;
    },
    reportsOf: (id) => reports.filter((r) => r.clientOrderId === id),
    live: (n = 1) => waitFor(() => logs.filter((l) => /transaction stream live/.test(l.msg)).length >= n, 'the transaction stream to be live'),
    restart(options) {
      rig.venue.stop();
      rig.venue = make(options);
      return rig.venue;
    },
    async close() {
      for (const v of venues) v.stop();
      if (!opts.mock) await mock.close();
    },
  };
  return rig;
}

export async function waitFor(cond: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The types of the reports, in order: ['ack', 'fill', …]. */
export const kinds = (rs: ExecutionReport[]) => rs.map((r) => r.type);

/** Everything the adapter said, as one string (logs with their fields, and report reasons). */
export const everything = (rig: Rig) => JSON.stringify(rig.logs) + JSON.stringify(rig.reports);
