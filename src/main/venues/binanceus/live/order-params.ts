// New order (TRADE): https://github.com/binance-us/binance-us-api-docs/blob/master/rest-api.md#new-order--trade
/**
 * A Pulse order as POST /api/v3/order parameters.
 *
 * - limit → LIMIT with timeInForce (GTC, IOC, FOK); post-only → LIMIT_MAKER, which takes no
 *   timeInForce and which the venue rejects (-2010 "Order would immediately match and take.")
 *   rather than let it cross.
 * - market → MARKET by base quantity, no timeInForce (Binance refuses one: -1106); a market order
 *   fills what it can and the rest expires, i.e. it is IOC. FOK has no MARKET form: refused here.
 * - stop-limit → STOP_LOSS_LIMIT or TAKE_PROFIT_LIMIT (see `stopType`), with timeInForce, price and
 *   stopPrice.
 * - reduce-only: spot has no such flag; the desk's risk check is what enforces it.
 * Every order carries our client order id (`newClientOrderId`) and asks for the FULL answer (fills
 * included; stop and maker types would otherwise default to ACK).
 */
import { formatPrice, formatQty } from '../../../../shared/instruments';
import type { PriceTicks, Qty } from '../../../../shared/units';
import type { Order } from '../../../trading/order';
import type { Params } from './sign';

export type StopType = 'STOP_LOSS_LIMIT' | 'TAKE_PROFIT_LIMIT';

/**
 * Binance names a trigger order by the side of the market its stop lies on, and refuses one whose
 * stop is on the other side ("Order would trigger immediately."). From the docs' "Trigger order
 * price rules against market price": stop above the market → STOP_LOSS for a BUY, TAKE_PROFIT for
 * a SELL; stop below → STOP_LOSS for a SELL, TAKE_PROFIT for a BUY. Both trigger when the last
 * price reaches the stop. A Pulse stop-limit means "when the market trades at the stop, work this
 * limit", so the type follows from where the stop is against the last price: a buy stop above it
 * (the classic stop) is STOP_LOSS_LIMIT, a buy stop below it TAKE_PROFIT_LIMIT, and the reverse
 * for sells. A stop exactly at the last price is sent as STOP_LOSS_LIMIT: it would trigger at
 * once, and the venue's answer says so.
 */
export function stopType(side: 'buy' | 'sell', stopTicks: number, lastTicks: number): StopType {
  if (side === 'buy') return stopTicks >= lastTicks ? 'STOP_LOSS_LIMIT' : 'TAKE_PROFIT_LIMIT';
  return stopTicks <= lastTicks ? 'STOP_LOSS_LIMIT' : 'TAKE_PROFIT_LIMIT';
}

export type Built = { ok: true; params: Params } | { ok: false; reason: string };

export function orderParams(order: Order, venueSymbol: string, stop?: StopType): Built {
  const r = order.req;
  const p = order.precision;
  const price = () => formatPrice(order.priceTicks! as PriceTicks, p);
  const head: Array<[string, string]> = [
    ['symbol', venueSymbol],
    ['side', r.side === 'buy' ? 'BUY' : 'SELL'],
  ];
  const qty: [string, string] = ['quantity', formatQty(order.lots as Qty, p)];
  let body: Array<[string, string]>;
  switch (r.type) {
    case 'market':
      if (r.tif === 'FOK') return { ok: false, reason: 'Binance.US market orders cannot be fill-or-kill (they fill what they can and the rest expires); send a FOK limit order' };
      body = [['type', 'MARKET'], qty];
      break;
    case 'limit':
      if (order.priceTicks === null) return { ok: false, reason: 'a limit order needs a price' };
      body = r.postOnly ? [['type', 'LIMIT_MAKER'], qty, ['price', price()]] : [['type', 'LIMIT'], ['timeInForce', r.tif], qty, ['price', price()]];
      break;
    case 'stop-limit':
      if (order.priceTicks === null || order.stopTicks === null) return { ok: false, reason: 'a stop-limit order needs a price and a stop price' };
      if (r.postOnly) return { ok: false, reason: 'Binance.US has no post-only stop-limit order' };
      if (!stop) return { ok: false, reason: 'no stop order type chosen (the last price is needed)' };
      body = [['type', stop], ['timeInForce', r.tif], qty, ['price', price()], ['stopPrice', formatPrice(order.stopTicks as PriceTicks, p)]];
      break;
  }
  return { ok: true, params: [...head, ...body, ['newClientOrderId', r.clientOrderId], ['newOrderRespType', 'FULL']] };
}
