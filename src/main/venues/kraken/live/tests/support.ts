/**
 * A rig for the live adapter's tests: a fresh API key pair registered at the mock venue, the
 * adapter on a context that records every report and log call, and orders that take reports the
 * way the desk does (so an impossible sequence, e.g. a fill after a cancel, throws here too).
 */
import { randomBytes } from 'node:crypto';
import { parsePrice, parseQty, precisionOf } from '../../../../../shared/instruments';
import { OrderRequestSchema, type OrderRequestInput } from '../../../../../shared/trading';
import type { ResilienceSettings } from '../../../../collectors/connection';
import type { ExecutionReport } from '../../../../trading/execution';
import type { LiveAdapterContext } from '../../../../trading/live';
import { Order } from '../../../../trading/order';
import { KrakenExecution, type KrakenExecutionOptions } from '../execution';
import { venueClientId } from '../order-params';
import { KrakenExecMock } from './mock-exec-server';

/** BTC-USD as Kraken lists it (XXBTZUSD: pair_decimals 1, lot_decimals 8, tick_size 0.1). */
export const BTC_USD = { symbol: 'BTC-USD', tickSize: '0.1', lotSize: '0.00000001' };
export const PRECISION = precisionOf(BTC_USD);

export const FAST_RESILIENCE: ResilienceSettings = {
  heartbeatTimeoutMs: 1_500, backoffInitialMs: 20, backoffMaxMs: 200, breakerFailures: 5, breakerHalfOpenMs: 500, maxMessageBytes: 1 << 20, pingIntervalMs: 0,
};

export const FAST_OPTIONS: Partial<KrakenExecutionOptions> = {
  timeoutMs: 400, lookupDelayMs: 50, pollIntervalMs: 150, safetyPollMs: 60_000, settleRetryMs: 50, rateLimitPauseMs: 300, lockoutPauseMs: 1_000,
};

export interface TestKey {
  apiKey: string;
  /** base64, as Kraken shows the private key */
  secret: string;
}

export function testKey(): TestKey {
  return { apiKey: randomBytes(42).toString('base64'), secret: randomBytes(64).toString('base64') };
}

export interface LogCall {
  level: string;
  msg: string;
  fields?: Record<string, unknown>;
}

let seq = 0;
/** A short client order id (Kraken takes up to 18 characters of free text as they are). */
export const cid = (prefix = 'kr') => `${prefix}-${randomBytes(3).toString('hex')}-${++seq}`;
/** The order's cl_ord_id at the venue. */
export const cl = (o: Order | string) => venueClientId(typeof o === 'string' ? o : o.id);

/** An order as the desk hands it to a venue: validated onto the grid, journaled, pending. */
export function pendingOrder(input: Partial<OrderRequestInput> = {}): Order {
  const req = OrderRequestSchema.parse({
    clientOrderId: cid(), venue: 'kraken', symbol: 'BTC-USD', side: 'buy', type: 'limit', qty: '0.001', price: '64000.0', ...input,
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

/** The order as the desk rebuilds it from its journal: the request, then every report journaled. */
export function fromJournal(o: Order, journaled: ExecutionReport[]): Order {
  const copy = new Order(o.req, o.precision, o.lots, o.priceTicks, o.stopTicks, o.createdAt);
  copy.transition('pending', o.createdAt);
  for (const r of journaled) applyLikeDesk(copy, r);
  return copy;
}

export interface Rig {
  mock: KrakenExecMock;
  key: TestKey;
  venue: KrakenExecution;
  ctx: LiveAdapterContext;
  reports: ExecutionReport[];
  logs: LogCall[];
  /** reports the desk could not apply (an illegal transition): must stay empty */
  violations: string[];
  orders: Map<string, Order>;
  submit(input?: Partial<OrderRequestInput>): Order;
  reportsOf(clientOrderId: string): ExecutionReport[];
  /** resolves once the adapter's executions stream has had a snapshot (since the last restart) */
  live(): Promise<void>;
  /** a new adapter on the same mock and key, as after a restart */
  restart(options?: Partial<KrakenExecutionOptions>): KrakenExecution;
  close(): Promise<void>;
}

const LIVE = /executions stream live/;

export async function startRig(
  opts: { options?: Partial<KrakenExecutionOptions>; mock?: KrakenExecMock; register?: boolean; resilience?: Partial<ResilienceSettings> } = {},
): Promise<Rig> {
  const mock = opts.mock ?? (await KrakenExecMock.start({ heartbeatMs: 100 }));
  const key = testKey();
  if (opts.register !== false) mock.registerKey(key.apiKey, key.secret);
  const reports: ExecutionReport[] = [];
  const logs: LogCall[] = [];
  const violations: string[] = [];
  const orders = new Map<string, Order>();
  const ctx: LiveAdapterContext = {
    venue: 'kraken',
    settings: { restUrl: mock.restUrl, wsUrl: mock.wsUrl, symbols: ['BTC-USD'], resilience: { ...FAST_RESILIENCE, ...opts.resilience } },
    credentials: { apiKey: key.apiKey, secret: key.secret },
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
  const venues: KrakenExecution[] = [];
  const make = (options?: Partial<KrakenExecutionOptions>) => {
    const v = new KrakenExecution(ctx, { ...FAST_OPTIONS, ...opts.options, ...options });
    venues.push(v);
    return v;
  };
  let liveBefore = 0;
  const rig: Rig = {
    mock, key, ctx, reports, logs, violations, orders,
    venue: make(),
    submit(input) {
      const o = pendingOrder(input);
      orders.set(o.id, o);
      rig.venue.submit(o);
      return o;
    },
    reportsOf: (id) => reports.filter((r) => r.clientOrderId === id),
    live: () => waitFor(() => logs.filter((l) => LIVE.test(l.msg)).length > liveBefore, 'the executions stream to be live'),
    restart(options) {
      liveBefore = logs.filter((l) => LIVE.test(l.msg)).length;
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

export const fillIds = (rs: ExecutionReport[]) => rs.flatMap((r) => (r.type === 'fill' ? [r.fillId] : []));
