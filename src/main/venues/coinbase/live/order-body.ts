// Coinbase Advanced Trade Create Order, order_configuration:
//   https://docs.cdp.coinbase.com/api-reference/advanced-trade-api/rest-api/orders/create-order
/**
 * A Pulse order as the body of POST /api/v3/brokerage/orders. Sizes and prices go as decimal
 * strings on the product's grid (the order was validated onto it). One configuration per
 * type × time in force:
 *   limit GTC → limit_limit_gtc {base_size, limit_price, post_only}
 *   limit IOC → sor_limit_ioc {base_size, limit_price}
 *   limit FOK → limit_limit_fok {base_size, limit_price}
 *   market    → market_market_ioc {base_size} (a market order never rests; GTC means IOC here)
 *   stop-limit GTC → stop_limit_stop_limit_gtc {base_size, limit_price, stop_price, stop_direction}
 * Coinbase spot has no reduce-only flag; pre-trade risk has already checked it.
 */
import { formatPrice, formatQty } from '../../../../shared/instruments';
import type { PriceTicks, Qty } from '../../../../shared/units';
import type { Order } from '../../../trading/order';

export type OrderBody = {
  client_order_id: string;
  product_id: string;
  side: 'BUY' | 'SELL';
  order_configuration: Record<string, Record<string, string | boolean>>;
};

export type BodyResult = { ok: true; body: OrderBody } | { ok: false; reason: string };

export function orderBody(o: Order): BodyResult {
  const r = o.req;
  const p = o.precision;
  const base_size = formatQty(o.lots as Qty, p);
  const price = o.priceTicks === null ? null : formatPrice(o.priceTicks as PriceTicks, p);
  const body = (config: string, fields: Record<string, string | boolean>): BodyResult => ({
    ok: true,
    body: { client_order_id: r.clientOrderId, product_id: r.symbol, side: r.side === 'buy' ? 'BUY' : 'SELL', order_configuration: { [config]: fields } },
  });
  switch (r.type) {
    case 'market':
      if (r.tif === 'FOK') return { ok: false, reason: 'coinbase has no fill-or-kill market order; send a limit FOK' };
      return body('market_market_ioc', { base_size });
    case 'limit':
      if (price === null) return { ok: false, reason: 'a limit order needs a price' };
      if (r.tif === 'IOC') return body('sor_limit_ioc', { base_size, limit_price: price });
      if (r.tif === 'FOK') return body('limit_limit_fok', { base_size, limit_price: price });
      return body('limit_limit_gtc', { base_size, limit_price: price, post_only: r.postOnly });
    case 'stop-limit': {
      if (price === null || o.stopTicks === null) return { ok: false, reason: 'a stop-limit order needs a price and a stop price' };
      if (r.tif !== 'GTC') return { ok: false, reason: `coinbase stop-limit orders are GTC (or GTD), not ${r.tif}` };
      // A buy stop triggers as the price rises to it, a sell stop as it falls to it.
      const stop_direction = r.side === 'buy' ? 'STOP_DIRECTION_STOP_UP' : 'STOP_DIRECTION_STOP_DOWN';
      return body('stop_limit_stop_limit_gtc', { base_size, limit_price: price, stop_price: formatPrice(o.stopTicks as PriceTicks, p), stop_direction });
    }
  }
}
