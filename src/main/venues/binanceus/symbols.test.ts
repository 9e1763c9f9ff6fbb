/**
 * Symbol mapping from a recorded-shape exchangeInfo (test_data).
 * Docs: https://github.com/binance-us/binance-us-api-docs/blob/master/rest-api.md#exchange-information
 */
import { describe, expect, it } from 'vitest';
import { mapExchangeInfo, selectSymbols, streamsOf, trimStep } from './symbols';
import { testData } from './tests/rig-support';

describe('Binance.US symbols from exchangeInfo', () => {
  it('trims steps to decimal strings', () => {
    expect(trimStep('0.01000000')).toBe('0.01');
    expect(trimStep('1.00000000')).toBe('1');
    expect(trimStep('10.00')).toBe('10');
    expect(trimStep('0.00000001')).toBe('0.00000001');
    expect(trimStep('0.00000000')).toBeNull();
    expect(trimStep('-0.01')).toBeNull();
    expect(trimStep(0.01)).toBeNull();
  });

  it('maps BASE-QUOTE to the venue symbol with tick and lot from PRICE_FILTER / LOT_SIZE', () => {
    const map = mapExchangeInfo(testData('exchange-info.json'));
    const btc = map.byCanonical.get('BTC-USD')!;
    expect(btc).toMatchObject({ venueSymbol: 'BTCUSD', tickSize: '0.01', lotSize: '0.00001', status: 'TRADING' });
    expect(btc.precision).toEqual({ priceDecimals: 2, sizeDecimals: 5, tickUnits: 1, lotUnits: 1 });
    expect(map.byCanonical.get('SHIB-USD')).toMatchObject({ tickSize: '0.00000001', lotSize: '1' });
    expect(map.skipped).toEqual(['ADAUSD: no usable PRICE_FILTER.tickSize / LOT_SIZE.stepSize']);
    expect(streamsOf(btc)).toEqual(['btcusd@depth@100ms', 'btcusd@trade']);
  });

  it('selects what is listed and trading, and says why not for the rest', () => {
    const map = mapExchangeInfo(testData('exchange-info.json'));
    const { selected, refused } = selectSymbols(map, ['ETH-USD', 'BTC-USD', 'XRP-USD', 'DOGE-USD', 'BTC-USD']);
    expect(selected.map((s) => s.symbol)).toEqual(['ETH-USD', 'BTC-USD']);
    expect(refused).toEqual(['XRP-USD: status BREAK, not TRADING', 'DOGE-USD: not listed by Binance.US']);
  });

  it('refuses an answer that is not an exchangeInfo', () => {
    expect(() => mapExchangeInfo({ code: -1003, msg: 'Too many requests' })).toThrow();
  });
});
