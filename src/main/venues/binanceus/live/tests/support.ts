/**
 * A rig for the live adapter's tests: an account (API key + secret) at the mock venue, the adapter
 * on a context that records every report and log call, and orders that take reports the way the
 * desk does (so an impossible sequence, e.g. a fill after a cancel, is caught here too).
 */
import { parsePrice, parseQty, precisionOf } from '../../../../../shared/instruments';
import { OrderRequestSchema, type OrderRequestInput } from '../../../../../shared/trading';
import type { ResilienceSettings } from '../../../../collectors/connection';
import type { ExecutionReport } from '../../../../trading/execution';
import type { LiveAdapterContext } from '../../../../trading/live';
import { Order } from '../../../../trading/order';
import { BinanceUsExecution, type BinanceUsExecutionOptions } from '../execution';
import { BinanceUsExecMock } from './mock-exec-server';

/** BTC-USD as the mock lists it (BTCUSD: tickSize 0.01, stepSize 0.00001). */
export const BTC_USD = { symbol: 'BTC-USD', tickSize: '0.01', lotSize: '0.00001' };
export const PRECISION = precisionOf(BTC_USD);

export const FAST_RESILIENCE: ResilienceSettings = {
  heartbeatTimeoutMs: 1_500, backoffInitialMs: 20, backoffMaxMs: 200, breakerFailures: 5, breakerHalfOpenMs: 500, maxMessageBytes: 1 << 20, pingIntervalMs: 300,
};

export const FAST_OPTIONS: Partial<BinanceUsExecutionOptions> = {
  timeoutMs: 400, recvWindowMs: 300, lookupDelayMs: 50, pollIntervalMs: 150, safetyPollMs: 60_000, settleRetryMs: 50,
};

export interface LogCall {
  level: string;
  msg: string;
  fields?: Record<string, unknown>;
}

let seq = 0;
export const cid = (prefix = 'bu') => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++seq}`;

/** An order as the desk hands it to a venue: validated onto the grid, journaled, pending. */
export function pendingOrder(input: Partial<OrderRequestInput> = {}): Order {
  const req = OrderRequestSchema.parse({
    clientOrderId: cid(), venue: 'binanceus', symbol: 'BTC-USD', side: 'buy', type: 'limit', qty: '0.003', price: '66000.00', ...input,
  });
  const o = new Order(req, PRECISION, parseQty(req.qty, PRECISION), req.price === undefined ? null : parsePrice(req.price, PRECISION), req.stopPrice === undefined ? null : parsePrice(req.stopPrice, PRECISION), Date.now());
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
  mock: BinanceUsExecMock;
  apiKey: string;
  secret: string;
  venue: BinanceUsExecution;
  ctx: LiveAdapterContext;
  reports: ExecutionReport[];
  logs: LogCall[];
  /** reports the desk could not apply (an illegal transition or a report for an order it does not know): must stay empty */
  violations: string[];
  orders: Map<string, Order>;
  submit(input?: Partial<OrderRequestInput>): Order;
  reportsOf(clientOrderId: string): ExecutionReport[];
  /** resolves once the adapter's user stream is live (again) */
  live(): Promise<void>;
  /** a new adapter on the same mock and account, as after a restart */
  restart(options?: Partial<BinanceUsExecutionOptions>): BinanceUsExecution;
  close(): Promise<void>;
}

export async function startRig(
  opts: { options?: Partial<BinanceUsExecutionOptions>; mock?: BinanceUsExecMock; credentials?: { apiKey: string; secret: string }; resilience?: Partial<ResilienceSettings> } = {},
): Promise<Rig> {
  const mock = opts.mock ?? (await BinanceUsExecMock.start());
  const { apiKey, secret } = opts.credentials ?? mock.newAccount();
  const reports: ExecutionReport[] = [];
  const logs: LogCall[] = [];
  const violations: string[] = [];
  const orders = new Map<string, Order>();
  const ctx: LiveAdapterContext = {
    venue: 'binanceus',
    settings: { restUrl: mock.restUrl, wsUrl: mock.wsUrl, symbols: ['BTC-USD'], resilience: { ...FAST_RESILIENCE, ...opts.resilience } },
    credentials: { apiKey, secret },
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
    precision: (symbol) => (symbol === 'BTC-USD' ? PRECISION : undefined),
  };
  const venues: BinanceUsExecution[] = [];
  const make = (options?: Partial<BinanceUsExecutionOptions>) => {
    const v = new BinanceUsExecution(ctx, { ...FAST_OPTIONS, ...opts.options, ...options });
    venues.push(v);
    return v;
  };
  const lives = () => logs.filter((l) => /user stream live/.test(l.msg)).length;
  let liveBefore = 0;
  const rig: Rig = {
    mock, apiKey, secret, ctx, reports, logs, violations, orders,
    venue: make(),
    submit(input) {
      const o = pendingOrder(input);
      orders.set(o.id, o);
      rig.venue.submit(o);
      return o;
    },
    reportsOf: (id) => reports.filter((r) => r.clientOrderId === id),
    live: () => waitFor(() => lives() > liveBefore, 'the user stream to be live'),
    restart(options) {
      liveBefore = lives();
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
