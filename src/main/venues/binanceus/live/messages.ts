// Binance.US orders and fills: https://github.com/binance-us/binance-us-api-docs/blob/master/rest-api.md#account-endpoints
// executionReport: https://github.com/binance-us/binance-us-api-docs/blob/master/user-data-stream.md#order-update
/**
 * The private API's answers and stream events, validated with zod (loose: Binance adds fields).
 * Quantities and prices stay decimal strings until they meet the order's precision.
 */
import { z } from 'zod';

/** `{"code": -2010, "msg": "Account has insufficient balance for requested action."}` */
export const ErrorBody = z.object({ code: z.number().int(), msg: z.string() });

const decimal = z.string();

/** one element of `fills` in a FULL new-order answer */
export const ResponseFill = z.looseObject({
  price: decimal,
  qty: decimal,
  commission: decimal,
  commissionAsset: z.string().nullable().optional(),
  tradeId: z.number().int(),
});
export type ResponseFill = z.infer<typeof ResponseFill>;

/** POST /api/v3/order (FULL), GET /api/v3/order, GET /api/v3/openOrders elements */
export const VenueOrder = z.looseObject({
  symbol: z.string(),
  orderId: z.number().int(),
  clientOrderId: z.string(),
  status: z.string(),
  executedQty: decimal,
  origQty: decimal.optional(),
  type: z.string().optional(),
  transactTime: z.number().optional(),
  updateTime: z.number().optional(),
  fills: z.array(ResponseFill).optional(),
});
export type VenueOrder = z.infer<typeof VenueOrder>;

/** DELETE /api/v3/order: `clientOrderId` is the cancel's own id; ours is `origClientOrderId` */
export const CancelAnswer = z.looseObject({
  symbol: z.string(),
  orderId: z.number().int(),
  origClientOrderId: z.string(),
  status: z.string(),
  executedQty: decimal,
});
export type CancelAnswer = z.infer<typeof CancelAnswer>;

/** GET /api/v3/myTrades elements */
export const MyTrade = z.looseObject({
  symbol: z.string(),
  id: z.number().int(),
  orderId: z.number().int(),
  price: decimal,
  qty: decimal,
  commission: decimal,
  commissionAsset: z.string().nullable().optional(),
  time: z.number(),
  isMaker: z.boolean(),
});
export type MyTrade = z.infer<typeof MyTrade>;

export const ListenKeyAnswer = z.looseObject({ listenKey: z.string().min(1) });
export const ServerTime = z.looseObject({ serverTime: z.number() });
export const TickerPrice = z.looseObject({ symbol: z.string(), price: decimal });

/** the `executionReport` event (fields we use) */
export const ExecutionEvent = z.looseObject({
  e: z.literal('executionReport'),
  E: z.number(),
  s: z.string(),
  /** client order id; for a cancel, the cancel's own id */
  c: z.string(),
  /** original client order id: set on cancels */
  C: z.string().nullable().optional(),
  S: z.string(),
  o: z.string(),
  /** execution type: NEW, TRADE, CANCELED, REJECTED, EXPIRED, TRADE_PREVENTION */
  x: z.string(),
  /** order status */
  X: z.string(),
  /** reject reason */
  r: z.string().optional(),
  i: z.number().int(),
  /** last executed quantity and price */
  l: decimal,
  L: decimal,
  /** cumulative filled quantity */
  z: decimal,
  n: decimal.nullable().optional(),
  N: z.string().nullable().optional(),
  T: z.number(),
  t: z.number().int(),
  m: z.boolean().optional(),
});
export type ExecutionEvent = z.infer<typeof ExecutionEvent>;

/** statuses after which nothing more happens to an order */
export const FINAL_STATUSES: ReadonlySet<string> = new Set(['FILLED', 'CANCELED', 'REJECTED', 'EXPIRED', 'EXPIRED_IN_MATCH']);
