// OANDA v20 order requests: https://developer.oanda.com/rest-live-v20/order-df/ (LimitOrderRequest,
// MarketOrderRequest, StopOrderRequest), POST /v3/accounts/{accountID}/orders: https://developer.oanda.com/rest-live-v20/order-ep/
/**
 * An Order as OANDA's `{"order": …}` body, or why it cannot be sent.
 *
 * - units: integer units on the instrument's grid (tradeUnitsPrecision), negative to sell; buys
 *   are unsigned, as in OANDA's own examples ("units": "100").
 * - limit → LIMIT at `price`, with our time in force (GTC, IOC or FOK).
 * - market → MARKET; OANDA restricts market orders to FOK or IOC, so GTC is sent as FOK (OANDA's
 *   default for market orders).
 * - stop-limit → STOP with `price` = our stop (the trigger: "filled by a market price that is
 *   equal to or worse than this price") and `priceBound` = our limit ("The worst market price
 *   that may be used to fill this Stop Order"). Unlike an exchange stop-limit it does not rest
 *   as a limit order when the market gaps through both: OANDA cancels it instead.
 * - reduceOnly → positionFill REDUCE_ONLY, otherwise DEFAULT.
 * - postOnly: OANDA has no post-only (or maker-only) orders, so the order is refused here rather
 *   than sent as something that may take.
 * - the client order id goes in clientExtensions.id, so the order can be found as `@<id>`.
 */
import { formatPrice, formatQty } from '../../../../shared/instruments';
import type { PriceTicks, Qty } from '../../../../shared/units';
import type { Order } from '../../../trading/order';
import { toVenueName } from '../symbols';

export interface OandaOrderRequest {
  type: 'LIMIT' | 'MARKET' | 'STOP';
  instrument: string;
  units: string;
  price?: string;
  priceBound?: string;
  timeInForce: 'GTC' | 'IOC' | 'FOK';
  positionFill: 'DEFAULT' | 'REDUCE_ONLY';
  clientExtensions: { id: string };
}

export type BuiltOrder = { ok: true; body: { order: OandaOrderRequest } } | { ok: false; reason: string };

export function orderBody(o: Order): BuiltOrder {
  const r = o.req;
  const p = o.precision;
  if (r.postOnly) return { ok: false, reason: 'OANDA has no post-only orders; not sent' };
  if (!(o.lots > 0)) return { ok: false, reason: `quantity ${o.lots} lots is not positive; not sent` };
  const magnitude = formatQty(o.lots as Qty, p);
  const base = {
    instrument: toVenueName(r.symbol),
    units: r.side === 'sell' ? `-${magnitude}` : magnitude,
    positionFill: r.reduceOnly ? ('REDUCE_ONLY' as const) : ('DEFAULT' as const),
    clientExtensions: { id: r.clientOrderId },
  };
  const price = (ticks: number | null): string | null => (ticks === null ? null : formatPrice(ticks as PriceTicks, p));
  switch (r.type) {
    case 'limit': {
      const limit = price(o.priceTicks);
      if (limit === null) return { ok: false, reason: 'a limit order needs a price; not sent' };
      return { ok: true, body: { order: { type: 'LIMIT', ...base, price: limit, timeInForce: r.tif } } };
    }
    case 'market':
      return { ok: true, body: { order: { type: 'MARKET', ...base, timeInForce: r.tif === 'IOC' ? 'IOC' : 'FOK' } } };
    case 'stop-limit': {
      const stop = price(o.stopTicks);
      const bound = price(o.priceTicks);
      if (stop === null || bound === null) return { ok: false, reason: 'a stop-limit order needs a stop price and a limit price; not sent' };
      return { ok: true, body: { order: { type: 'STOP', ...base, price: stop, priceBound: bound, timeInForce: r.tif } } };
    }
  }
}
