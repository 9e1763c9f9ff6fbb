/**
 * The trading contract between renderer and engine: order commands (validated with zod in the
 * engine; nothing the renderer says is trusted) and the order, fill, position and risk events
 * the engine sends back as JSON control messages. Quantities and prices cross as decimal
 * strings at the instrument's precision; the engine parses them onto the tick/lot grid.
 */
import { z } from 'zod';

const decimal = z.string().regex(/^\d+(\.\d+)?$/, 'a positive decimal number as a string, e.g. "0.25"');
const venue = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'venue id');
const symbol = z.string().regex(/^[A-Z0-9]{1,12}-[A-Z0-9]{1,12}$/, 'symbol: BASE-QUOTE in capitals');
/** client order id: chosen by the client, unique; a repeat is answered with the existing order */
const clientOrderId = z.string().regex(/^[A-Za-z0-9_-]{6,36}$/, 'clientOrderId: 6-36 letters, digits, _ or - (36 is the shortest venue limit, Binance)');

export const OrderSide = z.enum(['buy', 'sell']);
export type OrderSide = z.infer<typeof OrderSide>;
export const OrderType = z.enum(['limit', 'market', 'stop-limit']);
export type OrderType = z.infer<typeof OrderType>;
export const TimeInForce = z.enum(['GTC', 'IOC', 'FOK']);
export type TimeInForce = z.infer<typeof TimeInForce>;

export const OrderRequestSchema = z
  .object({
    clientOrderId,
    venue,
    symbol,
    side: OrderSide,
    type: OrderType,
    qty: decimal,
    price: decimal.optional(),
    stopPrice: decimal.optional(),
    tif: TimeInForce.default('GTC'),
    postOnly: z.boolean().default(false),
    reduceOnly: z.boolean().default(false),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.type !== 'market' && o.price === undefined) ctx.addIssue({ code: 'custom', path: ['price'], message: `a ${o.type} order needs a price` });
    if (o.type === 'market' && o.price !== undefined) ctx.addIssue({ code: 'custom', path: ['price'], message: 'a market order takes no price' });
    if (o.type === 'stop-limit' && o.stopPrice === undefined) ctx.addIssue({ code: 'custom', path: ['stopPrice'], message: 'a stop-limit order needs a stopPrice' });
    if (o.type === 'market' && o.postOnly) ctx.addIssue({ code: 'custom', path: ['postOnly'], message: 'a market order cannot be post-only' });
    if (o.postOnly && o.tif !== 'GTC') ctx.addIssue({ code: 'custom', path: ['postOnly'], message: 'post-only orders rest: time in force must be GTC' });
  });
export type OrderRequest = z.infer<typeof OrderRequestSchema>;
export type OrderRequestInput = z.input<typeof OrderRequestSchema>;

export const TradingCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('place-order'), order: OrderRequestSchema }),
  z.object({ type: z.literal('cancel-order'), clientOrderId }),
  /** cancel/replace: a new price and/or quantity for a working order */
  z.object({ type: z.literal('replace-order'), clientOrderId, newClientOrderId: clientOrderId, price: decimal.optional(), qty: decimal.optional() }),
  z.object({ type: z.literal('cancel-all'), venue: venue.optional(), symbol: symbol.optional() }),
  z.object({ type: z.literal('flatten'), venue, symbol }),
  z.object({ type: z.literal('kill-switch'), engaged: z.boolean(), reason: z.string().max(200).default('') }),
]);
export type TradingCommand = z.infer<typeof TradingCommandSchema>;

export const ORDER_STATES = ['new', 'pending', 'working', 'partially-filled', 'filled', 'cancelled', 'rejected', 'expired'] as const;
export type OrderState = (typeof ORDER_STATES)[number];
export const TERMINAL_STATES: ReadonlySet<OrderState> = new Set(['filled', 'cancelled', 'rejected', 'expired']);

export interface OrderView {
  clientOrderId: string;
  venueOrderId: string | null;
  venue: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  tif: TimeInForce;
  postOnly: boolean;
  reduceOnly: boolean;
  qty: string;
  price: string | null;
  stopPrice: string | null;
  state: OrderState;
  filledQty: string;
  avgFillPrice: string | null;
  /** why it was rejected, cancelled or expired: names the limit and the numbers for risk rejects */
  reason: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface FillView {
  fillId: string;
  clientOrderId: string;
  venue: string;
  symbol: string;
  side: OrderSide;
  price: string;
  qty: string;
  fee: string;
  liquidity: 'maker' | 'taker';
  ts: number;
}

export interface PositionView {
  venue: string;
  symbol: string;
  /** signed: + long, - short */
  qty: string;
  avgPrice: string | null;
  realizedPnl: number;
  unrealizedPnl: number;
  fees: number;
  /** |qty| × mark, in the quote currency */
  exposure: number;
  mark: number | null;
}

export interface LimitUsage {
  limit: string;
  scope: string;
  used: number;
  max: number;
}

export interface RiskView {
  killSwitch: { engaged: boolean; reason: string; at: number | null };
  grossExposure: number;
  netExposure: number;
  dailyPnl: number;
  openOrders: number;
  usage: LimitUsage[];
  recentRejects: Array<{ clientOrderId: string; limit: string; message: string; ts: number }>;
}

export type TradingEvent =
  | { type: 'orders'; orders: OrderView[]; fills: FillView[]; positions: PositionView[]; risk: RiskView }
  | { type: 'order'; order: OrderView }
  | { type: 'fill'; fill: FillView }
  | { type: 'positions'; positions: PositionView[] }
  | { type: 'risk'; risk: RiskView };
