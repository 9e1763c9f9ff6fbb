import type { Instrument } from '../../../shared/instruments';

/** How one symbol behaves in the simulator. Rates are in basis points of price. */
export interface SimSymbolParams {
  readonly startPrice: number;
  /** Volatility of the common fundamental price, bps per √second. */
  readonly volBps: number;
  /** Stationary standard deviation of each venue's deviation from the fundamental, bps. */
  readonly devBps: number;
  /** Mean extra gap between adjacent levels at the touch, bps; it widens with depth. */
  readonly gapBps: number;
  /** Typical resting size at the touch, in lots. */
  readonly baseLots: number;
  /** Share of a venue's updates that go to this symbol (normalised over the venue's symbols). */
  readonly weight: number;
}

export const SIM_INSTRUMENTS: readonly Instrument[] = [
  { symbol: 'BTC-USD', base: 'BTC', quote: 'USD', tickSize: '0.01', lotSize: '0.00001' },
  { symbol: 'ETH-USD', base: 'ETH', quote: 'USD', tickSize: '0.01', lotSize: '0.0001' },
  { symbol: 'SOL-USD', base: 'SOL', quote: 'USD', tickSize: '0.001', lotSize: '0.001' },
];

export const SIM_PARAMS: Readonly<Record<string, SimSymbolParams>> = {
  'BTC-USD': { startPrice: 67_000, volBps: 0.8, devBps: 0.5, gapBps: 0.015, baseLots: 20_000, weight: 0.45 },
  'ETH-USD': { startPrice: 3_500, volBps: 1.0, devBps: 0.7, gapBps: 0.02, baseLots: 30_000, weight: 0.35 },
  'SOL-USD': { startPrice: 150, volBps: 1.4, devBps: 0.9, gapBps: 0.03, baseLots: 50_000, weight: 0.2 },
};

export const SIM_VENUES: readonly string[] = ['sim-a', 'sim-b', 'sim-c'];
