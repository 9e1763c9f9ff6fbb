/**
 * A rig for the live adapter's tests: a fresh API key pair registered at the mock venue, and the
 * shared live rig (src/main/trading/live/testing): the adapter on a context that records every
 * report and log call, orders that take reports the way the desk does.
 */
import { randomBytes } from 'node:crypto';
import { precisionOf } from '../../../../../shared/instruments';
import type { OrderRequestInput } from '../../../../../shared/trading';
import type { ResilienceSettings } from '../../../../collectors/connection';
import type { Order } from '../../../../trading/order';
import { pendingOrderOf } from '../../../../trading/live/testing/recorder';
import { liveRig, type LiveRig } from '../../../../trading/live/testing/rig';
import { KrakenExecution, type KrakenExecutionOptions } from '../execution';
import { venueClientId } from '../order-params';
import { KrakenExecMock } from './mock-exec-server';

export { applyLikeDesk, fromJournal, type LogCall } from '../../../../trading/live/testing/recorder';
export { fillIds, kinds, sleep, waitFor } from '../../../../trading/live/testing/wait';

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

let seq = 0;
/** A short client order id (Kraken takes up to 18 characters of free text as they are). */
export const cid = (prefix = 'kr') => `${prefix}-${randomBytes(3).toString('hex')}-${++seq}`;
/** The order's cl_ord_id at the venue. */
export const cl = (o: Order | string) => venueClientId(typeof o === 'string' ? o : o.id);

/** An order as the desk hands it to a venue: validated onto the grid, journaled, pending. */
export function pendingOrder(input: Partial<OrderRequestInput> = {}): Order {
  return pendingOrderOf({ clientOrderId: cid(), venue: 'kraken', symbol: 'BTC-USD', side: 'buy', type: 'limit', qty: '0.001', price: '64000.0', ...input }, () => PRECISION);
}

export interface Rig extends LiveRig<KrakenExecution, Partial<KrakenExecutionOptions>> {
  mock: KrakenExecMock;
  key: TestKey;
}

export async function startRig(
  opts: { options?: Partial<KrakenExecutionOptions>; mock?: KrakenExecMock; register?: boolean; resilience?: Partial<ResilienceSettings> } = {},
): Promise<Rig> {
  const mock = opts.mock ?? (await KrakenExecMock.start({ heartbeatMs: 100 }));
  const key = testKey();
  if (opts.register !== false) mock.registerKey(key.apiKey, key.secret);
  const rig = liveRig<KrakenExecution, Partial<KrakenExecutionOptions>>({
    venue: 'kraken',
    settings: { restUrl: mock.restUrl, wsUrl: mock.wsUrl, symbols: ['BTC-USD'], resilience: { ...FAST_RESILIENCE, ...opts.resilience } },
    credentials: { apiKey: key.apiKey, secret: key.secret },
    precision: (symbol) => (symbol === 'BTC-USD' ? PRECISION : undefined),
    make: (ctx, options) => new KrakenExecution(ctx, { ...FAST_OPTIONS, ...opts.options, ...options }),
    order: pendingOrder,
    // resolves once the executions stream has had a snapshot (since the last restart)
    liveLog: /executions stream live/,
    stream: 'the executions stream',
    close: async () => {
      if (!opts.mock) await mock.close();
    },
  });
  return Object.assign(rig, { mock, key });
}
