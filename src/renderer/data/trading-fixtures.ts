/** Order, fill and risk views for the unit tests (DOM-free). */
import type { FillView, OrderView, PositionView, RiskView } from '../../shared/trading';

export function order(over: Partial<OrderView> & { clientOrderId: string }): OrderView {
  return {
    venueOrderId: null, venue: 'sim-a', symbol: 'BTC-USD', side: 'buy', type: 'limit', tif: 'GTC', postOnly: false, reduceOnly: false,
    qty: '0.01000', price: '67000.00', stopPrice: null, state: 'working', filledQty: '0.00000', avgFillPrice: null, reason: null,
    createdAt: 1000, updatedAt: 1000, ...over,
  };
}

export function fill(over: Partial<FillView> & { fillId: string; clientOrderId: string }): FillView {
  return { venue: 'sim-a', symbol: 'BTC-USD', side: 'buy', price: '67000.00', qty: '0.01000', fee: '0.33500000', liquidity: 'taker', ts: 2000, ...over };
}

export function position(over: Partial<PositionView> = {}): PositionView {
  return { venue: 'sim-a', symbol: 'BTC-USD', qty: '0.01000', avgPrice: '67000.00', realizedPnl: 0, unrealizedPnl: 0, fees: 0.335, exposure: 670, mark: 67000, ...over };
}

export function risk(over: Partial<RiskView> = {}): RiskView {
  return {
    killSwitch: { engaged: false, reason: '', at: null }, grossExposure: 0, netExposure: 0, dailyPnl: 0, openOrders: 0,
    usage: [{ limit: 'maxOpenOrders', scope: 'all', used: 1, max: 50 }], recentRejects: [], ...over,
  };
}
