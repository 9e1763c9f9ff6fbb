// Coinbase Advanced Trade public product: GET /api/v3/brokerage/market/products/{product_id}
import { describe, expect, it } from 'vitest';
import { instrumentOf, productPath, trimStep } from './symbols';
import { payload } from './tests/rig-support';

describe('instrumentOf', () => {
  it('takes the tick from price_increment and the lot from base_increment, without trailing zeros', () => {
    expect(instrumentOf(payload('product-btc-usd'), 'BTC-USD')).toEqual({ symbol: 'BTC-USD', productId: 'BTC-USD', streamId: 'BTC-USD', tickSize: '0.01', lotSize: '0.00000001', warning: undefined });
  });
  it('falls back to quote_increment when there is no price_increment', () => {
    const { price_increment: _, ...p } = payload('product-btc-usd');
    expect(instrumentOf({ ...p, quote_increment: '0.50000000' }, 'BTC-USD').tickSize).toBe('0.5');
  });
  it('feeds a -USDC product from the messages of its -USD alias', () => {
    expect(instrumentOf(payload('product-btc-usdc'), 'BTC-USDC')).toMatchObject({ symbol: 'BTC-USDC', productId: 'BTC-USDC', streamId: 'BTC-USD' });
  });
  it('notes a product that does not trade normally', () => {
    expect(instrumentOf({ ...payload('product-btc-usd'), status: 'delisted', trading_disabled: true }, 'BTC-USD').warning).toMatch(/delisted \(trading disabled\)/);
  });
  it('refuses metadata it cannot trust', () => {
    expect(() => instrumentOf({ product_id: 'BTC-USD' }, 'BTC-USD')).toThrow(/base_increment/);
    expect(() => instrumentOf(payload('product-btc-usd'), 'ETH-USD')).toThrow(/answered with BTC-USD/);
    expect(() => instrumentOf({ ...payload('product-btc-usd'), price_increment: '0' }, 'BTC-USD')).toThrow(/not positive/);
    expect(() => instrumentOf({ ...payload('product-btc-usd'), base_increment: '1e-8' }, 'BTC-USD')).toThrow(/not a decimal/);
  });
});

describe('trimStep', () => {
  it('writes a step the shortest exact way', () => {
    expect(['0.01000000', '1.00000000', '10', '0010.50', '0.00000001'].map((s) => trimStep(s, 'step'))).toEqual(['0.01', '1', '10', '10.5', '0.00000001']);
  });
});

it('productPath escapes the id', () => {
  expect(productPath('BTC-USD')).toBe('api/v3/brokerage/market/products/BTC-USD');
  expect(productPath('A/B')).toBe('api/v3/brokerage/market/products/A%2FB');
});
