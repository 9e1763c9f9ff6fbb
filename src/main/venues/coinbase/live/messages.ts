// Coinbase Advanced Trade orders API: https://docs.cdp.coinbase.com/api-reference/advanced-trade-api/rest-api/orders/create-order
// user channel: https://docs.cdp.coinbase.com/api-reference/advanced-trade-api/websocket/user
/**
 * The shapes of the venue's private answers, as far as execution reads them. Parsing is lenient
 * about what it does not use (the venue adds fields) and strict about what it does.
 */
import { z } from 'zod';

const str = z.string();
/** numbers the venue sends as decimal strings; an empty string where nothing applies */
const dec = z.string().default('0');

export const CreateOrderResponse = z.object({
  success: z.boolean(),
  success_response: z.object({ order_id: str, client_order_id: str.optional(), product_id: str.optional() }).optional(),
  error_response: z
    .object({
      error: str.optional(),
      message: str.optional(),
      error_details: str.optional(),
      preview_failure_reason: str.optional(),
      new_order_failure_reason: str.optional(),
    })
    .optional(),
  failure_reason: str.optional(),
});
export type CreateOrderResponse = z.infer<typeof CreateOrderResponse>;

/** Order statuses (`status`): PENDING, OPEN, FILLED, CANCELLED, EXPIRED, FAILED, UNKNOWN_ORDER_STATUS, QUEUED, CANCEL_QUEUED, EDIT_QUEUED. */
export const TERMINAL_STATUSES = new Set(['FILLED', 'CANCELLED', 'EXPIRED', 'FAILED']);

export const VenueOrder = z.object({
  order_id: str,
  client_order_id: str.default(''),
  product_id: str,
  side: str,
  status: str,
  filled_size: dec,
  average_filled_price: dec,
  created_time: str.optional(),
  reject_reason: str.optional(),
  reject_message: str.optional(),
  cancel_message: str.optional(),
});
export type VenueOrder = z.infer<typeof VenueOrder>;

export const GetOrderResponse = z.object({ order: VenueOrder });
export const ListOrdersResponse = z.object({ orders: z.array(VenueOrder), has_next: z.boolean().default(false), cursor: str.default('') });

export const VenueFill = z.object({
  entry_id: str.optional(),
  trade_id: str,
  order_id: str,
  trade_time: str,
  price: str,
  size: str,
  commission: dec,
  liquidity_indicator: str.default('UNKNOWN_LIQUIDITY_INDICATOR'),
  size_in_quote: z.boolean().default(false),
});
export type VenueFill = z.infer<typeof VenueFill>;

export const ListFillsResponse = z.object({ fills: z.array(VenueFill), cursor: str.default('') });

export const CancelOrdersResponse = z.object({
  results: z.array(z.object({ success: z.boolean(), failure_reason: str.default(''), order_id: str })),
});

/** One order as the user channel reports it (cumulative, not per fill). */
export const WsOrder = z.object({
  order_id: str,
  client_order_id: str.default(''),
  status: str,
  cumulative_quantity: dec,
  leaves_quantity: dec.optional(),
  avg_price: dec.optional(),
  product_id: str.optional(),
  cancel_reason: str.optional(),
  reject_reason: str.optional(),
});
export type WsOrder = z.infer<typeof WsOrder>;

export const WsMessage = z.object({
  channel: str.optional(),
  type: str.optional(),
  message: str.optional(),
  sequence_num: z.number().optional(),
  events: z.array(z.object({ type: str.optional(), orders: z.array(WsOrder).optional() }).passthrough()).optional(),
});

/** "INSUFFICIENT_FUND: Insufficient balance in source account" from a failed create. */
export function createFailureReason(r: CreateOrderResponse): string {
  const e = r.error_response;
  const code = e?.error || e?.new_order_failure_reason || e?.preview_failure_reason || r.failure_reason || 'UNKNOWN_FAILURE_REASON';
  const text = e?.message || e?.error_details || '';
  return (text ? `${code}: ${text}` : code).slice(0, 200);
}
