// Kraken Add Order: https://docs.kraken.com/api/docs/rest-api/add-order
// Client order ids: https://docs.kraken.com/api/docs/guides/spot-clordid
/**
 * A Pulse order as the parameters of POST /0/private/AddOrder. Sizes and prices go as decimals on
 * the pair's grid (the order was validated onto it; the Kraken instruments use pair_decimals and
 * lot_decimals, see ../symbols.ts).
 *   limit        → ordertype=limit, price; timeinforce GTC | IOC; oflags=post when post-only
 *   market       → ordertype=market (it never rests: GTC and IOC both mean "now")
 *   stop-limit   → ordertype=stop-loss-limit, price = trigger price, price2 = limit price; a buy
 *                  triggers as the market rises to the stop, a sell as it falls (Kraken's
 *                  "unfavourable direction"), which is Pulse's stop
 * Kraken spot has no fill-or-kill: FOK is refused here, before anything is sent. Fees are asked
 * in the quote currency (oflags fciq) so that every fill's fee is in the quote. `reduce_only` is
 * not sent: on Kraken it applies to margin positions, and a spot account has none, so Kraken
 * would refuse every reduce-only order (a flatten); pre-trade risk has already checked it.
 */
import { createHash } from 'node:crypto';
import { formatPrice, formatQty } from '../../../../shared/instruments';
import type { PriceTicks, Qty } from '../../../../shared/units';
import type { Order } from '../../../trading/order';

export type AddOrderParams = Record<string, string>;
export type ParamsResult = { ok: true; params: AddOrderParams } | { ok: false; reason: string };

const LONG_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHORT_UUID = /^[0-9a-f]{32}$/i;
/** Kraken's free-text client order id: up to 18 characters */
const FREE_TEXT_MAX = 18;

/**
 * Our client order id as Kraken's `cl_ord_id`: itself when Kraken takes it as it is (a UUID, or
 * free text of at most 18 characters), otherwise a UUID (version 4 layout) derived from it by
 * SHA-256. Deterministic, so that after a restart the same id is looked up.
 */
export function venueClientId(clientOrderId: string): string {
  if (clientOrderId.length <= FREE_TEXT_MAX || LONG_UUID.test(clientOrderId) || SHORT_UUID.test(clientOrderId)) return clientOrderId;
  const h = createHash('sha256').update(`pulse:${clientOrderId}`, 'utf8').digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** AddOrder parameters for the order on Kraken's pair `pair` (its altname, e.g. XBTUSD). */
export function addOrderParams(o: Order, pair: string): ParamsResult {
  const r = o.req;
  const p = o.precision;
  if (r.tif === 'FOK') return { ok: false, reason: 'kraken has no fill-or-kill orders (GTC or IOC only); nothing sent' };
  const base: AddOrderParams = { ordertype: '', type: r.side, volume: formatQty(o.lots as Qty, p), pair, cl_ord_id: venueClientId(r.clientOrderId) };
  const price = o.priceTicks === null ? null : formatPrice(o.priceTicks as PriceTicks, p);
  switch (r.type) {
    case 'market':
      return { ok: true, params: { ...base, ordertype: 'market', oflags: 'fciq' } };
    case 'limit':
      if (price === null) return { ok: false, reason: 'a limit order needs a price' };
      return { ok: true, params: { ...base, ordertype: 'limit', price, timeinforce: r.tif, oflags: r.postOnly ? 'post,fciq' : 'fciq' } };
    case 'stop-limit':
      if (price === null || o.stopTicks === null) return { ok: false, reason: 'a stop-limit order needs a price and a stop price' };
      if (r.postOnly) return { ok: false, reason: 'kraken takes no post-only flag on stop-loss-limit orders; nothing sent' };
      return {
        ok: true,
        params: { ...base, ordertype: 'stop-loss-limit', price: formatPrice(o.stopTicks as PriceTicks, p), price2: price, timeinforce: r.tif, oflags: 'fciq' },
      };
  }
}
