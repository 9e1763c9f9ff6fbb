/**
 * A rig for the OANDA live adapter's tests, against the mock venue, on the shared live rig
 * (src/main/trading/live/testing): the adapter on a context that records every report and log
 * call, orders that take reports the way the desk does.
 */
import { precisionOf, type Precision } from '../../../../../shared/instruments';
import type { OrderRequestInput } from '../../../../../shared/trading';
import type { ResilienceSettings } from '../../../../collectors/connection';
import type { Order } from '../../../../trading/order';
import { pendingOrderOf } from '../../../../trading/live/testing/recorder';
import { liveRig, type LiveRig } from '../../../../trading/live/testing/rig';
import { OandaExecution, type OandaExecutionOptions } from '../execution';
import { OandaExecMock } from './mock-exec-server';

export { applyLikeDesk, type LogCall } from '../../../../trading/live/testing/recorder';
export { kinds, sleep, waitFor } from '../../../../trading/live/testing/wait';

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

let seq = 0;
export const cid = (prefix = 'oa') => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++seq}`;

/** An order as the desk hands it to a venue: validated onto the grid, journaled, pending. */
export function pendingOrder(input: Partial<OrderRequestInput> = {}): Order {
  return pendingOrderOf({ clientOrderId: cid(), venue: 'oanda', symbol: 'EUR-USD', side: 'buy', type: 'limit', qty: '1000', price: '1.10000', ...input }, (s) => PRECISIONS[s]!);
}

export interface Rig extends LiveRig<OandaExecution, Partial<OandaExecutionOptions>> {
  mock: OandaExecMock;
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
  const rig = liveRig<OandaExecution, Partial<OandaExecutionOptions>>({
    venue: 'oanda',
    settings: { restUrl: mock.url, streamUrl: mock.url, symbols: ['EUR-USD', 'USD-JPY'], resilience: FAST_RESILIENCE, ...opts.settings },
    credentials: opts.credentials ?? { token: mock.token, accountId: mock.accountId },
    precision: (symbol) => PRECISIONS[symbol],
    make: (ctx, options) => new OandaExecution(ctx, { ...FAST_OPTIONS, ...opts.options, ...options }),
    order: pendingOrder,
    liveLog: /transaction stream live/,
    stream: 'the transaction stream',
    close: async () => {
      if (!opts.mock) await mock.close();
    },
  });
  return Object.assign(rig, { mock });
}

/** Everything the adapter said, as one string (logs with their fields, and report reasons). */
export const everything = (rig: Rig) => JSON.stringify(rig.logs) + JSON.stringify(rig.reports);
