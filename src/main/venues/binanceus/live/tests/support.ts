/**
 * A rig for the live adapter's tests: an account (API key + secret) at the mock venue, and the
 * shared live rig (src/main/trading/live/testing): the adapter on a context that records every
 * report and log call, orders that take reports the way the desk does.
 */
import { precisionOf } from '../../../../../shared/instruments';
import type { OrderRequestInput } from '../../../../../shared/trading';
import type { ResilienceSettings } from '../../../../collectors/connection';
import type { Order } from '../../../../trading/order';
import { pendingOrderOf } from '../../../../trading/live/testing/recorder';
import { liveRig, type LiveRig } from '../../../../trading/live/testing/rig';
import { BinanceUsExecution, type BinanceUsExecutionOptions } from '../execution';
import { BinanceUsExecMock } from './mock-exec-server';

export { applyLikeDesk, type LogCall } from '../../../../trading/live/testing/recorder';
export { kinds, sleep, waitFor } from '../../../../trading/live/testing/wait';

/** BTC-USD as the mock lists it (BTCUSD: tickSize 0.01, stepSize 0.00001). */
export const BTC_USD = { symbol: 'BTC-USD', tickSize: '0.01', lotSize: '0.00001' };
export const PRECISION = precisionOf(BTC_USD);

export const FAST_RESILIENCE: ResilienceSettings = {
  heartbeatTimeoutMs: 1_500, backoffInitialMs: 20, backoffMaxMs: 200, breakerFailures: 5, breakerHalfOpenMs: 500, maxMessageBytes: 1 << 20, pingIntervalMs: 300,
};

export const FAST_OPTIONS: Partial<BinanceUsExecutionOptions> = {
  timeoutMs: 400, recvWindowMs: 300, lookupDelayMs: 50, pollIntervalMs: 150, safetyPollMs: 60_000, settleRetryMs: 50,
};

let seq = 0;
export const cid = (prefix = 'bu') => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++seq}`;

/** An order as the desk hands it to a venue: validated onto the grid, journaled, pending. */
export function pendingOrder(input: Partial<OrderRequestInput> = {}): Order {
  return pendingOrderOf({ clientOrderId: cid(), venue: 'binanceus', symbol: 'BTC-USD', side: 'buy', type: 'limit', qty: '0.003', price: '66000.00', ...input }, () => PRECISION);
}

export interface Rig extends LiveRig<BinanceUsExecution, Partial<BinanceUsExecutionOptions>> {
  mock: BinanceUsExecMock;
  apiKey: string;
  secret: string;
}

export async function startRig(
  opts: { options?: Partial<BinanceUsExecutionOptions>; mock?: BinanceUsExecMock; credentials?: { apiKey: string; secret: string }; resilience?: Partial<ResilienceSettings> } = {},
): Promise<Rig> {
  const mock = opts.mock ?? (await BinanceUsExecMock.start());
  const { apiKey, secret } = opts.credentials ?? mock.newAccount();
  const rig = liveRig<BinanceUsExecution, Partial<BinanceUsExecutionOptions>>({
    venue: 'binanceus',
    settings: { restUrl: mock.restUrl, wsUrl: mock.wsUrl, symbols: ['BTC-USD'], resilience: { ...FAST_RESILIENCE, ...opts.resilience } },
    credentials: { apiKey, secret },
    precision: (symbol) => (symbol === 'BTC-USD' ? PRECISION : undefined),
    make: (ctx, options) => new BinanceUsExecution(ctx, { ...FAST_OPTIONS, ...opts.options, ...options }),
    order: pendingOrder,
    liveLog: /user stream live/,
    stream: 'the user stream',
    close: async () => {
      if (!opts.mock) await mock.close();
    },
  });
  return Object.assign(rig, { mock, apiKey, secret });
}
