/**
 * A rig for the live adapter's tests: a fresh P-256 CDP key registered at the mock venue, and the
 * shared live rig (src/main/trading/live/testing): the adapter on a context that records every
 * report and log call, orders that take reports the way the desk does.
 */
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { precisionOf } from '../../../../../shared/instruments';
import type { OrderRequestInput } from '../../../../../shared/trading';
import type { ResilienceSettings } from '../../../../collectors/connection';
import type { Order } from '../../../../trading/order';
import { pendingOrderOf } from '../../../../trading/live/testing/recorder';
import { liveRig, type LiveRig } from '../../../../trading/live/testing/rig';
import { CoinbaseExecution, type CoinbaseExecutionOptions } from '../execution';
import { CoinbaseExecMock } from './mock-exec-server';

export { applyLikeDesk, type LogCall } from '../../../../trading/live/testing/recorder';
export { kinds, sleep, waitFor } from '../../../../trading/live/testing/wait';

/** BTC-USD as Coinbase lists it: price_increment 0.01, base_increment 0.00000001. */
export const BTC_USD = { symbol: 'BTC-USD', tickSize: '0.01', lotSize: '0.00000001' };
export const PRECISION = precisionOf(BTC_USD);

export const FAST_RESILIENCE: ResilienceSettings = {
  heartbeatTimeoutMs: 1_500, backoffInitialMs: 20, backoffMaxMs: 200, breakerFailures: 5, breakerHalfOpenMs: 500, maxMessageBytes: 1 << 20, pingIntervalMs: 0,
};

export const FAST_OPTIONS: Partial<CoinbaseExecutionOptions> = {
  timeoutMs: 400, lookupDelayMs: 50, pollIntervalMs: 150, safetyPollMs: 60_000, settleRetryMs: 50,
};

export interface TestKey {
  name: string;
  /** SEC1 PEM ("-----BEGIN EC PRIVATE KEY-----"), the form the CDP portal hands out */
  pem: string;
  publicKey: KeyObject;
}

export function testKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { name: `organizations/${randomUUID()}/apiKeys/${randomUUID()}`, pem: privateKey.export({ type: 'sec1', format: 'pem' }).toString(), publicKey };
}

let seq = 0;
export const cid = (prefix = 'cb') => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++seq}`;

/** An order as the desk hands it to a venue: validated onto the grid, journaled, pending. */
export function pendingOrder(input: Partial<OrderRequestInput> = {}): Order {
  return pendingOrderOf({ clientOrderId: cid(), venue: 'coinbase', symbol: 'BTC-USD', side: 'buy', type: 'limit', qty: '0.001', price: '64000.00', ...input }, () => PRECISION);
}

export interface Rig extends LiveRig<CoinbaseExecution, Partial<CoinbaseExecutionOptions>> {
  mock: CoinbaseExecMock;
  key: TestKey;
}

export async function startRig(
  opts: { options?: Partial<CoinbaseExecutionOptions>; mock?: CoinbaseExecMock; register?: boolean; resilience?: Partial<ResilienceSettings> } = {},
): Promise<Rig> {
  const mock = opts.mock ?? (await CoinbaseExecMock.start({ heartbeatMs: 100 }));
  const key = testKey();
  if (opts.register !== false) mock.registerKey(key.name, key.publicKey);
  const rig = liveRig<CoinbaseExecution, Partial<CoinbaseExecutionOptions>>({
    venue: 'coinbase',
    settings: { restUrl: mock.restUrl, wsUrl: mock.wsUrl, symbols: ['BTC-USD'], resilience: { ...FAST_RESILIENCE, ...opts.resilience } },
    credentials: { keyName: key.name, privateKey: key.pem },
    precision: (symbol) => (symbol === 'BTC-USD' ? PRECISION : undefined),
    make: (ctx, options) => new CoinbaseExecution(ctx, { ...FAST_OPTIONS, ...opts.options, ...options }),
    order: pendingOrder,
    liveLog: /user stream live/,
    stream: 'the user stream',
    close: async () => {
      if (!opts.mock) await mock.close();
    },
  });
  return Object.assign(rig, { mock, key });
}
