import { describe, expect, it } from 'vitest';
import type { VenueInfo } from '../../shared/protocol';
import { pickSelection } from './selection';

const venue = (id: string, symbols: string[]): VenueInfo => ({
  id, kind: 'simulator', state: 'live', symbols, instruments: symbols.map((symbol) => ({ symbol, tickSize: '0.01', lotSize: '0.001' })),
});

describe('selection', () => {
  it('defaults to the first venue and BTC-USD when present', () => {
    expect(pickSelection([venue('a', ['ETH-USD', 'BTC-USD']), venue('b', ['BTC-USD'])], null)).toEqual({ venue: 'a', symbol: 'BTC-USD' });
    expect(pickSelection([venue('a', ['ETH-USD'])], null)).toEqual({ venue: 'a', symbol: 'ETH-USD' });
    expect(pickSelection([], null)).toBe(null);
  });

  it('keeps a selection that still exists', () => {
    const cur = { venue: 'b', symbol: 'SOL-USD' };
    expect(pickSelection([venue('a', ['BTC-USD']), venue('b', ['SOL-USD'])], cur)).toBe(cur);
    expect(pickSelection([venue('a', ['BTC-USD'])], cur)).toEqual({ venue: 'a', symbol: 'BTC-USD' });
  });
});
