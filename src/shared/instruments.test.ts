import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPrice, formatQty, parsePrice, parseQty, precisionOf } from './instruments';
import type { PriceTicks, Qty } from './units';

describe('instrument precision', () => {
  const btc = precisionOf({ tickSize: '0.01', lotSize: '0.00001' });
  const half = precisionOf({ tickSize: '0.5', lotSize: '1' });

  it('formats ticks and lots as exact decimal strings and parses them back (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 40 }), (t, l) => {
        expect(parsePrice(formatPrice(t as PriceTicks, btc), btc)).toBe(t);
        expect(parseQty(formatQty(l as Qty, btc), btc)).toBe(l);
        expect(parsePrice(formatPrice(t as PriceTicks, half), half)).toBe(t);
      }),
    );
    expect(formatPrice(6701230 as PriceTicks, btc)).toBe('67012.30');
    expect(formatQty(5 as Qty, btc)).toBe('0.00005');
    expect(formatPrice(3 as PriceTicks, half)).toBe('1.5');
  });

  it('refuses what is off the grid, negative sizes, garbage and numbers too long to be exact', () => {
    expect(() => parsePrice('67012.305', btc)).toThrow(/more than 2 decimals/);
    expect(() => parsePrice('1.25', half)).toThrow(/more than 1 decimals/);
    expect(() => parsePrice('1.3', half)).toThrow(/not a multiple of the step/);
    expect(() => parseQty('-1', btc)).toThrow(/negative/);
    expect(() => parsePrice('abc', btc)).toThrow(/not a decimal number/);
    expect(() => parsePrice('', btc)).toThrow(/not a decimal number/);
    expect(() => parsePrice('NaN', btc)).toThrow(/not a decimal number/);
    expect(() => parseQty('123456789012345678', btc)).toThrow(/too many digits/);
    expect(parsePrice('67012.3', btc)).toBe(6701230);
    expect(parseQty('0.10000', btc)).toBe(10000);
  });
});
