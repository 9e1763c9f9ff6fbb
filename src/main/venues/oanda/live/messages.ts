// OANDA v20 transactions and orders, as the official spec defines them:
// https://developer.oanda.com/rest-live-v20/transaction-df/ , https://developer.oanda.com/rest-live-v20/order-df/
// (machine-readable: https://github.com/oanda/v20-openapi, json/v20.json)
/**
 * Only the fields the adapter reads are checked; everything else passes through. Transaction ids
 * are decimal strings, sequential per account, and an Order's id is the id of the transaction
 * that created it ("OANDA-assigned OrderIDs ... are derived from the TransactionID of the
 * Transaction that created the Order").
 */
import { z } from 'zod';

const id = z.string().regex(/^\d{1,15}$/);
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/);

const TradeLeg = z.looseObject({ units: decimal, price: decimal.optional() });

export const TransactionSchema = z.looseObject({
  id,
  type: z.string(),
  time: z.string().optional(),
  /** ORDER_FILL, ORDER_CANCEL, ORDER_CANCEL_REJECT */
  orderID: id.optional(),
  clientOrderID: z.string().optional(),
  /** order-creating and order-reject transactions */
  clientExtensions: z.looseObject({ id: z.string().optional() }).optional(),
  instrument: z.string().optional(),
  units: decimal.optional(),
  price: decimal.optional(),
  fullVWAP: decimal.optional(),
  reason: z.string().optional(),
  rejectReason: z.string().optional(),
  replacesOrderID: id.optional(),
  replacedByOrderID: id.optional(),
  commission: decimal.optional(),
  guaranteedExecutionFee: decimal.optional(),
  tradeOpened: TradeLeg.optional(),
  tradeReduced: TradeLeg.optional(),
  tradesClosed: z.array(TradeLeg).optional(),
});
export type Transaction = z.infer<typeof TransactionSchema>;

export const HeartbeatSchema = z.looseObject({ type: z.literal('HEARTBEAT'), lastTransactionID: id.optional(), time: z.string().optional() });

const TxList = z.array(TransactionSchema);

/** 201 of POST /orders (and the body of its 400/404, which carries `orderRejectTransaction`). */
export const CreateOrderResponse = z.looseObject({
  orderCreateTransaction: TransactionSchema.optional(),
  orderFillTransaction: TransactionSchema.optional(),
  orderCancelTransaction: TransactionSchema.optional(),
  orderReissueTransaction: TransactionSchema.optional(),
  orderReissueRejectTransaction: TransactionSchema.optional(),
  orderRejectTransaction: TransactionSchema.optional(),
  lastTransactionID: id.optional(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
});
export type CreateOrderResponse = z.infer<typeof CreateOrderResponse>;

/** PUT /orders/{specifier}/cancel: 200 with `orderCancelTransaction`, 404 with `orderCancelRejectTransaction`. */
export const CancelOrderResponse = z.looseObject({
  orderCancelTransaction: TransactionSchema.optional(),
  orderCancelRejectTransaction: TransactionSchema.optional(),
  lastTransactionID: id.optional(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
});

export const OrderState = z.enum(['PENDING', 'FILLED', 'TRIGGERED', 'CANCELLED']);

export const VenueOrderSchema = z.looseObject({
  id,
  state: OrderState,
  type: z.string().optional(),
  clientExtensions: z.looseObject({ id: z.string().optional() }).optional(),
  fillingTransactionID: id.optional(),
  cancellingTransactionID: id.optional(),
  replacedByOrderID: id.optional(),
});
export type VenueOrder = z.infer<typeof VenueOrderSchema>;

export const GetOrderResponse = z.looseObject({ order: VenueOrderSchema, lastTransactionID: id });
export const PendingOrdersResponse = z.looseObject({ orders: z.array(z.looseObject({ id, clientExtensions: z.looseObject({ id: z.string().optional() }).optional() })), lastTransactionID: id });
/** GET /transactions/sinceid: "all Transactions newer than the TransactionID" */
export const TransactionsResponse = z.looseObject({ transactions: TxList, lastTransactionID: id });

/** Transaction types that create an order (their `id` is the new order's id). */
export const ORDER_CREATE_TYPES: ReadonlySet<string> = new Set([
  'MARKET_ORDER', 'FIXED_PRICE_ORDER', 'LIMIT_ORDER', 'STOP_ORDER', 'MARKET_IF_TOUCHED_ORDER',
  'TAKE_PROFIT_ORDER', 'STOP_LOSS_ORDER', 'GUARANTEED_STOP_LOSS_ORDER', 'TRAILING_STOP_LOSS_ORDER',
]);

export const isOrderReject = (type: string): boolean => type.endsWith('_ORDER_REJECT');

/** The client order id a transaction names, wherever that type carries it. */
export function clientIdOf(tx: Transaction): string | undefined {
  return tx.clientOrderID ?? tx.clientExtensions?.id;
}

/** One line of GET /transactions/stream: a transaction, a heartbeat, or something unreadable. */
export type StreamLine =
  | { kind: 'tx'; tx: Transaction }
  | { kind: 'heartbeat'; lastTransactionID: number | null }
  | { kind: 'bad'; why: string };

export function readStreamLine(text: string): StreamLine {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { kind: 'bad', why: `not JSON: ${text.slice(0, 60)}` };
  }
  const hb = HeartbeatSchema.safeParse(v);
  if (hb.success) return { kind: 'heartbeat', lastTransactionID: hb.data.lastTransactionID ? Number(hb.data.lastTransactionID) : null };
  const tx = TransactionSchema.safeParse(v);
  if (tx.success) return { kind: 'tx', tx: tx.data };
  return { kind: 'bad', why: `not a transaction: ${tx.error.issues[0]?.path.join('.') ?? ''} ${tx.error.issues[0]?.message ?? ''}`.trim() };
}

/** Units as an absolute decimal string ("-1000" → "1000"). */
export const absUnits = (units: string): string => (units.startsWith('-') ? units.slice(1) : units);

/**
 * The prices a fill's units went at. `price` on an OrderFillTransaction is deprecated: "The
 * individual tradesClosed, tradeReduced and tradeOpened fields contain the exact/official price
 * each unit was filled at." Falls back to `price`, then `fullVWAP`, when no leg has one.
 */
export function fillLegs(tx: Transaction): Array<{ units: string; price: string }> {
  const legs = [...(tx.tradesClosed ?? []), ...(tx.tradeReduced ? [tx.tradeReduced] : []), ...(tx.tradeOpened ? [tx.tradeOpened] : [])];
  const priced = legs.filter((l): l is { units: string; price: string } => l.price !== undefined && absUnits(l.units) !== '0');
  if (priced.length > 0) return priced.map((l) => ({ units: absUnits(l.units), price: l.price }));
  const price = tx.price ?? tx.fullVWAP;
  return price && tx.units ? [{ units: absUnits(tx.units), price }] : [];
}
