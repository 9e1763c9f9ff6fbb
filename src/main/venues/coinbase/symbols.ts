// Coinbase Advanced Trade public product: GET /api/v3/brokerage/market/products/{product_id}
// (https://docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/rest-api, as Coinbase's SDK calls it:
// https://github.com/coinbase/coinbase-advanced-py/blob/master/coinbase/rest/public.py)
/**
 * Canonical symbols are Coinbase product ids (`BASE-QUOTE`). The price tick is the product's
 * `price_increment` (the limit-price grid, what book levels sit on), falling back to
 * `quote_increment` where a product has no separate price grid; the lot is `base_increment`.
 *
 * "-USDC" products are served on the market-data channels under their "-USD" twin (the product's
 * `alias`), so messages name the alias: `streamId` is the id the feed matches messages by.
 */
import { z } from 'zod';
import { precisionOf } from '../../../shared/instruments';

export const ProductSchema = z.object({
  product_id: z.string(),
  base_increment: z.string(),
  quote_increment: z.string(),
  price_increment: z.string().optional(),
  alias: z.string().optional(),
  status: z.string().optional(),
  trading_disabled: z.boolean().optional(),
  is_disabled: z.boolean().optional(),
});

export interface CoinbaseInstrument {
  /** canonical, BASE-QUOTE */
  symbol: string;
  /** what the subscribe message names */
  productId: string;
  /** what market-data messages name */
  streamId: string;
  tickSize: string;
  lotSize: string;
  /** a note for the log when the venue says the product does not trade normally */
  warning?: string;
}

const PRODUCT_ID = /^[A-Z0-9]{1,12}-[A-Z0-9]{1,12}$/;
/** more decimals than this cannot be held exactly as integer units in a double */
const MAX_DECIMALS = 15;

/** A positive decimal step without trailing zeros ("0.01000000" → "0.01", "1.000" → "1"); throws on anything else. */
export function trimStep(step: string, what: string): string {
  if (!/^\d+(\.\d+)?$/.test(step)) throw new Error(`${what} "${step}" is not a decimal number`);
  const trimmed = step.includes('.') ? step.replace(/0+$/, '').replace(/\.$/, '') : step;
  const canonical = trimmed.replace(/^0+(?=\d)/, '');
  const { priceDecimals, tickUnits } = precisionOf({ tickSize: canonical, lotSize: '1' });
  if (tickUnits <= 0) throw new Error(`${what} "${step}" is not positive`);
  if (priceDecimals > MAX_DECIMALS) throw new Error(`${what} "${step}" has more than ${MAX_DECIMALS} decimals`);
  return canonical;
}

/** The instrument a product's metadata describes; throws with the reason when it is unusable. */
export function instrumentOf(raw: unknown, requested: string): CoinbaseInstrument {
  const parsed = ProductSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`product ${requested}: metadata not understood: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const p = parsed.data;
  if (p.product_id !== requested) throw new Error(`asked for product ${requested}, the venue answered with ${p.product_id}`);
  if (!PRODUCT_ID.test(p.product_id)) throw new Error(`product id "${p.product_id}" is not BASE-QUOTE`);
  const alias = p.alias && PRODUCT_ID.test(p.alias) ? p.alias : '';
  const disabled = p.trading_disabled || p.is_disabled || (p.status !== undefined && p.status !== 'online');
  return {
    symbol: p.product_id,
    productId: p.product_id,
    streamId: alias || p.product_id,
    tickSize: trimStep(p.price_increment || p.quote_increment, `product ${requested}: price increment`),
    lotSize: trimStep(p.base_increment, `product ${requested}: base_increment`),
    warning: disabled ? `product ${requested} is ${p.status ?? 'disabled'}${p.trading_disabled ? ' (trading disabled)' : ''}` : undefined,
  };
}

/** REST path of one product's public metadata. */
export const productPath = (productId: string) => `api/v3/brokerage/market/products/${encodeURIComponent(productId)}`;
