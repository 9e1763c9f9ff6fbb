// Kraken Spot REST (private): https://docs.kraken.com/api/docs/rest-api/add-order (and cancel-order,
// get-open-orders, get-closed-orders, get-orders-info, get-trade-history, get-websockets-token);
// WebSocket v2 executions: https://docs.kraken.com/api/docs/websocket-v2/executions
// Errors: https://support.kraken.com/hc/en-us/articles/360001491786-API-error-messages and
// https://docs.kraken.com/api/docs/guides/spot-rest-ratelimits ("EService: Throttled: [UNIX timestamp]")
/**
 * The shapes of Kraken's private answers, as far as execution reads them: lenient about what it
 * does not use (Kraken adds fields), strict about what it does.
 */
import { z } from 'zod';

const str = z.string();
/** REST decimals come as strings; the stream sends JSON numbers */
const dec = z.union([z.string(), z.number()]);

/** REST order status: pending, open, closed (filled), canceled, expired. */
export const OrderInfo = z
  .object({
    status: str,
    opentm: z.number().optional(),
    closetm: z.number().optional(),
    vol: dec,
    vol_exec: dec.default('0'),
    reason: str.nullable().optional(),
    cl_ord_id: str.nullable().optional(),
    trades: z.array(str).optional(),
  })
  .passthrough();
export type OrderInfo = z.infer<typeof OrderInfo>;

export const AddOrderResult = z.object({ txid: z.array(str).min(1), descr: z.object({ order: str.optional() }).passthrough().optional() });
export const CancelOrderResult = z.object({ count: z.number(), pending: z.boolean().optional() });
export const OpenOrdersResult = z.object({ open: z.record(str, OrderInfo) });
export const ClosedOrdersResult = z.object({ closed: z.record(str, OrderInfo), count: z.number().optional() });
export const QueryOrdersResult = z.record(str, OrderInfo);
export const TokenResult = z.object({ token: str.min(1), expires: z.number().optional() });

export const TradeInfo = z
  .object({
    ordertxid: str,
    time: z.number(),
    price: dec,
    vol: dec,
    fee: dec.default('0'),
    maker: z.boolean().optional(),
    /** the pair's trade number: orders trades within one timestamp */
    trade_id: z.number().optional(),
  })
  .passthrough();
export type TradeInfo = z.infer<typeof TradeInfo>;
export const TradesHistoryResult = z.object({ trades: z.record(str, TradeInfo), count: z.number().default(0) });

/** One execution report of the `executions` channel (order event or trade). */
export const ExecReport = z
  .object({
    exec_type: str,
    order_id: str,
    cl_ord_id: str.optional(),
    order_status: str.optional(),
    exec_id: str.optional(),
    trade_id: z.number().optional(),
    last_qty: dec.optional(),
    last_price: dec.optional(),
    liquidity_ind: str.optional(),
    fees: z.array(z.object({ asset: str, qty: dec })).optional(),
    cum_qty: dec.optional(),
    order_qty: dec.optional(),
    reason: str.optional(),
    cancel_reason: str.optional(),
    timestamp: str.optional(),
  })
  .passthrough();
export type ExecReport = z.infer<typeof ExecReport>;

export const WsMessage = z
  .object({
    channel: str.optional(),
    type: str.optional(),
    data: z.array(z.unknown()).optional(),
    sequence: z.number().optional(),
    method: str.optional(),
    success: z.boolean().optional(),
    error: str.optional(),
  })
  .passthrough();

export type ErrorClass =
  | 'nonce' // EAPI:Invalid nonce: not processed; send again with a new nonce
  | 'rate-limited' // not processed; wait
  | 'lockout' // EGeneral:Temporary lockout: not processed; wait long
  | 'auth' // the key, signature or permission was refused: not processed
  | 'unavailable' // the service failed: it may or may not have acted
  | 'not-found' // no such order (cancel, query)
  | 'duplicate' // the client order id is already on an open order
  | 'rejected'; // the request was refused as it stands (funds, arguments, market mode)

/** What one of Kraken's `error` strings means for the caller. */
export function classifyError(e: string): ErrorClass {
  if (/^EAPI:Invalid nonce/.test(e)) return 'nonce';
  if (/^EGeneral:Temporary lockout/.test(e)) return 'lockout';
  if (/^(EAPI|EOrder|EAuth):(Rate limit exceeded|Too many requests)|^EService:\s*Throttled/.test(e)) return 'rate-limited';
  if (/^(EAPI:Invalid key|EAPI:Invalid signature|EAPI:Feature disabled|EGeneral:Permission denied|EAuth:)/.test(e)) return 'auth';
  if (/^EService:(Unavailable|Busy|Deadline elapsed)|^EGeneral:Internal error/.test(e)) return 'unavailable';
  if (/^EOrder:(Unknown order|Invalid order)/.test(e)) return 'not-found';
  if (/cl_ord_id/i.test(e) && /duplicate|in use|exists|already/i.test(e)) return 'duplicate';
  return 'rejected';
}

/** `error` strings that are errors (E…), not warnings (W…). */
export const errorsOf = (list: readonly string[]): string[] => list.filter((e) => !e.startsWith('W'));
